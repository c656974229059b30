using System.Runtime.InteropServices;
using Spx.Interop;
using Xunit;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

/// <summary>seccomp argument conditions, filter flags and OCI profiles, seen from inside the child.</summary>
public partial class SeccompTests
{
    const int EPERM = 1, EACCES = 13, EEXIST = 17, E2BIG = 7;
    const ulong AF_UNIX = 1, AF_INET = 2, CLONE_NEWUSER = 0x10000000;

    static string Profile(string name) => File.ReadAllText(Path.Combine(BindingDir, "Spx.Tests", "data", name));

    static (string Stdout, string Stderr, int ExitCode) Run(SeccompFilter filter, string program, params string[] args)
    {
        var info = new SpxStartInfo(program, args) { Seccomp = filter, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment.Clear();
        info.Environment["LC_ALL"] = "C";
        using var p = SpxProcess.Start(info);
        var err = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (output, err.Result, p.ExitCode);
    }

    [Fact]
    public void A_condition_denies_inet_sockets_and_lets_unix_ones_through()
    {
        using var filter = SeccompFilter.Create(SeccompAction.Allow)
            .Add("socket", SeccompAction.Errno(EACCES), new SeccompCondition(0, SeccompComparison.Equal, AF_INET));
        string output = RunProbe(new SpxStartInfo { Seccomp = filter }, "socket", "socket-unix");
        Assert.Equal("EACCES", Field(output, "socket"));
        Assert.Equal("ok", Field(output, "socket-unix"));

        // The family compared as the kernel reads it (the low half of the register).
        using var low = SeccompFilter.Create(SeccompAction.Allow).Add("socket", SeccompAction.Errno(EACCES), SeccompCondition.Equal32(0, (uint)AF_INET));
        output = RunProbe(new SpxStartInfo { Seccomp = low }, "socket", "socket-unix");
        Assert.Equal("EACCES", Field(output, "socket"));
        Assert.Equal("ok", Field(output, "socket-unix"));

        // Both conditions must hold: AF_UNIX with protocol 0 does not match "protocol != 0".
        using var both = SeccompFilter.Create(SeccompAction.Allow).Add("socket", SeccompAction.Errno(EPERM),
            new SeccompCondition(0, SeccompComparison.Equal, AF_UNIX), new SeccompCondition(2, SeccompComparison.NotEqual, 0));
        output = RunProbe(new SpxStartInfo { Seccomp = both }, "socket", "socket-unix");
        Assert.Equal("ok", Field(output, "socket-unix"));
    }

    [Fact]
    public void MaskedEqual_on_clone_flags_denies_new_user_namespaces()
    {
        using var filter = SeccompFilter.Create(SeccompAction.Allow)
            .Add("clone", SeccompAction.Errno(EPERM), SeccompCondition.MaskedEqual(0, CLONE_NEWUSER, CLONE_NEWUSER));
        string output = RunProbe(new SpxStartInfo { Seccomp = filter }, "clone=0", $"clone={CLONE_NEWUSER:x}");
        Assert.Equal("ok", Field(output, "clone 0"));
        Assert.Equal("EPERM", Field(output, $"clone {CLONE_NEWUSER:x}"));
    }

    [Fact]
    public void A_logging_filter_is_accepted_by_the_kernel()
    {
        using var filter = SeccompFilter.Create(SeccompAction.Allow)
            .Add("mkdir", SeccompAction.Errno(EPERM)).Add("mkdirat", SeccompAction.Errno(EPERM))
            .SetOptions(SeccompFilterOptions.Log);
        // The spawn fails at the seccomp stage if the kernel refuses the flag.
        string output = RunProbe(new SpxStartInfo { Seccomp = filter }, "status");
        Assert.Equal("2", Field(output, "Seccomp"));
        Assert.SkipUnless(output.Contains("Seccomp_filters:", StringComparison.Ordinal), "no Seccomp_filters in /proc/self/status (Linux < 5.9)");
        Assert.Equal("1", Field(output, "Seccomp_filters"));
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "lseek")]
    private static partial long Lseek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint Read(int fd, byte* buf, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    /// <summary>The seccomp audit records (type=1326) of process <paramref name="pid"/> in /dev/kmsg from the
    /// position of <paramref name="kmsg"/>, a non-blocking descriptor, on (they go there without auditd).</summary>
    static unsafe List<string> AuditRecords(int kmsg, int pid)
    {
        var found = new List<string>();
        byte* rec = stackalloc byte[8192];
        for (;;)
        {
            nint n = Read(kmsg, rec, 8192);
            if (n < 0 && Marshal.GetLastPInvokeError() == 32) continue; // EPIPE: overwritten records
            if (n <= 0) return found;                                   // EAGAIN: the end
            string line = System.Text.Encoding.UTF8.GetString(rec, (int)n);
            if (line.Contains("type=1326", StringComparison.Ordinal) && line.Contains($" pid={pid} ", StringComparison.Ordinal)) found.Add(line);
        }
    }

    [Fact]
    public void The_Log_option_reaches_the_kernel()
    {
        Assert.SkipUnless(RuntimeInformation.ProcessArchitecture == Architecture.X64, "looks for x86_64's mkdir number in the audit record");
        const int O_RDONLY = 0, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000, SEEK_END = 2;
        int kmsg = Open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        Assert.SkipWhen(kmsg < 0, $"/dev/kmsg: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            _ = Lseek(kmsg, 0, SEEK_END);
            int Mkdir(SeccompFilter f)
            {
                using var p = SpxProcess.Start(new SpxStartInfo(Probe, "mkdir=/nonexistent-spx-dotnet-log") { Seccomp = f, RedirectStandardOutput = true });
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                Thread.Sleep(200); // kauditd prints asynchronously
                return p.Id;
            }
            // syscall=83: mkdir on x86_64; code=0x50000: ERRNO, without its value.
            bool Seen(int pid, string code) => AuditRecords(kmsg, pid).Any(r => r.Contains(" syscall=83 ", StringComparison.Ordinal) && r.Contains(code, StringComparison.Ordinal));
            using var logged = SeccompFilter.Create(SeccompAction.Allow).Add("mkdir", SeccompAction.Errno(18)).SetOptions(SeccompFilterOptions.Log);
            if (Seen(Mkdir(logged), "code=0x50000")) return;
            // The control: a LOG action is logged without the flag; if it shows, the flagged ERRNO would have.
            using var control = SeccompFilter.Create(SeccompAction.Allow).Add("mkdir", SeccompAction.Log);
            Assert.False(Seen(Mkdir(control), "code=0x7ffc0000"), "the kernel logged a LOG action but not the flagged ERRNO: the flag was lost");
            Assert.Skip("no seccomp audit record in /dev/kmsg (audit off, rate-limited, or errno not in kernel.seccomp.actions_logged)");
        }
        finally
        {
            _ = Close(kmsg);
        }
    }

    [Fact]
    public void Bad_conditions_and_flags_throw_and_leave_the_filter_usable()
    {
        using var f = SeccompFilter.Create(SeccompAction.Allow);
        var eq = new SeccompCondition(0, SeccompComparison.Equal, 1);
        Assert.Throws<ArgumentException>(() => f.Add("socket", SeccompAction.Log, new SeccompCondition(6, SeccompComparison.Equal, 0)));
        Assert.Throws<ArgumentException>(() => f.Add("socket", SeccompAction.Log, new SeccompCondition(-1, SeccompComparison.Equal, 0)));
        Assert.Throws<ArgumentException>(() => f.Add("socket", SeccompAction.Log, new SeccompCondition(0, (SeccompComparison)0, 0)));
        Assert.Throws<ArgumentException>(() => f.Add("socket", SeccompAction.Log, new SeccompCondition(0, (SeccompComparison)8, 0)));
        Assert.Throws<ArgumentException>(() => f.Add("socket", SeccompAction.Log, eq, new SeccompCondition(0, SeccompComparison.NotEqual, 2)));
        Assert.Throws<ArgumentException>(() => f.Add("socket", SeccompAction.Log, [.. Enumerable.Range(0, 7).Select(i => new SeccompCondition(i % 6, SeccompComparison.Equal, 0))]));
        Assert.Throws<ArgumentException>(() => f.Add("no_such_call_spx", SeccompAction.Log, eq));
        Assert.Throws<ArgumentException>(() => f.Add("sock\0et", SeccompAction.Log, eq));
        Assert.Throws<ArgumentException>(() => f.Add("socket", new SeccompAction(0x12345678), eq));
        Assert.Throws<ArgumentException>(() => f.SetOptions((SeccompFilterOptions)2));
        // Nothing was added: the filter still runs the probe with every socket allowed.
        string output = RunProbe(new SpxStartInfo { Seccomp = f }, "socket", "socket-unix");
        Assert.Equal("ok", Field(output, "socket"));

        using var unconditional = SeccompFilter.Create(SeccompAction.Allow).Add("socket", SeccompAction.Errno(EPERM));
        var e = Assert.Throws<SpxException>(() => unconditional.Add("socket", SeccompAction.Log, eq));
        Assert.Equal(EEXIST, e.NativeErrorCode);
        f.Dispose();
        Assert.Throws<ObjectDisposedException>(() => f.Add("socket", SeccompAction.Log, eq));
        Assert.Throws<ObjectDisposedException>(() => f.SetOptions(SeccompFilterOptions.Log));
    }

    [Fact]
    public void The_condition_structure_has_the_C_layout_and_the_enums_the_C_values()
    {
        Assert.Equal(SpxSeccompCondNative.Size, Marshal.SizeOf<SpxSeccompCondNative>());
        Assert.Equal(24, SpxSeccompCondNative.Size);
        Assert.Equal(8, (int)Marshal.OffsetOf<SpxSeccompCondNative>(nameof(SpxSeccompCondNative.value)));
        var n = SeccompCondition.MaskedEqual(1, 0xf, 2).ToNative();
        Assert.Equal((1u, NativeConstants.SPX_CMP_MASKED_EQ, 0xful, 2ul), (n.arg, n.op, n.value, n.value2));
        Assert.Equal(7, Enum.GetValues<SeccompComparison>().Length);
        var e32 = SeccompCondition.Equal32(1, 0x5412).ToNative();
        Assert.Equal((1u, NativeConstants.SPX_CMP_MASKED_EQ, 0xfffffffful, 0x5412ul), (e32.arg, e32.op, e32.value, e32.value2));
        Assert.Equal(NativeConstants.SPX_SECCOMP_FLAG_LOG, (uint)SeccompFilterOptions.Log);
    }

    static void RequireOciReader()
    {
        try
        {
            using var f = SeccompFilter.FromOci("""{"defaultAction": "SCMP_ACT_ALLOW"}""");
        }
        catch (SpxException e) when (e.NativeErrorCode == Errno.ENOTSUP)
        {
            Assert.Skip($"this libspx cannot read OCI profiles: {e.Message}");
        }
    }

    [Fact]
    public void An_OCI_deny_list_runs_real_programs()
    {
        RequireOciReader();
        using var filter = SeccompFilter.FromOci(Profile("deny-list.json"));
        string dir = TempDir();
        var (_, stderr, code) = Run(filter, "/bin/mkdir", Path.Combine(dir, "d"));
        Assert.NotEqual(0, code);
        Assert.Contains("Permission denied", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "d")));
        string output = RunProbe(new SpxStartInfo { Seccomp = filter }, "socket", "socket-unix");
        Assert.Equal("EAFNOSUPPORT", Field(output, "socket"));
        Assert.Equal("ok", Field(output, "socket-unix"));
        // excludes.caps: for a child holding CAP_SYS_PTRACE the ptrace rule is left out.
        using var withCap = SeccompFilter.FromOci(Profile("deny-list.json"), Capability.SysPtrace);
        Assert.True(withCap.InstructionCount < filter.InstructionCount);
    }

    [Fact]
    public void An_OCI_allow_list_without_clone3_runs_threads()
    {
        RequireOciReader();
        using var filter = SeccompFilter.FromOci(System.Text.Encoding.UTF8.GetBytes(Profile("allow-list.json")));
        Assert.True(filter.IgnoredCount > 0, "the 32-bit names (_llseek, fstat64) were not counted");
        string output = RunProbe(new SpxStartInfo { Seccomp = filter }, "thread", "socket", "socket-unix");
        Assert.Equal("ok", Field(output, "thread"));
        Assert.Equal("EPERM", Field(output, "socket"));
        Assert.Equal("ok", Field(output, "socket-unix"));
        foreach (var (program, args, want) in new[]
        {
            ("/bin/ls", new[] { "/" }, "bin"),
            ("/usr/bin/git", new[] { "--version" }, "git version"),
            ("/usr/bin/python3", new[] { "-S", "-c", "import threading\nt = threading.Thread(target=print, args=('thread ok',))\nt.start(); t.join()" }, "thread ok"),
        })
        {
            if (!File.Exists(program)) continue;
            var (stdout, stderr, code) = Run(filter, program, args);
            Assert.True(code == 0 && stdout.Contains(want, StringComparison.Ordinal), $"{program}: exit {code}, {stdout} {stderr}");
        }
    }

    public static TheoryData<string, string, string> MalformedProfiles()
    {
        static string Rule(string r) => $$"""{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{{r}}]}""";
        return new()
        {
            { "empty", "", "" },
            { "bad JSON", """{"defaultAction": "SCMP_ACT_ALLOW",""", "" },
            { "wrong type", """{"defaultAction": 5}""", "defaultAction" },
            { "unknown key", """{"defaultAction": "SCMP_ACT_ALLOW", "sycalls": []}""", "sycalls" },
            { "unknown action", Rule("""{"names": ["read"], "action": "SCMP_ACT_FOO"}"""), "syscalls[0].action" },
            { "unknown operator", Rule("""{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_FOO"}]}"""), "syscalls[0].args[0].op" },
            { "index 6", Rule("""{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 2, "op": "SCMP_CMP_EQ"}]}"""), "syscalls[0].args[0].index" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedProfiles))]
    public void A_malformed_OCI_profile_throws_the_reader_s_message(string what, string json, string path)
    {
        RequireOciReader();
        var e = Assert.Throws<ArgumentException>(() => SeccompFilter.FromOci(json));
        Assert.StartsWith("seccomp profile: ", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Contains(path, StringComparison.Ordinal), $"{what}: {path} not in {e.Message}");
        Assert.NotEqual($"seccomp profile: {NativeError.Describe(Errno.EINVAL)} (Parameter 'utf8Json')", e.Message);
    }

    [Fact]
    public void Unsupported_and_oversized_OCI_profiles_throw_SpxException()
    {
        RequireOciReader();
        var e = Assert.Throws<SpxException>(() => SeccompFilter.FromOci("""{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_NOTIFY"}]}"""));
        Assert.Equal(Errno.ENOTSUP, e.NativeErrorCode);
        Assert.Contains("syscalls[0]", e.Message, StringComparison.Ordinal);
        var huge = new byte[(4 << 20) + 64];
        Array.Fill(huge, (byte)' ');
        "{}"u8.CopyTo(huge);
        e = Assert.Throws<SpxException>(() => SeccompFilter.FromOci(huge));
        Assert.Equal(E2BIG, e.NativeErrorCode);
        Assert.Throws<ArgumentException>(() => SeccompFilter.FromOci("""{"defaultAction": "SCMP_ACT_ALLOW"}""", (Capability)64));
        Assert.Throws<ArgumentNullException>(() => SeccompFilter.FromOci((string)null!));
    }
}

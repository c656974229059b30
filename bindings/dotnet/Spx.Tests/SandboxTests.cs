using Spx.Interop;
using Xunit;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

public class SandboxTests
{
    static void RequireLandlock() => Assert.SkipWhen(LandlockRuleset.KernelAbi == 0, "this kernel has no Landlock");

    [Fact]
    public void Landlock_allows_only_the_ruleset_s_paths_in_the_child_and_the_parent_keeps_its_access()
    {
        RequireLandlock();
        string allowed = TempDir(), denied = TempDir();
        using var rules = LandlockRuleset.Create(7, LandlockCompat.BestEffort)
            .AllowPath("/", LandlockAccess.ReadExecute)
            .AllowPath(allowed, LandlockAccess.ReadWrite);
        Assert.NotEqual(LandlockStatus.NotEnforced, rules.Status);
        string output = RunProbe(new SpxStartInfo { Landlock = rules }, $"write={allowed}/a", $"write={denied}/b");
        Assert.Contains($"write {allowed}/a: ok", output, StringComparison.Ordinal);
        Assert.Contains($"write {denied}/b: EACCES", output, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(denied, "parent"), "the parent is not restricted");
    }

    [Fact]
    public void A_Landlock_descriptor_works_as_well()
    {
        RequireLandlock();
        string denied = TempDir();
        using var rules = LandlockRuleset.Create(7, LandlockCompat.BestEffort).AllowPath("/", LandlockAccess.ReadExecute);
        using var fd = rules.CreateDescriptor();
        Assert.NotNull(fd);
        string output = RunProbe(new SpxStartInfo { LandlockHandle = fd }, $"write={denied}/b");
        Assert.Contains($"write {denied}/b: EACCES", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Landlock_network_rules_limit_binding()
    {
        Assert.SkipWhen(LandlockRuleset.KernelAbi < 4, "this kernel has no Landlock network rules (ABI 4)");
        using var rules = LandlockRuleset.Create(7, LandlockCompat.BestEffort)
            .SetHandled(LandlockAccess.None, LandlockNetAccess.BindTcp)
            .AllowPort(0, LandlockNetAccess.BindTcp);
        string output = RunProbe(new SpxStartInfo { Landlock = rules }, "bind=1", "bind=0");
        Assert.Contains("bind 1: EACCES", output, StringComparison.Ordinal);
        Assert.Contains("bind 0: ok", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Landlock_scope_is_accepted_or_refused_as_the_kernel_says()
    {
        using var rules = LandlockRuleset.Create(7, LandlockCompat.BestEffort);
        rules.SetHandled(LandlockAccess.None, LandlockNetAccess.None).SetScope(LandlockScope.Signal | LandlockScope.AbstractUnixSocket);
        if (LandlockRuleset.KernelAbi >= 6)
        {
            using var p = SpxProcess.Start(new SpxStartInfo(Probe, $"kill={Environment.ProcessId}") { Landlock = rules, RedirectStandardOutput = true });
            Assert.Equal($"kill {Environment.ProcessId}: EPERM\n", p.StandardOutput.ReadToEnd());
            p.WaitForExit();
        }
        else
        {
            using var strict = LandlockRuleset.Create(6, LandlockCompat.Strict);
            Assert.Throws<SpxException>(() => strict.SetScope(LandlockScope.Signal));
        }
    }

    [Fact]
    public void Seccomp_filter_denies_the_named_call_in_the_child()
    {
        using var filter = SeccompFilter.Create(SeccompAction.Allow).Add("mkdir", SeccompAction.Errno(1)).Add("mkdirat", SeccompAction.Errno(1));
        Assert.True(filter.InstructionCount > 0);
        Assert.Equal(0, filter.IgnoredCount);
        string dir = TempDir();
        string output = RunProbe(new SpxStartInfo { Seccomp = filter }, $"mkdir={dir}/x", "status");
        Assert.Contains($"mkdir {dir}/x: EPERM", output, StringComparison.Ordinal);
        Assert.Equal("2", Field(output, "Seccomp"));
        Assert.False(Directory.Exists(Path.Combine(dir, "x")));
    }

    [Fact]
    public void Seccomp_by_number_and_kill_action()
    {
        using var filter = SeccompFilter.Create(SeccompAction.Allow).Add(41 /* socket on x86-64 */, SeccompAction.KillProcess);
        Assert.SkipUnless(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64, "syscall number 41 is socket on x86-64 only");
        using var p = SpxProcess.Start(new SpxStartInfo(Probe, "socket") { Seccomp = filter });
        p.WaitForExit();
        Assert.Equal(31, p.TerminationSignal); // SIGSYS
    }

    [Fact]
    public void A_raw_BPF_program_is_installed()
    {
        // One instruction: BPF_RET|BPF_K SECCOMP_RET_ALLOW.
        byte[] prog = new byte[8];
        BitConverter.TryWriteBytes(prog.AsSpan(0, 2), (ushort)0x06);
        BitConverter.TryWriteBytes(prog.AsSpan(4, 4), NativeConstants.SPX_SECCOMP_ALLOW);
        string output = RunProbe(new SpxStartInfo { SeccompProgram = prog }, "status");
        Assert.Equal("2", Field(output, "Seccomp"));
    }

    [Fact]
    public void SeccompAction_Errno_matches_the_C_macro()
    {
        foreach (var (arg, value) in NativeConstants.SPX_SECCOMP_ERRNO_Samples)
        {
            if (arg <= 4094) Assert.Equal((uint)value, SeccompAction.Errno((int)arg).Value);
            else Assert.Throws<ArgumentOutOfRangeException>(() => SeccompAction.Errno((int)arg)); // the library refuses it
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => SeccompAction.Errno(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SeccompAction.Errno(4095));
        Assert.Throws<ArgumentOutOfRangeException>(() => SeccompAction.Errno(4096));
    }

    [Fact]
    public void Seccomp_bad_inputs_throw()
    {
        Assert.Throws<ArgumentException>(() => SeccompFilter.Create(new SeccompAction(0x12345678)));
        using var f = SeccompFilter.Create(SeccompAction.Allow);
        Assert.Throws<ArgumentException>(() => f.Add("no_such_syscall", SeccompAction.Errno(1)));
        Assert.Throws<ArgumentException>(() => f.Add("", SeccompAction.Errno(1)));
        Assert.Throws<ArgumentNullException>(() => f.Add(null!, SeccompAction.Errno(1)));
        Assert.Throws<ArgumentException>(() => f.Add("mk\0dir", SeccompAction.Errno(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Add(-1, SeccompAction.Errno(1)));
        Assert.Throws<ArgumentException>(() => f.Add("mkdir", new SeccompAction(0x12345678)));
        f.Dispose();
        Assert.Throws<ObjectDisposedException>(() => f.Add("mkdir", SeccompAction.Errno(1)));
        Assert.Throws<ObjectDisposedException>(() => SpxProcess.Start(new SpxStartInfo(Probe) { Seccomp = f }));
    }

    [Fact]
    public void Landlock_bad_inputs_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LandlockRuleset.Create(-1));
        Assert.Throws<ArgumentException>(() => LandlockRuleset.Create(99));
        Assert.Throws<ArgumentOutOfRangeException>(() => LandlockRuleset.Create(0, (LandlockCompat)7));
        using var r = LandlockRuleset.Create(7, LandlockCompat.BestEffort);
        Assert.Throws<ArgumentException>(() => r.AllowPath("", LandlockAccess.ReadOnly));
        Assert.Throws<ArgumentException>(() => r.AllowPath("/", LandlockAccess.None));
        Assert.Throws<ArgumentException>(() => r.AllowPath("/\0x", LandlockAccess.ReadOnly));
        Assert.Throws<ArgumentException>(() => r.AllowPath("/", (LandlockAccess)(1UL << 40)));
        var e = Assert.Throws<SpxException>(() => r.AllowPath("/no/such/path", LandlockAccess.ReadOnly));
        Assert.Equal(2, e.NativeErrorCode);
        Assert.Throws<ArgumentOutOfRangeException>(() => r.AllowPort(65536, LandlockNetAccess.BindTcp));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.AllowPort(-1, LandlockNetAccess.BindTcp));
        Assert.Throws<ArgumentException>(() => r.AllowPort(80, LandlockNetAccess.None));
        Assert.Throws<ArgumentException>(() => r.SetScope((LandlockScope)(1UL << 40)));
        Assert.Throws<ArgumentException>(() => r.SetHandled((LandlockAccess)(1UL << 40), LandlockNetAccess.None));
        r.Dispose();
        Assert.Throws<ObjectDisposedException>(() => r.AllowPath("/", LandlockAccess.ReadOnly));
        Assert.Throws<ObjectDisposedException>(() => SpxProcess.Start(new SpxStartInfo(Probe) { Landlock = r }));
    }
}

using System.ComponentModel;
using Microsoft.Win32.SafeHandles;
using Xunit;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

public class ErrorTests
{
    [Fact]
    public void A_missing_program_is_an_SpxException_that_is_a_Win32Exception_like_Process_Start()
    {
        var e = Assert.Throws<SpxException>(() => SpxProcess.Start("/no/such/program"));
        Assert.IsAssignableFrom<Win32Exception>(e);
        Assert.Equal(2, e.NativeErrorCode); // ENOENT
        Assert.Equal(SpxStage.Exec, e.Stage);
        Assert.Contains("/no/such/program", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_working_directory_fails_at_chdir_with_the_library_s_message()
    {
        var e = Assert.Throws<SpxException>(() => SpxProcess.Start(new SpxStartInfo(Probe) { WorkingDirectory = "/srv/missing-dir" }));
        Assert.Equal(SpxStage.Chdir, e.Stage);
        Assert.Equal(2, e.NativeErrorCode);
        Assert.Equal("chdir: No such file or directory: /srv/missing-dir", e.Message);
    }

    [Fact]
    public void A_failed_setuid_names_its_stage()
    {
        Assert.SkipWhen(IsRoot, "as root setuid succeeds");
        var e = Assert.Throws<SpxException>(() => SpxProcess.Start(new SpxStartInfo(Probe) { UserId = 12345, GroupId = 12345 }));
        Assert.True(e.Stage is SpxStage.SetGroups or SpxStage.SetGid or SpxStage.SetUid, e.Stage.ToString());
        Assert.Equal(1, e.NativeErrorCode); // EPERM
    }

    [Fact]
    public void A_program_that_is_not_executable_fails_at_exec_with_EACCES()
    {
        string f = Path.Combine(TempDir(), "not-exec");
        File.WriteAllText(f, "#!/bin/sh\n");
        var e = Assert.Throws<SpxException>(() => SpxProcess.Start(new SpxStartInfo(f)));
        Assert.Equal(13, e.NativeErrorCode);
    }

    [Fact]
    public void AppContainer_is_refused_on_Linux()
    {
        var e = Assert.Throws<SpxException>(() => SpxProcess.Start(new SpxStartInfo(Probe) { AppContainerName = "spx-test" }));
        Assert.Equal(95, e.NativeErrorCode); // ENOTSUP
    }

    public static TheoryData<string, Action<SpxStartInfo>> BadStartInfos => new()
    {
        { "no file name", i => i.FileName = null },
        { "empty file name", i => i.FileName = "" },
        { "NUL in file name", i => i.FileName = "/bin/t\0rue" },
        { "NUL in an argument", i => i.ArgumentList.Add("a\0b") },
        { "null argument", i => i.ArgumentList.Add(null!) },
        { "NUL in argv0", i => i.Argument0 = "x\0" },
        { "empty working directory", i => i.WorkingDirectory = "" },
        { "NUL in working directory", i => i.WorkingDirectory = "/tmp\0" },
        { "empty root directory", i => i.RootDirectory = "" },
        { "environment name with =", i => i.Environment["A=B"] = "c" },
        { "empty environment name", i => i.Environment[""] = "c" },
        { "NUL in an environment value", i => i.Environment["A"] = "b\0c" },
        { "uid -1", i => { i.UserId = uint.MaxValue; i.GroupId = 1; } },
        { "gid -1", i => i.GroupId = uint.MaxValue },
        { "uid without gid", i => i.UserId = 65534 },
        { "group -1", i => i.SupplementaryGroups = [uint.MaxValue] },
        { "too many groups", i => i.SupplementaryGroups = new uint[65537] },
        { "groups and keep groups", i => { i.SupplementaryGroups = []; i.KeepSupplementaryGroups = true; } },
        { "null capability set", i => i.AmbientCapabilities = null! },
        { "SIGKILL to default", i => i.DefaultSignals.Add(9) },
        { "SIGSTOP to default", i => i.DefaultSignals.Add(19) },
        { "signal 0 to default", i => i.DefaultSignals.Add(0) },
        { "signal 65 blocked", i => i.BlockedSignals = [65] },
        { "signal 0 blocked", i => i.BlockedSignals = [0] },
        { "negative pdeathsig", i => i.ParentDeathSignal = -1 },
        { "pdeathsig 65", i => i.ParentDeathSignal = 65 },
        { "negative child fd", i => i.FileDescriptors[-1] = null },
        { "redirected and mapped fd", i => { i.RedirectStandardOutput = true; i.FileDescriptors[1] = null; } },
        { "closed fd handle", i => { var h = new SafeFileHandle(0, false); h.Dispose(); i.FileDescriptors[3] = h; } },
        { "invalid fd handle", i => i.FileDescriptors[3] = new SafeFileHandle(-1, false) },
        { "exec handle and exec dir", i => { i.ExecutableHandle = new SafeFileHandle(0, false); i.ExecutableDirectoryHandle = new SafeFileHandle(0, false); } },
        { "invalid Landlock handle", i => i.LandlockHandle = new SafeFileHandle(-1, false) },
        { "empty BPF program", i => i.SeccompProgram = [] },
        { "BPF program not a multiple of 8", i => i.SeccompProgram = new byte[12] },
        { "BPF program too long", i => i.SeccompProgram = new byte[8 * 4097] },
        { "negative process group", i => i.ProcessGroupId = -2 },
        { "negative controlling terminal", i => i.ControllingTerminal = -1 },
        { "negative foreground terminal", i => i.ForegroundTerminal = -1 },
        { "umask above 0777", i => i.UMask = 512 },
        { "negative umask", i => i.UMask = -1 },
        { "soft limit above hard", i => i.ResourceLimits[Resource.OpenFiles] = new ResourceLimit(10, 5) },
        { "unknown resource", i => i.ResourceLimits[(Resource)(-1)] = new ResourceLimit(1, 1) },
        { "invalid cgroup handle", i => i.CgroupHandle = new SafeFileHandle(-1, false) },
        { "empty AppContainer name", i => i.AppContainerName = "" },
    };

    [Theory]
    [MemberData(nameof(BadStartInfos))]
    public void Bad_arguments_throw_ArgumentException_before_any_spawn(string what, Action<SpxStartInfo> spoil)
    {
        var info = new SpxStartInfo(Probe);
        spoil(info);
        var e = Record.Exception(() => SpxProcess.Start(info));
        Assert.True(e is ArgumentException, $"{what}: {e?.GetType().Name ?? "no exception"}: {e?.Message}");
    }

    [Fact]
    public void Bad_arguments_the_library_finds_are_ArgumentExceptions_too()
    {
        // A capability above the kernel's cap_last_cap passes the managed check (0..63).
        var e = Record.Exception(() => SpxProcess.Start(new SpxStartInfo(Probe) { AmbientCapabilities = { (Capability)62 } }));
        Assert.IsType<ArgumentException>(e);
        Assert.Contains("spx_attr_set_ambient", e.Message, StringComparison.Ordinal);
        // Securebits libspx does not know.
        e = Record.Exception(() => SpxProcess.Start(new SpxStartInfo(Probe) { SecureBits = (SecureBits)(1u << 30) }));
        Assert.IsType<ArgumentException>(e);
        // A resource the kernel does not know.
        e = Record.Exception(() => SpxProcess.Start(new SpxStartInfo(Probe) { ResourceLimits = { [(Resource)99] = new ResourceLimit(1, 1) } }));
        Assert.IsType<ArgumentException>(e);
        // A cgroup handle that is not open in this process.
        e = Record.Exception(() => SpxProcess.Start(new SpxStartInfo(Probe) { CgroupHandle = new SafeFileHandle(999_999, false) }));
        Assert.IsType<ArgumentException>(e);
    }

    [Fact]
    public void Capability_numbers_outside_0_to_63_are_refused_by_the_set()
    {
        var set = new CapabilitySet();
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Add((Capability)64));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Add((Capability)(-1)));
        Assert.Throws<ArgumentNullException>(() => new CapabilitySet(null!));
    }

    [Fact]
    public void DirectoryHandle_checks_its_path()
    {
        Assert.Throws<ArgumentException>(() => DirectoryHandle.Open(""));
        Assert.Throws<ArgumentException>(() => DirectoryHandle.Open("/t\0mp"));
        Assert.Equal(2, Assert.Throws<SpxException>(() => DirectoryHandle.Open("/no/such/dir")).NativeErrorCode);
        Assert.Equal(20, Assert.Throws<SpxException>(() => DirectoryHandle.Open("/etc/passwd")).NativeErrorCode); // ENOTDIR
    }

    [Fact]
    public void Process_methods_check_their_arguments_and_state()
    {
        using var p = SpxProcess.Start(Probe, "sleep=60000");
        Assert.Throws<ArgumentOutOfRangeException>(() => p.WaitForExit(-2));
        Assert.Throws<ArgumentOutOfRangeException>(() => p.WaitForExit(TimeSpan.FromMilliseconds(-5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Signal(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Signal(65));
        Assert.Throws<InvalidOperationException>(() => p.TerminationSignal);
        Assert.Throws<InvalidOperationException>(() => p.CoreDumped);
        Assert.Throws<ArgumentNullException>(() => SpxProcess.Start((SpxStartInfo)null!));
        Assert.Throws<ArgumentNullException>(() => new SpxStartInfo("x", null!));
        p.Kill();
        p.WaitForExit();
        p.Dispose();
        Assert.Throws<ObjectDisposedException>(() => p.Kill());
        Assert.Equal(137, p.ExitCode); // the status stays readable
    }

    [Fact]
    public void Resource_names_are_looked_up_in_the_library()
    {
        Assert.Equal((int)Resource.OpenFiles, ResourceLimit.ResourceFromName("nofile"));
        Assert.Equal((int)Resource.OpenFiles, ResourceLimit.ResourceFromName("RLIMIT_NOFILE"));
        Assert.Throws<ArgumentException>(() => ResourceLimit.ResourceFromName("nosuch"));
        Assert.Throws<ArgumentException>(() => ResourceLimit.ResourceFromName(""));
        foreach (var r in Enum.GetValues<Resource>()) Assert.True(ResourceLimit.ResourceFromName(r switch
        {
            Resource.Cpu => "cpu", Resource.FileSize => "fsize", Resource.Data => "data", Resource.Stack => "stack", Resource.Core => "core",
            Resource.Rss => "rss", Resource.Processes => "nproc", Resource.OpenFiles => "nofile", Resource.LockedMemory => "memlock",
            Resource.AddressSpace => "as", Resource.FileLocks => "locks", Resource.PendingSignals => "sigpending", Resource.MessageQueueBytes => "msgqueue",
            Resource.Nice => "nice", Resource.RealtimePriority => "rtprio", _ => "rttime",
        }) == (int)r, r.ToString());
    }
}

using Microsoft.Win32.SafeHandles;
using Xunit;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

public class ExecTests
{
    [Fact]
    public void ExecutableHandle_runs_the_open_file()
    {
        using var exe = File.OpenHandle(Probe, FileMode.Open, FileAccess.Read);
        string output = RunProbe(new SpxStartInfo { ExecutableHandle = exe, Argument0 = "from-fd" }, "argv0", "exe", "fds");
        Assert.Contains("argv0: from-fd\n", output, StringComparison.Ordinal);
        Assert.Contains($"exe: {Probe}\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("fd: 3", output, StringComparison.Ordinal); // the descriptor does not reach the program
    }

    [Fact]
    public void ExecutableDirectoryHandle_resolves_the_name_in_that_directory()
    {
        using var dir = DirectoryHandle.Open(Path.GetDirectoryName(Probe)!);
        string output = RunProbe(new SpxStartInfo("spx-probe") { ExecutableDirectoryHandle = dir }, "exe");
        Assert.Equal($"exe: {Probe}\n", output);
    }

    [Fact]
    public void ExecutableDirectoryNoFollow_refuses_a_final_symlink()
    {
        string d = TempDir();
        File.CreateSymbolicLink(Path.Combine(d, "link"), Probe);
        using var dir = DirectoryHandle.Open(d);
        Assert.Equal($"exe: {Probe}\n", RunProbe(new SpxStartInfo("link") { ExecutableDirectoryHandle = dir }, "exe"));
        var e = Assert.Throws<SpxException>(() => SpxProcess.Start(new SpxStartInfo("link") { ExecutableDirectoryHandle = dir, ExecutableDirectoryNoFollow = true }));
        Assert.Equal(SpxStage.Exec, e.Stage);
        Assert.Equal(40, e.NativeErrorCode); // ELOOP
    }

    [Fact]
    public void A_closed_handle_is_a_bad_argument()
    {
        var exe = File.OpenHandle(Probe, FileMode.Open, FileAccess.Read);
        exe.Dispose();
        Assert.Throws<ArgumentException>(() => SpxProcess.Start(new SpxStartInfo { ExecutableHandle = exe }));
        Assert.Throws<ArgumentException>(() => SpxProcess.Start(new SpxStartInfo(Probe) { ExecutableDirectoryHandle = new SafeFileHandle(-1, false) }));
    }
}

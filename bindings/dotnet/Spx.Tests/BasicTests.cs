using Xunit;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

public class BasicTests
{
    [Fact]
    public void Exit_code_comes_from_the_child()
    {
        using var p = SpxProcess.Start(Probe, "exit=7");
        p.WaitForExit();
        Assert.True(p.HasExited);
        Assert.Equal(7, p.ExitCode);
        Assert.Equal(0, p.TerminationSignal);
    }

    [Fact]
    public void A_signal_death_reads_as_128_plus_the_signal_like_Process()
    {
        using var p = SpxProcess.Start(Probe, "raise=15");
        p.WaitForExit();
        Assert.Equal(15, p.TerminationSignal);
        Assert.Equal(128 + 15, p.ExitCode);
        Assert.False(p.CoreDumped);
    }

    [Fact]
    public void Arguments_and_argv0_reach_the_child()
    {
        var info = new SpxStartInfo(Probe) { Argument0 = "custom-zero" };
        string output = RunProbe(info, "argv0", "echo=a b  c", "echo=ünïcødé");
        Assert.Contains("argv0: custom-zero\n", output, StringComparison.Ordinal);
        Assert.Contains("a b  c\n", output, StringComparison.Ordinal);
        Assert.Contains("ünïcødé\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_is_exactly_what_the_start_info_holds()
    {
        var info = new SpxStartInfo(Probe);
        info.Environment.Clear();
        info.Environment["K"] = "v=w";
        info.Environment["DROPPED"] = null;
        string output = RunProbe(info, "env");
        Assert.Equal("env: K=v=w\n", output);
    }

    [Fact]
    public void Default_environment_is_this_process_s()
    {
        string output = RunProbe(null, "env");
        Assert.Contains($"env: PATH={Environment.GetEnvironmentVariable("PATH")}\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Working_directory_is_the_child_s_cwd()
    {
        string dir = TempDir();
        string output = RunProbe(new SpxStartInfo { WorkingDirectory = dir }, "cwd");
        Assert.Equal($"cwd: {dir}\n", output);
    }

    [Fact]
    public void A_name_without_slash_is_looked_up_in_PATH()
    {
        var info = new SpxStartInfo("sh", "-c", "echo $0");
        info.RedirectStandardOutput = true;
        using var p = SpxProcess.Start(info);
        Assert.Equal("sh\n", p.StandardOutput.ReadToEnd());
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public void Without_path_search_a_bare_name_is_not_found()
    {
        var e = Assert.Throws<SpxException>(() => SpxProcess.Start(new SpxStartInfo("sh") { UsePathSearch = false, WorkingDirectory = "/" }));
        Assert.Equal(2, e.NativeErrorCode);
    }

    [Fact]
    public void Kill_ends_a_running_child_and_WaitForExit_with_a_timeout_says_so()
    {
        using var p = SpxProcess.Start(Probe, "sleep=60000");
        Assert.False(p.WaitForExit(50));
        Assert.False(p.HasExited);
        Assert.Throws<InvalidOperationException>(() => p.ExitCode);
        p.Kill();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)));
        Assert.Equal(9, p.TerminationSignal);
        Assert.Equal(137, p.ExitCode);
        p.Kill(); // already reaped: nothing happens
    }

    [Fact]
    public async Task Exited_is_raised_once_and_ExitTime_follows_StartTime()
    {
        var exited = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        int calls = 0;
        using var p = SpxProcess.Start(Probe, "sleep=200");
        p.Exited += (sender, _) => { Interlocked.Increment(ref calls); exited.TrySetResult(sender); };
        Assert.Throws<InvalidOperationException>(() => p.ExitTime);
        Assert.Same(p, await exited.Task.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.True(p.HasExited);
        Assert.True(p.ExitTime >= p.StartTime);
        int late = 0;
        p.Exited += (_, _) => Interlocked.Increment(ref late); // added after the exit: never called
        await Task.Delay(50);
        Assert.Equal(1, calls);
        Assert.Equal(0, late);
    }

    [Fact]
    public void Signal_sends_that_signal()
    {
        using var p = SpxProcess.Start(Probe, "sleep=60000");
        p.Signal(10);
        p.WaitForExit();
        Assert.Equal(10, p.TerminationSignal);
    }

    [Fact]
    public void Id_is_the_child_s_pid()
    {
        using var p = SpxProcess.Start(new SpxStartInfo("/bin/sh", "-c", "echo $$") { RedirectStandardOutput = true });
        Assert.Equal(p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), p.StandardOutput.ReadToEnd().Trim());
        p.WaitForExit();
    }

    [Fact]
    public void Version_and_stage_names_come_from_the_library()
    {
        Assert.Equal(SpxLibrary.BindingVersion, SpxLibrary.Version);
        Assert.Equal("setuid", SpxLibrary.GetStageName(SpxStage.SetUid));
        Assert.Equal("landlock", SpxLibrary.GetStageName(SpxStage.Landlock));
        Assert.Equal("unknown", SpxLibrary.GetStageName((SpxStage)999));
    }
}

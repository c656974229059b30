using System.Security.Cryptography;
using Xunit;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

public class StreamTests
{
    [Fact]
    public async Task Several_MiB_flow_through_stdin_stdout_and_stderr_at_once()
    {
        byte[] data = RandomNumberGenerator.GetBytes(6 << 20);
        string text = Convert.ToBase64String(data); // 8 MiB of text
        var info = new SpxStartInfo("/bin/sh", "-c", "tee /dev/stderr")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var p = SpxProcess.Start(info);
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        await p.StandardInput.WriteAsync(text);
        p.StandardInput.Close();
        Assert.Equal(text, await outTask);
        Assert.Equal(text, await errTask);
        await p.WaitForExitAsync();
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public void Streams_not_redirected_throw()
    {
        using var p = SpxProcess.Start(Probe);
        Assert.Throws<InvalidOperationException>(() => p.StandardOutput);
        Assert.Throws<InvalidOperationException>(() => p.StandardError);
        Assert.Throws<InvalidOperationException>(() => p.StandardInput);
        p.WaitForExit();
    }

    [Fact]
    public void A_reader_that_stops_gets_the_child_killed_by_SIGPIPE()
    {
        var info = new SpxStartInfo("/bin/sh", "-c", "exec yes") { RedirectStandardOutput = true };
        using var p = SpxProcess.Start(info);
        p.StandardOutput.ReadLine();
        p.StandardOutput.Close();
        p.WaitForExit();
        Assert.Equal(13, p.TerminationSignal);
    }

    [Fact]
    public void FileDescriptors_map_handles_into_the_child_and_nothing_else_leaks()
    {
        string dir = TempDir();
        using var a = File.OpenHandle(Path.Combine(dir, "a"), FileMode.Create, FileAccess.Write);
        using var b = File.OpenHandle(Path.Combine(dir, "b"), FileMode.Create, FileAccess.Write);
        var info = new SpxStartInfo();
        info.FileDescriptors[5] = a;
        info.FileDescriptors[9] = b;
        string output = RunProbe(info, "fds", "out=9", "echo=into-b");
        Assert.Contains($"fd: 5 -> {dir}/a\n", output, StringComparison.Ordinal);
        Assert.Contains($"fd: 9 -> {dir}/b\n", output, StringComparison.Ordinal);
        var fds = output.Split('\n').Where(l => l.StartsWith("fd: ", StringComparison.Ordinal)).Select(l => int.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
        Assert.Equal([0, 1, 2, 5, 9], fds);
        Assert.Equal("into-b\n", File.ReadAllText(Path.Combine(dir, "b")));
    }

    [Fact]
    public void A_null_FileDescriptors_entry_closes_that_fd_in_the_child()
    {
        var info = new SpxStartInfo { RedirectStandardError = false };
        info.FileDescriptors[2] = null;
        Assert.DoesNotContain("fd: 2 ", RunProbe(info, "fds"), StringComparison.Ordinal);
    }
}

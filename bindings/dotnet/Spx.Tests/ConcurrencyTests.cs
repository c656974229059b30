using Xunit;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

[Collection(nameof(Alone))]
public class ConcurrencyTests
{
    [Fact]
    public void Eight_threads_spawn_at_once_sharing_one_start_info()
    {
        // One start info, one Landlock ruleset and one seccomp filter for all threads.
        using var rules = LandlockRuleset.Create(0, LandlockCompat.BestEffort).AllowPath("/", LandlockAccess.ReadExecute);
        using var filter = SeccompFilter.Create(SeccompAction.Allow).Add("mkdir", SeccompAction.Errno(1));
        var info = new SpxStartInfo(Probe, "exit=3") { NoNewPrivileges = true, Landlock = rules, Seccomp = filter };
        var errors = new List<Exception>();
        var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
        {
            try
            {
                for (int i = 0; i < 100; i++)
                {
                    using var p = SpxProcess.Start(info);
                    p.WaitForExit();
                    if (p.ExitCode != 3) throw new InvalidOperationException($"exit {p.ExitCode}");
                }
            }
            catch (Exception e) { lock (errors) errors.Add(e); }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Two_hundred_concurrent_WaitForExitAsync_need_no_thread_each()
    {
        int threadsBefore = System.Diagnostics.Process.GetCurrentProcess().Threads.Count;
        var procs = Enumerable.Range(0, 200).Select(i => SpxProcess.Start(Probe, "sleep=300", $"exit={i % 100}")).ToList();
        var waits = procs.Select(p => p.WaitForExitAsync()).ToList();
        // While all 200 are awaited, no thread was added per child.
        int threadsDuring = System.Diagnostics.Process.GetCurrentProcess().Threads.Count;
        Assert.True(threadsDuring - threadsBefore < 20, $"{threadsBefore} threads before, {threadsDuring} during");
        await Task.WhenAll(waits);
        for (int i = 0; i < procs.Count; i++) Assert.Equal(i % 100, procs[i].ExitCode);
        procs.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task Cancelling_WaitForExitAsync_stops_the_wait_not_the_child()
    {
        using var p = SpxProcess.Start(Probe, "sleep=60000");
        using var cts = new CancellationTokenSource();
        var wait = p.WaitForExitAsync(cts.Token);
        Assert.False(wait.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.False(p.HasExited);
        p.Kill();
        await p.WaitForExitAsync();
        Assert.Equal(9, p.TerminationSignal);
        await p.WaitForExitAsync(new CancellationToken(true)); // already exited: completes, not cancelled
    }

    [Fact]
    public async Task Dispose_never_kills_and_the_child_is_still_reaped()
    {
        string dir = TempDir();
        using var devnull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write);
        var info = new SpxStartInfo(Probe, "sleep=500", $"write={dir}/done");
        info.FileDescriptors[1] = devnull;
        var p = SpxProcess.Start(info);
        int pid = p.Id;
        p.Dispose();
        Assert.True(Directory.Exists($"/proc/{pid}"), "the child is still running after Dispose");
        // It finishes its work (it was not killed) and then goes away entirely: no zombie left.
        for (int i = 0; i < 600 && Directory.Exists($"/proc/{pid}"); i++) await Task.Delay(50);
        Assert.True(File.Exists(Path.Combine(dir, "done")), "the disposed child ran to its end");
        Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} is left as a zombie: {Stat(pid)}");
    }

    static string Stat(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return "gone"; }
    }
}

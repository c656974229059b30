using System.Diagnostics;
using Xunit;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

[Collection(nameof(Alone))]
public class LeakTests
{
    [Fact]
    public void Ten_thousand_spawns_leak_no_descriptor_handle_or_memory()
    {
        var info = new SpxStartInfo("/bin/true") { RedirectStandardOutput = true };
        void Batch(int n)
        {
            for (int i = 0; i < n; i++)
            {
                using var p = SpxProcess.Start(info);
                p.WaitForExit();
                if (p.ExitCode != 0) throw new InvalidOperationException($"exit {p.ExitCode}");
            }
        }
        Batch(500); // warm up: the watcher thread, JIT, pools
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        int fdsBefore = OpenFdCount();
        long rssBefore = Process.GetCurrentProcess().WorkingSet64;
        int handlesBefore = Process.GetCurrentProcess().HandleCount;
        Batch(10_000);
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        int fdsAfter = OpenFdCount();
        long rssAfter = Process.GetCurrentProcess().WorkingSet64;
        Assert.True(fdsAfter <= fdsBefore + 4, $"descriptors {fdsBefore} -> {fdsAfter}");
        Assert.True(Process.GetCurrentProcess().HandleCount <= handlesBefore + 4, $"handles {handlesBefore} -> {Process.GetCurrentProcess().HandleCount}");
        Assert.True(rssAfter - rssBefore < 32L << 20, $"RSS {rssBefore >> 20} MiB -> {rssAfter >> 20} MiB");
        Assert.Equal(0, ChildExitWatcher.Count);
    }
}

using System.Diagnostics;
using Xunit;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

public class SignalTests
{
    const ulong SigPipeBit = 1UL << (13 - 1);

    [Fact]
    public void SIGPIPE_is_back_to_default_in_the_child_unlike_Process_Start()
    {
        ulong spx = Hex(Field(RunProbe(null, "status"), "SigIgn"));
        Assert.Equal(0UL, spx & SigPipeBit);

        var psi = new ProcessStartInfo(Probe, "status") { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        ulong dotnet = Hex(Field(p.StandardOutput.ReadToEnd(), "SigIgn"));
        p.WaitForExit();
        Assert.Equal(SigPipeBit, dotnet & SigPipeBit); // what the runtime gives Process.Start's children
    }

    [Fact]
    public void RestoreSigPipe_false_keeps_the_runtime_s_ignored_SIGPIPE()
    {
        ulong ign = Hex(Field(RunProbe(new SpxStartInfo { RestoreSigPipe = false }, "status"), "SigIgn"));
        Assert.Equal(SigPipeBit, ign & SigPipeBit);
    }

    [Fact]
    public void BlockedSignals_is_the_child_s_mask()
    {
        ulong blk = Hex(Field(RunProbe(new SpxStartInfo { BlockedSignals = [10, 12] }, "status"), "SigBlk"));
        Assert.Equal((1UL << 9) | (1UL << 11), blk);
        Assert.Equal(0UL, Hex(Field(RunProbe(new SpxStartInfo { BlockedSignals = [] }, "status"), "SigBlk")));
    }

    [Fact]
    public void No_handler_of_this_process_survives_in_the_child()
    {
        Assert.DoesNotContain("sigcaught", RunProbe(null, "sigdfl"), StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultSignals_resets_a_signal_this_process_ignores()
    {
        var info = new SpxStartInfo(Probe) { RestoreSigPipe = false };
        info.DefaultSignals.Add(13);
        Assert.Equal(0UL, Hex(Field(RunProbe(info, "status"), "SigIgn")) & SigPipeBit);
    }
}

using Spx.Examples;
using Xunit;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

public class ExampleTests
{
    static (int Code, string Output) Run(Func<TextWriter, int> example)
    {
        var w = new StringWriter();
        int code = example(w);
        return (code, w.ToString());
    }

    [Fact]
    public void Ntp_client_as_nobody_with_CAP_SYS_TIME()
    {
        RequireRoot();
        var (code, output) = Run(AmbientNtp.Run);
        Assert.Equal(0, code);
        Assert.Equal("65534\t65534\t65534\t65534", Field(output, "Uid"));
        Assert.Equal(1UL << 25, Hex(Field(output, "CapAmb")));
        Assert.Equal(1UL << 25, Hex(Field(output, "CapEff")));
    }

    [Fact]
    public void Landlock_sandbox_writes_only_in_its_directory()
    {
        Assert.SkipWhen(LandlockRuleset.KernelAbi == 0, "this kernel has no Landlock");
        string dir = TempDir();
        var w = new StringWriter();
        Assert.Equal(0, LandlockSandbox.Run(w, dir));
        Assert.StartsWith("allowed\ndenied\n", w.ToString(), StringComparison.Ordinal);
        Assert.Equal("ok\n", File.ReadAllText(Path.Combine(dir, "out")));
    }

    [Fact]
    public void Exec_of_a_sealed_memfd()
    {
        var (code, output) = Run(ExecMemfd.Run);
        Assert.Equal(0, code);
        Assert.Equal("hello from a sealed memfd\n", output);
    }

    [Fact]
    public void Cap_launch_in_one_call()
    {
        RequireRoot();
        var (code, output) = Run(CapLaunch.Run);
        Assert.Equal(0, code);
        Assert.Equal(CapMask(Capability.NetBindService, Capability.NetRaw), Hex(Field(output, "CapBnd")));
        Assert.Equal(CapMask(Capability.NetBindService), Hex(Field(output, "CapAmb")));
        Assert.Equal(CapMask(Capability.NetBindService, Capability.NetRaw), Hex(Field(output, "CapInh")));
        Assert.Equal("1", Field(output, "NoNewPrivs"));
        Assert.Equal("2", Field(output, "Seccomp"));
    }

    [Fact]
    public void AppContainer_reports_ENOTSUP_off_Windows()
    {
        var (code, output) = Run(AppContainer.Run);
        Assert.Equal(0, code);
        Assert.Contains("not on this platform", output, StringComparison.Ordinal);
        Assert.Contains("internetClient: S-1-15-3-1\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"spx.example: {AppContainerProfile.GetSid("spx.example")}", output, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Xunit;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

/// <summary>
/// Landlock ABI 7 to 10: each ABI's rights, the errata, what a kernel older than 9 or 10 does with newer rights (strict
/// refusal, best-effort drop), and the restrict_self logging flags, seen from the probe in real children.
/// </summary>
public partial class LandlockAbiTests
{
    /// <summary>
    /// Each ABI's rights as the kernel documents them (uapi linux/landlock.h and Documentation/userspace-api/landlock.rst,
    /// Linux 7.2): filesystem bits 0-12 in ABI 1, REFER in 2, TRUNCATE in 3, IOCTL_DEV in 5, RESOLVE_UNIX in 9; TCP in 4,
    /// UDP in 10; both scopes in 6.
    /// </summary>
    public static TheoryData<int, ulong, ulong, ulong> Documented => new()
    {
        { 1, (1UL << 13) - 1, 0, 0 },
        { 2, (1UL << 14) - 1, 0, 0 },
        { 3, (1UL << 15) - 1, 0, 0 },
        { 4, (1UL << 15) - 1, 3, 0 },
        { 5, (1UL << 16) - 1, 3, 0 },
        { 6, (1UL << 16) - 1, 3, 3 },
        { 7, (1UL << 16) - 1, 3, 3 },
        { 8, (1UL << 16) - 1, 3, 3 },
        { 9, (1UL << 17) - 1, 3, 3 },
        { 10, (1UL << 17) - 1, 15, 3 },
    };

    [Theory]
    [MemberData(nameof(Documented))]
    public void The_rights_of_each_ABI_are_the_kernel_s(int abi, ulong fs, ulong net, ulong scopes)
    {
        Assert.Equal((LandlockAccess)fs, LandlockRuleset.GetFileSystemRights(abi));
        Assert.Equal((LandlockNetAccess)net, LandlockRuleset.GetNetworkRights(abi));
        Assert.Equal((LandlockScope)scopes, LandlockRuleset.GetScopes(abi));
    }

    [Fact]
    public void ABI_0_is_the_newest_an_unknown_ABI_throws_and_ReadWrite_stays_ABI_8()
    {
        Assert.Equal(LandlockRuleset.GetFileSystemRights(10), LandlockRuleset.GetFileSystemRights(0));
        Assert.Equal(LandlockRuleset.GetNetworkRights(10), LandlockRuleset.GetNetworkRights(0));
        foreach (int abi in new[] { -1, 11, int.MaxValue })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => LandlockRuleset.GetFileSystemRights(abi));
            Assert.Throws<ArgumentOutOfRangeException>(() => LandlockRuleset.GetNetworkRights(abi));
            Assert.Throws<ArgumentOutOfRangeException>(() => LandlockRuleset.GetScopes(abi));
        }
        Assert.Equal(LandlockAccess.ReadWrite, LandlockRuleset.GetFileSystemRights(8));
        Assert.False(LandlockAccess.ReadWrite.HasFlag(LandlockAccess.ResolveUnix));
        Assert.Equal(7, LandlockRuleset.DefaultAbi);
    }

    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long Syscall(long number, nint attr, nint size, uint flags);

    [Fact]
    public void The_errata_are_the_kernel_s()
    {
        const long SYS_landlock_create_ruleset = 444; // the same on every architecture
        long raw = Syscall(SYS_landlock_create_ruleset, 0, 0, 1u << 1 /* LANDLOCK_CREATE_RULESET_ERRATA */);
        Assert.Equal(raw > 0 ? (int)raw : 0, LandlockRuleset.KernelErrata);
    }

    [Fact]
    public void Bad_rule_flags_and_quiet_bits_throw_ArgumentException()
    {
        using var r = LandlockRuleset.Create(10, LandlockCompat.BestEffort);
        Assert.Throws<ArgumentException>(() => r.AllowPath("/", LandlockAccess.ReadOnly, (LandlockRuleOptions)2));
        Assert.Throws<ArgumentException>(() => r.AllowPort(80, LandlockNetAccess.BindTcp, (LandlockRuleOptions)2));
        Assert.Throws<ArgumentException>(() => r.AllowPort(80, (LandlockNetAccess)(1UL << 4)));
        Assert.Throws<ArgumentException>(() => r.AllowPath("/", LandlockAccess.None, LandlockRuleOptions.Quiet));
        Assert.Throws<ArgumentException>(() => r.SetQuiet((LandlockAccess)(1UL << 40), LandlockNetAccess.None, LandlockScope.None));
        Assert.Throws<ArgumentException>(() => r.SetQuiet(LandlockAccess.None, LandlockNetAccess.None, (LandlockScope)(1UL << 5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.AllowPort(-1, LandlockNetAccess.BindUdp, LandlockRuleOptions.Quiet));
        // A right outside the ruleset's own ABI, whatever the kernel.
        using var seven = LandlockRuleset.Create(7, LandlockCompat.Strict);
        Assert.Equal(95, Assert.Throws<SpxException>(() => seven.AllowPath("/", LandlockAccess.ResolveUnix)).NativeErrorCode);
    }

    [Fact]
    public void Strict_mode_refuses_what_an_older_kernel_lacks()
    {
        int kernel = LandlockRuleset.KernelAbi;
        Assert.SkipWhen(kernel is 0 or >= 10, $"needs Landlock ABI 1 to 9, not {kernel}");
        const int ENOTSUP = 95;
        var udp = LandlockNetAccess.BindUdp | LandlockNetAccess.ConnectSendUdp;
        var refusals = new List<Action<LandlockRuleset>>
        {
            r => r.AllowPort(53, udp),
            r => r.SetQuiet(LandlockAccess.ReadOnly, LandlockNetAccess.None, LandlockScope.None),
            r => r.AllowPath("/", LandlockAccess.ReadOnly, LandlockRuleOptions.Quiet),
            r => r.AllowPort(80, LandlockNetAccess.ConnectTcp, LandlockRuleOptions.Quiet),
            r => r.SetHandled(LandlockAccess.None, udp),
        };
        if (kernel < 9) refusals.Add(r => r.AllowPath("/", LandlockAccess.ResolveUnix));
        foreach (var refuse in refusals)
        {
            using var r = LandlockRuleset.Create(10, LandlockCompat.Strict);
            Assert.Equal(ENOTSUP, Assert.Throws<SpxException>(() => refuse(r)).NativeErrorCode);
        }
        // Every right of ABI 10 cannot be handled here: the status says so and the child never starts.
        using var all = LandlockRuleset.Create(10, LandlockCompat.Strict).AllowPath("/", LandlockAccess.ReadExecute);
        Assert.NotEqual(LandlockStatus.FullyEnforced, all.Status);
        Assert.Equal(ENOTSUP, Assert.Throws<SpxException>(() => all.CreateDescriptor()).NativeErrorCode);
        var e = Assert.Throws<SpxException>(() => SpxProcess.Start(new SpxStartInfo(Probe, "echo=ran") { Landlock = all }));
        Assert.Equal((ENOTSUP, SpxStage.Prepare), (e.NativeErrorCode, e.Stage));
    }

    /// <summary>A loopback port free for both TCP and UDP now.</summary>
    static int FreePort()
    {
        for (int i = 0; i < 20; i++)
        {
            using var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            int port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("no free port");
    }

    [Fact]
    public void Best_effort_drops_what_an_older_kernel_lacks_and_enforces_the_rest()
    {
        int kernel = LandlockRuleset.KernelAbi;
        Assert.SkipWhen(kernel is < 4 or >= 10, $"needs Landlock ABI 4 to 9, not {kernel}");
        string allowed = TempDir(), denied = TempDir();
        int port = FreePort();
        using var rules = LandlockRuleset.Create(10, LandlockCompat.BestEffort)
            .AllowPath("/", LandlockAccess.ReadExecute)
            .AllowPath(allowed, LandlockRuleset.GetFileSystemRights(10), LandlockRuleOptions.Quiet)
            .AllowPort(port, LandlockNetAccess.BindUdp | LandlockNetAccess.ConnectSendUdp)
            .SetQuiet(LandlockRuleset.GetFileSystemRights(10), LandlockRuleset.GetNetworkRights(10), LandlockScope.None);
        Assert.Equal(LandlockStatus.PartiallyEnforced, rules.Status);
        string output = RunProbe(new SpxStartInfo { Landlock = rules },
            $"write={allowed}/f", $"write={denied}/f", $"bind={port}", $"bind-udp={port}", $"send-udp={port}");
        Assert.Equal("ok", Field(output, $"write {allowed}/f"));
        Assert.Equal("EACCES", Field(output, $"write {denied}/f"));
        Assert.Equal("EACCES", Field(output, $"bind {port}")); // TCP is still handled
        Assert.Equal("ok", Field(output, $"bind-udp {port}")); // UDP was dropped
        Assert.Equal("ok", Field(output, $"send-udp {port}"));
    }

    [Fact]
    public void The_logging_flags_are_accepted_with_a_ruleset_a_descriptor_or_alone()
    {
        Assert.SkipWhen(LandlockRuleset.KernelAbi < 7, "needs Landlock ABI 7 (the logging flags)");
        string allowed = TempDir(), denied = TempDir();
        using var rules = LandlockRuleset.Create(7, LandlockCompat.Strict)
            .AllowPath("/", LandlockAccess.ReadExecute)
            .AllowPath(allowed, LandlockAccess.ReadWrite);
        var all = LandlockLogging.SameExecOff | LandlockLogging.NewExecOn | LandlockLogging.SubdomainsOff;
        foreach (var flags in new[] { LandlockLogging.NewExecOn, all })
        {
            string output = RunProbe(new SpxStartInfo { Landlock = rules, LandlockLogging = flags }, $"write={allowed}/f", $"write={denied}/f");
            Assert.Equal("ok", Field(output, $"write {allowed}/f"));
            Assert.Equal("EACCES", Field(output, $"write {denied}/f"));
        }
        using (var fd = rules.CreateDescriptor())
        {
            string output = RunProbe(new SpxStartInfo { LandlockHandle = fd, LandlockLogging = all }, $"write={denied}/g");
            Assert.Equal("EACCES", Field(output, $"write {denied}/g"));
        }
        string alone = RunProbe(new SpxStartInfo { LandlockLogging = LandlockLogging.SubdomainsOff }, $"write={denied}/h");
        Assert.Equal("ok", Field(alone, $"write {denied}/h"));

        // An unknown flag: refused before anything runs.
        var e = Assert.Throws<ArgumentException>(() => SpxProcess.Start(
            new SpxStartInfo(Probe, $"write={denied}/never") { Landlock = rules, LandlockLogging = (LandlockLogging)(1u << 3) }));
        Assert.Equal(nameof(SpxStartInfo.LandlockLogging), e.ParamName);
        Assert.False(File.Exists(Path.Combine(denied, "never")));
    }
}

using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Spx.Interop;
using Xunit;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

public partial class InteropTests
{
    static string[] ExportedSymbols()
    {
        string lib = Path.Combine(BuildDir, "lib", "libspx.so");
        var psi = new ProcessStartInfo("nm", ["-D", "--defined-only", lib]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return output.Split('\n').Select(l => l.Split(' ')).Where(f => f.Length == 3 && f[1] == "T" && f[2].StartsWith("spx_", StringComparison.Ordinal))
            .Select(f => f[2].Split('@')[0]).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public void Every_exported_spx_symbol_is_bound()
    {
        var bound = typeof(NativeMethods).GetMethods(BindingFlags.Static | BindingFlags.NonPublic).Select(m => m.Name).ToHashSet();
        string[] exported = ExportedSymbols();
        Assert.NotEmpty(exported);
        string[] unbound = [.. exported.Where(s => !bound.Contains(s))];
        Assert.True(unbound.Length == 0, "not bound: " + string.Join(", ", unbound));
    }

    [GeneratedRegex(@"NativeMethods\.(spx_[a-z0-9_]+)")]
    private static partial Regex Call();

    [Fact]
    public void Every_exported_spx_symbol_is_reachable_from_the_idiomatic_API()
    {
        var used = Directory.GetFiles(Path.Combine(BindingDir, "Spx"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".g.cs", StringComparison.Ordinal) || f.EndsWith("SafeHandles.g.cs", StringComparison.Ordinal))
            .SelectMany(f => Call().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet();
        string[] unused = [.. ExportedSymbols().Where(s => !used.Contains(s))];
        Assert.True(unused.Length == 0, "not reachable from the Spx API: " + string.Join(", ", unused));
    }

    [Fact]
    public void Every_stage_constant_has_an_SpxStage_member()
    {
        var stages = typeof(NativeConstants).GetFields(BindingFlags.Static | BindingFlags.NonPublic)
            .Where(f => f.Name.StartsWith("SPX_STAGE_", StringComparison.Ordinal)).Select(f => (int)f.GetValue(null)!).ToArray();
        Assert.NotEmpty(stages);
        Assert.All(stages, v => Assert.True(Enum.IsDefined((SpxStage)v), $"stage {v}"));
        Assert.All(Enum.GetValues<SpxStage>(), s => Assert.NotEqual("unknown", SpxLibrary.GetStageName(s)));
    }

    [Fact]
    public void Every_Landlock_right_and_flag_and_securebit_is_in_its_enum()
    {
        ulong fs = 0, net = 0, scope = 0;
        uint secbits = 0, log = 0, rule = 0;
        foreach (var f in typeof(NativeConstants).GetFields(BindingFlags.Static | BindingFlags.NonPublic))
        {
            if (f.Name.StartsWith("SPX_LANDLOCK_FS_", StringComparison.Ordinal)) fs |= (ulong)f.GetValue(null)!;
            if (f.Name.StartsWith("SPX_LANDLOCK_NET_", StringComparison.Ordinal)) net |= (ulong)f.GetValue(null)!;
            if (f.Name.StartsWith("SPX_LANDLOCK_SCOPE_", StringComparison.Ordinal)) scope |= (ulong)f.GetValue(null)!;
            if (f.Name.StartsWith("SPX_SECBIT_", StringComparison.Ordinal)) secbits |= (uint)f.GetValue(null)!;
            if (f.Name.StartsWith("SPX_LANDLOCK_LOG_", StringComparison.Ordinal)) log |= (uint)f.GetValue(null)!;
            if (f.Name.StartsWith("SPX_LANDLOCK_RULE_", StringComparison.Ordinal)) rule |= (uint)f.GetValue(null)!;
        }
        Assert.Equal(fs, Enum.GetValues<LandlockAccess>().Aggregate(0UL, (m, v) => m | (ulong)v));
        Assert.Equal(net, Enum.GetValues<LandlockNetAccess>().Aggregate(0UL, (m, v) => m | (ulong)v));
        Assert.Equal(scope, Enum.GetValues<LandlockScope>().Aggregate(0UL, (m, v) => m | (ulong)v));
        Assert.Equal(secbits, Enum.GetValues<SecureBits>().Aggregate(0u, (m, v) => m | (uint)v));
        Assert.NotEqual(0u, log);
        Assert.Equal(log, Enum.GetValues<LandlockLogging>().Aggregate(0u, (m, v) => m | (uint)v));
        Assert.NotEqual(0u, rule);
        Assert.Equal(rule, Enum.GetValues<LandlockRuleOptions>().Aggregate(0u, (m, v) => m | (uint)v));
    }

    [Fact]
    public void The_library_was_loaded_from_SPX_LIBRARY_when_set()
    {
        string? want = Environment.GetEnvironmentVariable(NativeMethods.LibraryVariable);
        Assert.SkipWhen(string.IsNullOrEmpty(want), "SPX_LIBRARY is not set");
        _ = SpxLibrary.Version;
        string maps = File.ReadAllText("/proc/self/maps");
        Assert.Contains(Path.GetFullPath(want!), maps, StringComparison.Ordinal);
    }

    [Fact]
    public void The_error_structure_has_the_C_layout()
    {
        Assert.Equal(4 + 4 + 256, Marshal.SizeOf<SpxErrorNative>());
    }
}

using System.Globalization;
using System.Reflection;
using Xunit;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
[assembly: AssemblyFixture(typeof(Spx.Tests.TempDirs))]

namespace Spx.Tests;

/// <summary>Where things are, and how to read what a child reports about itself.</summary>
internal static class TestEnv
{
    /// <summary>The meson build tree (SPX_BUILD_DIR), which holds tests/spx-probe.</summary>
    internal static string BuildDir => Environment.GetEnvironmentVariable("SPX_BUILD_DIR") is { Length: > 0 } d
        ? Path.GetFullPath(d)
        : throw new InvalidOperationException("set SPX_BUILD_DIR to a meson build directory of libspx (bindings/dotnet/check.sh does)");

    internal static string Probe => Path.Combine(BuildDir, "tests", "spx-probe");
    internal static string StaticProbe => Path.Combine(BuildDir, "tests", "spx-probe-static");

    /// <summary>bindings/dotnet in the source tree.</summary>
    internal static string BindingDir => typeof(TestEnv).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SpxBindingDir").Value!;

    internal static bool IsRoot => Environment.IsPrivilegedProcess;

    internal static void RequireRoot() => Assert.SkipUnless(IsRoot, "needs root (CAP_SETUID, CAP_SETGID, CAP_SETPCAP ...)");

    /// <summary>Runs the probe with these commands and returns its stdout.</summary>
    internal static string RunProbe(SpxStartInfo? info, params string[] commands)
    {
        info ??= new SpxStartInfo();
        info.FileName ??= Probe;
        foreach (var c in commands) info.ArgumentList.Add(c);
        info.RedirectStandardOutput = true;
        using var p = SpxProcess.Start(info);
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"probe exit {p.ExitCode}: {output}");
        return output;
    }

    /// <summary>The value of "Key:" in output lines (the first one).</summary>
    internal static string Field(string output, string key)
    {
        foreach (var line in output.Split('\n'))
            if (line.StartsWith(key + ":", StringComparison.Ordinal)) return line[(key.Length + 1)..].Trim();
        throw new Xunit.Sdk.XunitException($"no '{key}:' in:\n{output}");
    }

    internal static ulong Hex(string s) => ulong.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    internal static ulong CapMask(params Capability[] caps) => caps.Aggregate(0UL, (m, c) => m | (1UL << (int)c));

    /// <summary>A new directory under /tmp, removed at the end of the run (see <see cref="TempDirs"/>).</summary>
    internal static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), "spx-dotnet-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(d);
        TempDirs.Created.Add(d);
        return d;
    }

    internal static int OpenFdCount() => Directory.GetFiles("/proc/self/fd").Length;
}

/// <summary>Tests that count this process's descriptors, threads or memory run alone, after the others.</summary>
[CollectionDefinition(nameof(Alone), DisableParallelization = true)]
public sealed class Alone;

/// <summary>Removes the tests' temporary directories once every test has run.</summary>
public sealed class TempDirs : IDisposable
{
    internal static readonly System.Collections.Concurrent.ConcurrentBag<string> Created = [];

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var d in Created)
        {
            try { Directory.Delete(d, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}

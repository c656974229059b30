using System.Diagnostics;
using Xunit;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

/// <summary>
/// Packs Spx with the native library (SPX_NATIVE_DIR, prepared by check.sh), restores it from a local folder
/// into a fresh console project and runs that with no LD_LIBRARY_PATH and no SPX_LIBRARY.
/// </summary>
public class PackageTests
{
    static readonly Lazy<string> Consumer = new(Build);

    static (int Code, string Output) Run(string file, IEnumerable<string> args, string cwd, Action<IDictionary<string, string?>>? env = null)
    {
        var psi = new ProcessStartInfo(file, args) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment.Remove("LD_LIBRARY_PATH");
        psi.Environment.Remove("SPX_LIBRARY");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        env?.Invoke(psi.Environment);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.Result);
    }

    static string Build()
    {
        string native = Environment.GetEnvironmentVariable("SPX_NATIVE_DIR") ?? "";
        string work = TempDir();
        string feed = Path.Combine(work, "feed");
        var (code, output) = Run("dotnet", ["pack", Path.Combine(BindingDir, "Spx", "Spx.csproj"), "-c", "Release", $"-p:SpxNativeDir={native}", "-o", feed, "--nologo"], work);
        Assert.True(code == 0, output);
        string nupkg = Assert.Single(Directory.GetFiles(feed, "Spx.*.nupkg"));
        using (var zip = System.IO.Compression.ZipFile.OpenRead(nupkg))
        {
            var so = zip.GetEntry("runtimes/linux-x64/native/libspx.so");
            Assert.NotNull(so);
            Assert.True(so.Length > 10_000, $"libspx.so in the package is {so.Length} bytes");
            Assert.NotNull(zip.GetEntry("lib/net8.0/Spx.dll"));
            Assert.NotNull(zip.GetEntry("lib/net10.0/Spx.dll"));
            Assert.NotNull(zip.GetEntry("lib/net10.0/Spx.xml"));
        }
        string version = Path.GetFileNameWithoutExtension(nupkg)["Spx.".Length..];
        Assert.Equal(SpxLibrary.BindingVersion, version); // the package version is the header's
        string app = Path.Combine(work, "app");
        Directory.CreateDirectory(app);
        File.Copy(Path.Combine(BindingDir, "consumer", "Program.cs"), Path.Combine(app, "Program.cs"));
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), File.ReadAllText(Path.Combine(BindingDir, "consumer", "Consumer.csproj.in")).Replace("@VERSION@", version, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(app, "nuget.config"),
            $"<configuration><packageSources><clear /><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />"); // not the binding's own
        (code, output) = Run("dotnet", ["build", "-c", "Release", "-o", Path.Combine(app, "out"), "--nologo"], app,
            e => e["NUGET_PACKAGES"] = Path.Combine(work, "packages"));
        Assert.True(code == 0, output);
        return Path.Combine(app, "out");
    }

    static void RequirePackage() =>
        Assert.SkipWhen(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SPX_NATIVE_DIR")), "SPX_NATIVE_DIR is not set (check.sh prepares the stripped libspx.so)");

    [Fact]
    public void A_fresh_project_restores_the_package_and_runs_with_no_library_path()
    {
        RequirePackage();
        string dir = Consumer.Value;
        Assert.True(File.Exists(Path.Combine(dir, "libspx.so")), "the native asset is copied next to the program");
        var (code, output) = Run("dotnet", [Path.Combine(dir, "Consumer.dll")], dir);
        Assert.True(code == 0, output);
        Assert.Contains($"child of {""}", output, StringComparison.Ordinal);
        Assert.Contains("NoNewPrivs:\t1", output, StringComparison.Ordinal);
        Assert.Contains("libspx 0.", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_package_publishes_as_native_AOT_with_no_trim_or_AOT_warning()
    {
        RequirePackage();
        string app = Path.GetDirectoryName(Consumer.Value)!;
        string work = Path.GetDirectoryName(app)!;
        string aot = Path.Combine(work, "aot");
        Directory.CreateDirectory(aot);
        foreach (var f in new[] { "Program.cs", "Consumer.csproj", "Directory.Build.props" }) File.Copy(Path.Combine(app, f), Path.Combine(aot, f));
        // The local feed for Spx, the configured sources for the AOT compiler package; packages already in
        // the user's global folder are used from there.
        string global = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } g ? g : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(aot, "nuget.config"),
            $"<configuration><packageSources><add key=\"local\" value=\"{Path.Combine(work, "feed")}\" /></packageSources>" +
            $"<fallbackPackageFolders><add key=\"global\" value=\"{global}\" /></fallbackPackageFolders></configuration>");
        var (code, output) = Run("dotnet", ["publish", "-c", "Release", "-p:PublishAot=true", "-o", Path.Combine(aot, "out"), "--nologo"], aot,
            e => e["NUGET_PACKAGES"] = Path.Combine(work, "packages-aot"));
        Assert.True(code == 0, output);
        Assert.DoesNotContain("warning", output, StringComparison.OrdinalIgnoreCase);
        (code, output) = Run(Path.Combine(aot, "out", "Consumer"), [], aot);
        Assert.True(code == 0, output);
        Assert.Contains("NoNewPrivs:\t1", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// With a Windows cross build (check.sh copies SPX_WINDOWS_BUILD_DIR's spx.dll to SPX_NATIVE_DIR/win-x64), the
    /// package carries it where NuGet gives it to win-x64 applications, and the DLL exports the C API and nothing else.
    /// </summary>
    [Fact]
    public void The_package_carries_spx_dll_for_win_x64_when_a_Windows_build_exists()
    {
        RequirePackage();
        string dll = Path.Combine(Environment.GetEnvironmentVariable("SPX_NATIVE_DIR")!, "win-x64", "spx.dll");
        Assert.SkipUnless(File.Exists(dll), "no Windows build: set SPX_WINDOWS_BUILD_DIR to a cross build of libspx (make check-windows does)");
        string feed = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Consumer.Value)!)!, "feed");
        string nupkg = Assert.Single(Directory.GetFiles(feed, "Spx.*.nupkg"));
        string extracted = Path.Combine(TempDir(), "spx.dll");
        using (var zip = System.IO.Compression.ZipFile.OpenRead(nupkg))
        {
            var entry = zip.GetEntry("runtimes/win-x64/native/spx.dll");
            Assert.NotNull(entry);
            System.IO.Compression.ZipFileExtensions.ExtractToFile(entry, extracted);
        }
        byte[] packed = File.ReadAllBytes(extracted);
        Assert.Equal(File.ReadAllBytes(dll), packed);
        Assert.Equal("MZ", System.Text.Encoding.ASCII.GetString(packed, 0, 2));
        var (code, output) = Run("x86_64-w64-mingw32-objdump", ["-p", extracted], Path.GetDirectoryName(extracted)!);
        Assert.True(code == 0, output);
        Assert.Contains("pei-x86-64", output, StringComparison.Ordinal);
        // The export table: "[Ordinal/Name Pointer] Table" then "\t[   n] name" lines.
        var exports = output[output.IndexOf("[Ordinal/Name Pointer] Table", StringComparison.Ordinal)..].Split('\n').Skip(1)
            .TakeWhile(l => l.TrimStart().StartsWith('[')).Select(l => l[(l.IndexOf(']', StringComparison.Ordinal) + 1)..].Trim()).ToArray();
        Assert.Contains("spx_spawn", exports);
        Assert.Contains("spx_appcontainer_sid", exports);
        Assert.All(exports, e => Assert.StartsWith("spx_", e, StringComparison.Ordinal));
    }

    /// <summary>
    /// A portable (RID-less) application that references the package gets spx.dll as the win-x64 native asset of
    /// the name the binding imports ("spx"), which is how the .NET host on Windows resolves it (no Windows .NET
    /// runtime here to load it for real).
    /// </summary>
    [Fact]
    public void A_portable_application_resolves_spx_to_spx_dll_on_win_x64()
    {
        RequirePackage();
        Assert.SkipUnless(File.Exists(Path.Combine(Environment.GetEnvironmentVariable("SPX_NATIVE_DIR")!, "win-x64", "spx.dll")),
            "no Windows build: set SPX_WINDOWS_BUILD_DIR to a cross build of libspx (make check-windows does)");
        string app = Path.GetDirectoryName(Consumer.Value)!;
        string work = Path.GetDirectoryName(app)!;
        string portable = Path.Combine(work, "portable");
        Directory.CreateDirectory(portable);
        foreach (var f in new[] { "Program.cs", "nuget.config", "Directory.Build.props" }) File.Copy(Path.Combine(app, f), Path.Combine(portable, f));
        File.WriteAllText(Path.Combine(portable, "Consumer.csproj"),
            File.ReadAllText(Path.Combine(app, "Consumer.csproj")).Replace("<RuntimeIdentifier>linux-x64</RuntimeIdentifier>", "", StringComparison.Ordinal));
        var (code, output) = Run("dotnet", ["build", "-c", "Release", "-o", Path.Combine(portable, "out"), "--nologo"], portable,
            e => e["NUGET_PACKAGES"] = Path.Combine(work, "packages"));
        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(portable, "out", "runtimes", "win-x64", "native", "spx.dll")), "runtimes/win-x64/native/spx.dll next to the program");
        using var deps = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(portable, "out", "Consumer.deps.json")));
        var spx = deps.RootElement.GetProperty("targets").EnumerateObject().First().Value.EnumerateObject().Single(p => p.Name.StartsWith("Spx/", StringComparison.Ordinal)).Value;
        var target = spx.GetProperty("runtimeTargets").GetProperty("runtimes/win-x64/native/spx.dll");
        Assert.Equal("win-x64", target.GetProperty("rid").GetString());
        Assert.Equal("native", target.GetProperty("assetType").GetString());
        Assert.Equal("spx", Spx.Interop.NativeMethods.Library); // probed on Windows as spx.dll
    }

    [Fact]
    public void A_missing_SPX_LIBRARY_file_says_where_it_looked()
    {
        RequirePackage();
        string dir = Consumer.Value;
        var (code, output) = Run("dotnet", [Path.Combine(dir, "Consumer.dll")], dir, e => e["SPX_LIBRARY"] = "/no/such/libspx.so");
        Assert.Equal(3, code);
        Assert.Contains("DllNotFoundException", output, StringComparison.Ordinal);
        Assert.Contains("SPX_LIBRARY=/no/such/libspx.so", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_any_library_the_message_lists_every_place()
    {
        RequirePackage();
        string dir = Consumer.Value;
        string bare = TempDir();
        foreach (var f in Directory.GetFiles(dir).Where(f => !f.EndsWith("libspx.so", StringComparison.Ordinal)))
            File.Copy(f, Path.Combine(bare, Path.GetFileName(f)));
        File.WriteAllText(Path.Combine(bare, "Consumer.deps.json"), File.ReadAllText(Path.Combine(dir, "Consumer.deps.json")).Replace("libspx.so", "missing-libspx.so", StringComparison.Ordinal));
        var (code, output) = Run("dotnet", [Path.Combine(bare, "Consumer.dll")], bare, e => e["LD_LIBRARY_PATH"] = "/nonexistent");
        Assert.SkipWhen(code == 0, "a system libspx.so.0 is installed on this machine");
        Assert.Equal(3, code);
        Assert.Contains("$SPX_LIBRARY (unset)", output, StringComparison.Ordinal);
        Assert.Contains("runtimes/linux-x64/native/", output, StringComparison.Ordinal);
        Assert.Contains("libspx.so.0", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_package_asset_the_system_library_is_found_by_its_SONAME()
    {
        RequirePackage();
        string dir = Consumer.Value;
        string bare = TempDir(), system = TempDir();
        foreach (var f in Directory.GetFiles(dir).Where(f => !f.EndsWith("libspx.so", StringComparison.Ordinal)))
            File.Copy(f, Path.Combine(bare, Path.GetFileName(f)));
        File.WriteAllText(Path.Combine(bare, "Consumer.deps.json"), File.ReadAllText(Path.Combine(dir, "Consumer.deps.json")).Replace("libspx.so", "missing-libspx.so", StringComparison.Ordinal));
        // Only the SONAME, as a distribution installs it without the -dev package.
        File.Copy(Path.Combine(dir, "libspx.so"), Path.Combine(system, "libspx.so.0"));
        var (code, output) = Run("dotnet", [Path.Combine(bare, "Consumer.dll")], bare, e => e["LD_LIBRARY_PATH"] = system);
        Assert.True(code == 0, output);
        Assert.Contains("NoNewPrivs:\t1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void As_PID_1_the_first_spawn_throws_a_clear_exception()
    {
        RequirePackage();
        RequireRoot();
        Assert.SkipUnless(File.Exists("/usr/bin/unshare"), "no unshare(1)");
        string dir = Consumer.Value;
        var (code, output) = Run("/usr/bin/unshare", ["--fork", "--pid", "--mount-proc", "dotnet", Path.Combine(dir, "Consumer.dll")], dir);
        Assert.Equal(3, code);
        Assert.Contains("PID 1", output, StringComparison.Ordinal);
    }
}

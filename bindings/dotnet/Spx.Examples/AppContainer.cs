namespace Spx.Examples;

/// <summary>
/// A child in a Windows AppContainer with the internetClient capability (Go issue 65611). On Linux
/// the library answers ENOTSUP, which this example reports.
/// </summary>
public static class AppContainer
{
    /// <summary>Runs the example; returns the child's exit code, or 0 after reporting ENOTSUP off Windows.</summary>
    public static int Run(TextWriter output)
    {
        var psi = new SpxStartInfo(OperatingSystem.IsWindows() ? @"C:\Windows\System32\whoami.exe" : "/bin/true")
        {
            AppContainerName = "spx.example",
            AppContainerCapabilities = { "S-1-15-3-1" },
        };
        try
        {
            using var p = SpxProcess.Start(psi);
            p.WaitForExit();
            return p.ExitCode;
        }
        catch (SpxException e) when (!OperatingSystem.IsWindows() && e.NativeErrorCode == 95)
        {
            output.WriteLine($"AppContainer: not on this platform ({e.Message})");
            return 0;
        }
    }
}

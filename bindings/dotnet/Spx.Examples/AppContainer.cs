namespace Spx.Examples;

/// <summary>
/// A child in a Windows AppContainer with the internetClient capability and a job that ends with it (Go issue
/// 65611). The SIDs Windows will use are computed first, on any platform (to prepare ACLs ahead of the first run).
/// On Linux the start answers ENOTSUP, which this example reports.
/// </summary>
public static class AppContainer
{
    /// <summary>Runs the example; returns the child's exit code, or 0 after reporting ENOTSUP off Windows.</summary>
    public static int Run(TextWriter output)
    {
        output.WriteLine($"AppContainer SID of spx.example: {AppContainerProfile.GetSid("spx.example")}");
        output.WriteLine($"internetClient: {AppContainerProfile.GetCapabilitySid("internetClient")}");
        var psi = new SpxStartInfo(OperatingSystem.IsWindows() ? @"C:\Windows\System32\whoami.exe" : "/bin/true")
        {
            AppContainerName = "spx.example",
            AppContainerCapabilities = { "internetClient" },
            Job = JobOptions.KillOnClose,
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

namespace Spx.Examples;

/// <summary>
/// A child that may write only in its own directory (Landlock for one child, the parent unrestricted,
/// Go issue 68595): reading the system is allowed, writing elsewhere is denied.
/// </summary>
public static class LandlockSandbox
{
    /// <summary>Runs the example in <paramref name="workDir"/> (a new temporary directory by default); returns the child's exit code.</summary>
    public static int Run(TextWriter output) => Run(output, null);

    /// <inheritdoc cref="Run(TextWriter)"/>
    public static int Run(TextWriter output, string? workDir)
    {
        workDir ??= Directory.CreateTempSubdirectory("spx-landlock-").FullName;
        using var rules = LandlockRuleset.Create(7, LandlockCompat.BestEffort)
            .AllowPath("/", LandlockAccess.ReadExecute)
            .AllowPath("/dev/null", LandlockAccess.WriteFile)
            .AllowPath(workDir, LandlockAccess.ReadWrite);
        var psi = new SpxStartInfo("/bin/sh", "-c", "echo ok > out && echo allowed; { echo no > /tmp/spx-denied-$$; } 2>/dev/null || echo denied")
        {
            WorkingDirectory = workDir,
            Landlock = rules,
            RedirectStandardOutput = true,
        };
        using var p = SpxProcess.Start(psi);
        output.Write(p.StandardOutput.ReadToEnd());
        output.WriteLine($"landlock: {rules.Status} (kernel ABI {LandlockRuleset.KernelAbi})");
        p.WaitForExit();
        return p.ExitCode;
    }
}

namespace Spx.Examples;

/// <summary>
/// An NTP client as nobody with exactly CAP_SYS_TIME (ambient capabilities across a uid change, Go issue
/// 19713). Here the child only shows what it got; a real one would be /usr/sbin/ntpd -q.
/// </summary>
public static class AmbientNtp
{
    /// <summary>Runs the example (needs root); returns the child's exit code.</summary>
    public static int Run(TextWriter output)
    {
        var psi = new SpxStartInfo("/bin/grep", "-E", "^(Uid|Gid|Groups|CapEff|CapAmb):", "/proc/self/status")
        {
            UserId = 65534, GroupId = 65534, SupplementaryGroups = [],
            AmbientCapabilities = { Capability.SysTime },
            NoNewPrivileges = true,
            RedirectStandardOutput = true,
        };
        using var p = SpxProcess.Start(psi);
        output.Write(p.StandardOutput.ReadToEnd());
        p.WaitForExit();
        return p.ExitCode;
    }
}

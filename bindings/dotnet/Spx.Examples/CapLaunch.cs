namespace Spx.Examples;

/// <summary>
/// What libcap's cap_launch does, in one call: a new identity, a reduced bounding set, an inheritable and
/// ambient capability, no_new_privs, and a seccomp filter on top.
/// </summary>
public static class CapLaunch
{
    /// <summary>Runs the example (needs root); returns the child's exit code.</summary>
    public static int Run(TextWriter output)
    {
        using var filter = SeccompFilter.Create(SeccompAction.Allow).Add("ptrace", SeccompAction.Errno(1));
        var psi = new SpxStartInfo("/bin/grep", "-E", "^(Uid|Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):", "/proc/self/status")
        {
            UserId = 1000, GroupId = 1000, SupplementaryGroups = [1000],
            BoundingCapabilities = { Capability.NetBindService, Capability.NetRaw },
            InheritableCapabilities = { Capability.NetRaw },
            AmbientCapabilities = { Capability.NetBindService },
            Seccomp = filter,
            RedirectStandardOutput = true,
        };
        using var p = SpxProcess.Start(psi);
        output.Write(p.StandardOutput.ReadToEnd());
        p.WaitForExit();
        return p.ExitCode;
    }
}

using static Spx.Interop.NativeConstants;

namespace Spx;

/// <summary>Where a spawn failed: the parent's preparation, or one of the child's ordered stages (see <c>spx.h</c>).</summary>
public enum SpxStage
{
    /// <summary>Nothing failed.</summary>
    None = SPX_STAGE_NONE,
    /// <summary>Parent side: argument checks, path lookup, allocation, plan building.</summary>
    Prepare = SPX_STAGE_PREPARE,
    /// <summary>Creating the child (clone3/clone).</summary>
    Clone = SPX_STAGE_CLONE,
    /// <summary>chroot(2) into <see cref="SpxStartInfo.RootDirectory"/>.</summary>
    Chroot = SPX_STAGE_CHROOT,
    /// <summary>chdir(2) into <see cref="SpxStartInfo.WorkingDirectory"/>.</summary>
    Chdir = SPX_STAGE_CHDIR,
    /// <summary>Dropping capabilities from the bounding set.</summary>
    Bounding = SPX_STAGE_BOUNDING,
    /// <summary>setgroups(2).</summary>
    SetGroups = SPX_STAGE_SETGROUPS,
    /// <summary>setresgid(2).</summary>
    SetGid = SPX_STAGE_SETGID,
    /// <summary>setresuid(2).</summary>
    SetUid = SPX_STAGE_SETUID,
    /// <summary>Keeping capabilities across the uid change and capset(2).</summary>
    Caps = SPX_STAGE_CAPS,
    /// <summary>Clearing and raising the ambient set.</summary>
    Ambient = SPX_STAGE_AMBIENT,
    /// <summary>Arranging descriptors and closing the others.</summary>
    Fds = SPX_STAGE_FDS,
    /// <summary>prctl(PR_SET_NO_NEW_PRIVS).</summary>
    NoNewPrivs = SPX_STAGE_NO_NEW_PRIVS,
    /// <summary>landlock_restrict_self(2).</summary>
    Landlock = SPX_STAGE_LANDLOCK,
    /// <summary>Installing the seccomp filter.</summary>
    Seccomp = SPX_STAGE_SECCOMP,
    /// <summary>execve(2) / execveat(2).</summary>
    Exec = SPX_STAGE_EXEC,
    /// <summary>Resetting signal dispositions in the child.</summary>
    Signals = SPX_STAGE_SIGNALS,
    /// <summary>setrlimit in the child.</summary>
    ResourceLimits = SPX_STAGE_RLIMIT,
    /// <summary>setsid, setpgid, TIOCSCTTY, tcsetpgrp.</summary>
    Session = SPX_STAGE_SESSION,
    /// <summary>Placing the child in its cgroup.</summary>
    Cgroup = SPX_STAGE_CGROUP,
    /// <summary>Arming the parent-death signal.</summary>
    ParentDeathSignal = SPX_STAGE_PDEATHSIG,
    /// <summary>Setting the securebits.</summary>
    SecureBits = SPX_STAGE_SECUREBITS,
    /// <summary>Setting the umask.</summary>
    UMask = SPX_STAGE_UMASK,
    /// <summary>Windows: building the AppContainer profile.</summary>
    AppContainer = SPX_STAGE_APPCONTAINER,
    /// <summary>Windows: CreateProcessW.</summary>
    CreateProcess = SPX_STAGE_CREATE_PROCESS,
    /// <summary>Windows: creating the job object of <see cref="SpxStartInfo.Job"/>.</summary>
    Job = SPX_STAGE_JOB,
}

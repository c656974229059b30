using static Spx.Interop.NativeConstants;

namespace Spx;

/// <summary>Landlock filesystem rights (<c>SPX_LANDLOCK_FS_*</c>).</summary>
[Flags]
#pragma warning disable CA1711 // the kernel's name
public enum LandlockAccess : ulong
#pragma warning restore CA1711
{
    /// <summary>No right.</summary>
    None = 0,
    /// <summary>Execute a file.</summary>
    Execute = SPX_LANDLOCK_FS_EXECUTE,
    /// <summary>Open a file with write access.</summary>
    WriteFile = SPX_LANDLOCK_FS_WRITE_FILE,
    /// <summary>Open a file with read access.</summary>
    ReadFile = SPX_LANDLOCK_FS_READ_FILE,
    /// <summary>Open a directory or list its content.</summary>
    ReadDir = SPX_LANDLOCK_FS_READ_DIR,
    /// <summary>Remove an empty directory or rename one.</summary>
    RemoveDir = SPX_LANDLOCK_FS_REMOVE_DIR,
    /// <summary>Unlink or rename a file.</summary>
    RemoveFile = SPX_LANDLOCK_FS_REMOVE_FILE,
    /// <summary>Create a character device.</summary>
    MakeChar = SPX_LANDLOCK_FS_MAKE_CHAR,
    /// <summary>Create a directory.</summary>
    MakeDir = SPX_LANDLOCK_FS_MAKE_DIR,
    /// <summary>Create a regular file.</summary>
    MakeReg = SPX_LANDLOCK_FS_MAKE_REG,
    /// <summary>Create a UNIX domain socket.</summary>
    MakeSock = SPX_LANDLOCK_FS_MAKE_SOCK,
    /// <summary>Create a named pipe.</summary>
    MakeFifo = SPX_LANDLOCK_FS_MAKE_FIFO,
    /// <summary>Create a block device.</summary>
    MakeBlock = SPX_LANDLOCK_FS_MAKE_BLOCK,
    /// <summary>Create a symbolic link.</summary>
    MakeSym = SPX_LANDLOCK_FS_MAKE_SYM,
    /// <summary>Link or rename a file across directories (ABI 2).</summary>
    Refer = SPX_LANDLOCK_FS_REFER,
    /// <summary>Truncate a file (ABI 3).</summary>
    Truncate = SPX_LANDLOCK_FS_TRUNCATE,
    /// <summary>ioctl(2) on a device (ABI 5).</summary>
    IoctlDev = SPX_LANDLOCK_FS_IOCTL_DEV,
    /// <summary>
    /// Connect or send to a pathname UNIX socket beneath the rule (ABI 9); valid on a rule for the socket file itself.
    /// Handling it denies every such socket (syslog, journald, D-Bus) that no rule allows.
    /// </summary>
    ResolveUnix = SPX_LANDLOCK_FS_RESOLVE_UNIX,
    /// <summary>Read files and list directories.</summary>
    ReadOnly = SPX_LANDLOCK_FS_RO,
    /// <summary>Read-only plus execute.</summary>
    ReadExecute = SPX_LANDLOCK_FS_ROX,
    /// <summary>
    /// Every filesystem right of ABI 1 to 8. The value is fixed (it is compiled into callers), so it never grows: it lacks
    /// <see cref="ResolveUnix"/> (ABI 9). For every right of an ABI, see <see cref="LandlockRuleset.GetFileSystemRights"/>.
    /// </summary>
    ReadWrite = SPX_LANDLOCK_FS_RW,
}

/// <summary>Landlock port rights (<c>SPX_LANDLOCK_NET_*</c>): TCP from ABI 4, UDP from ABI 10.</summary>
[Flags]
public enum LandlockNetAccess : ulong
{
    /// <summary>No right.</summary>
    None = 0,
    /// <summary>Bind a TCP socket to a port.</summary>
    BindTcp = SPX_LANDLOCK_NET_BIND_TCP,
    /// <summary>Connect a TCP socket to a port.</summary>
    ConnectTcp = SPX_LANDLOCK_NET_CONNECT_TCP,
    /// <summary>Bind a UDP socket to a port (ABI 10).</summary>
    BindUdp = SPX_LANDLOCK_NET_BIND_UDP,
    /// <summary>Connect a UDP socket to a port, or send a datagram to it (ABI 10); handling it denies DNS unless port 53 is allowed.</summary>
    ConnectSendUdp = SPX_LANDLOCK_NET_CONNECT_SEND_UDP,
}

/// <summary>Landlock IPC scopes (<c>SPX_LANDLOCK_SCOPE_*</c>, ABI 6).</summary>
[Flags]
public enum LandlockScope : ulong
{
    /// <summary>No scoping.</summary>
    None = 0,
    /// <summary>No connecting to abstract UNIX sockets outside the domain.</summary>
    AbstractUnixSocket = SPX_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET,
    /// <summary>No signals to processes outside the domain.</summary>
    Signal = SPX_LANDLOCK_SCOPE_SIGNAL,
}

/// <summary>Options of one Landlock rule (<c>SPX_LANDLOCK_RULE_*</c>) (<see cref="LandlockRuleset.AllowPath(string, LandlockAccess, LandlockRuleOptions)"/>, <see cref="LandlockRuleset.AllowPort(int, LandlockNetAccess, LandlockRuleOptions)"/>).</summary>
[Flags]
public enum LandlockRuleOptions : uint
{
    /// <summary>An ordinary rule.</summary>
    None = 0,
    /// <summary>
    /// A quiet rule (ABI 10): denials beneath it (or on its port) of the rights given to <see cref="LandlockRuleset.SetQuiet"/>
    /// are not logged. Best effort drops it on an older kernel; strict mode refuses it there (ENOTSUP).
    /// </summary>
    Quiet = SPX_LANDLOCK_RULE_QUIET,
}

/// <summary>
/// Logging flags of the child's <c>landlock_restrict_self</c> (<c>SPX_LANDLOCK_LOG_*</c>, ABI 7), given with
/// <see cref="SpxStartInfo.LandlockLogging"/>: which denials the kernel logs. Logged denials are audit records (type 1423,
/// <c>AUDIT_LANDLOCK_ACCESS</c>; <c>ausearch -m 1423</c>); with audit disabled nothing is logged.
/// </summary>
[Flags]
public enum LandlockLogging : uint
{
    /// <summary>The kernel's default: denials are logged until the program is executed, not after.</summary>
    None = 0,
    /// <summary>No logging of denials before the program is executed (the launcher's own setup).</summary>
    SameExecOff = SPX_LANDLOCK_LOG_SAME_EXEC_OFF,
    /// <summary>Log the program's denials too (by default the kernel logs none of a launched program's).</summary>
    NewExecOn = SPX_LANDLOCK_LOG_NEW_EXEC_ON,
    /// <summary>No logging of the denials of domains the program creates itself; works without a ruleset too.</summary>
    SubdomainsOff = SPX_LANDLOCK_LOG_SUBDOMAINS_OFF,
}

/// <summary>What a ruleset does with rights the kernel cannot enforce.</summary>
public enum LandlockCompat
{
    /// <summary>Never enforce less than asked: such a right is an error (ENOTSUP).</summary>
    Strict = 0,
    /// <summary>Drop what the kernel cannot enforce; <see cref="LandlockRuleset.Status"/> says what is left.</summary>
    BestEffort = (int)SPX_LANDLOCK_BEST_EFFORT,
}

/// <summary>What a ruleset enforces on the running kernel.</summary>
public enum LandlockStatus
{
    /// <summary>Nothing (no Landlock, or best effort found nothing to enforce).</summary>
    NotEnforced = SPX_LANDLOCK_NOT_ENFORCED,
    /// <summary>Enforced, but some asked rights are unknown to this kernel.</summary>
    PartiallyEnforced = SPX_LANDLOCK_PARTIALLY_ENFORCED,
    /// <summary>Everything asked is enforced.</summary>
    FullyEnforced = SPX_LANDLOCK_FULLY_ENFORCED,
}

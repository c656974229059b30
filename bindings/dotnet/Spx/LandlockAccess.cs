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
    /// <summary>Read files and list directories.</summary>
    ReadOnly = SPX_LANDLOCK_FS_RO,
    /// <summary>Read-only plus execute.</summary>
    ReadExecute = SPX_LANDLOCK_FS_ROX,
    /// <summary>Every filesystem right libspx knows.</summary>
    ReadWrite = SPX_LANDLOCK_FS_RW,
}

/// <summary>Landlock network rights (<c>SPX_LANDLOCK_NET_*</c>, ABI 4).</summary>
[Flags]
public enum LandlockNetAccess : ulong
{
    /// <summary>No right.</summary>
    None = 0,
    /// <summary>Bind a TCP socket to a port.</summary>
    BindTcp = SPX_LANDLOCK_NET_BIND_TCP,
    /// <summary>Connect a TCP socket to a port.</summary>
    ConnectTcp = SPX_LANDLOCK_NET_CONNECT_TCP,
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

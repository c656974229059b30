using Microsoft.Win32.SafeHandles;
using Spx.Interop;

namespace Spx;

/// <summary>
/// A Landlock ruleset, applied to a child only (the parent keeps its access) through
/// <see cref="SpxStartInfo.Landlock"/>; reusable for any number of spawns. By default it handles every
/// right of its ABI, so whatever no rule allows is denied.
/// </summary>
/// <example><code>
/// using var rules = LandlockRuleset.Create(7, LandlockCompat.BestEffort)
///     .AllowPath("/usr", LandlockAccess.ReadExecute)
///     .AllowPath("/tmp/out", LandlockAccess.ReadWrite);
/// </code></example>
public sealed class LandlockRuleset : IDisposable
{
    internal SpxLandlockHandle Handle { get; }

    /// <summary>Serializes every use of the native object: libspx allows one thread at a time per object.</summary>
    internal object Gate { get; } = new();

    LandlockRuleset(SpxLandlockHandle handle) => Handle = handle;

    /// <summary>The running kernel's Landlock ABI version; 0 when Landlock is unavailable.</summary>
    public static int KernelAbi => NativeMethods.spx_landlock_abi();

    /// <summary>
    /// The Landlock errata the running kernel has fixed (<c>LANDLOCK_CREATE_RULESET_ERRATA</c>), a bit mask: bit 0, TCP rights
    /// no longer applied to SMC, MPTCP or SCTP sockets by mistake; bit 1, signal scoping no longer denies too much; bit 2,
    /// disconnected directories can no longer widen <see cref="LandlockAccess.Refer"/>. 0 when none is fixed or the kernel cannot say.
    /// </summary>
    public static int KernelErrata => NativeMethods.spx_landlock_errata();

    /// <summary>The ABI <see cref="Create"/> handles unless told otherwise: 7 (Linux 6.15), a fixed number, never "the newest".</summary>
    public const int DefaultAbi = 7;

    /// <summary>Every filesystem right of Landlock ABI <paramref name="abi"/> (1..10; 0: the newest libspx knows, see <see cref="Create"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">libspx does not know that ABI.</exception>
    public static LandlockAccess GetFileSystemRights(int abi) => (LandlockAccess)Known(abi, NativeMethods.spx_landlock_fs_rights(abi));

    /// <summary>Every port right of Landlock ABI <paramref name="abi"/> (none before 4, UDP from 10).</summary>
    /// <exception cref="ArgumentOutOfRangeException">libspx does not know that ABI.</exception>
    public static LandlockNetAccess GetNetworkRights(int abi) => (LandlockNetAccess)Known(abi, NativeMethods.spx_landlock_net_rights(abi));

    /// <summary>Every IPC scope of Landlock ABI <paramref name="abi"/> (none before 6).</summary>
    /// <exception cref="ArgumentOutOfRangeException">libspx does not know that ABI.</exception>
    public static LandlockScope GetScopes(int abi) => (LandlockScope)Known(abi, NativeMethods.spx_landlock_scopes(abi));

    /// <summary><paramref name="rights"/>, once <paramref name="abi"/> is known (every known ABI has filesystem rights).</summary>
    static ulong Known(int abi, ulong rights) =>
        NativeMethods.spx_landlock_fs_rights(abi) != 0 ? rights : throw new ArgumentOutOfRangeException(nameof(abi), abi, "libspx does not know this Landlock ABI.");

    /// <summary>A new ruleset handling every right of ABI <paramref name="abi"/> (1..10), until <see cref="SetHandled"/> narrows it.</summary>
    /// <remarks>
    /// Pin the ABI the program was tested with (the default, <see cref="DefaultAbi"/>, is one). 0 means the newest ABI of the
    /// libspx the program runs with, not the one it was built with: a library upgrade then handles, so denies, more by itself
    /// (ABI 9 every pathname UNIX socket such as journald or D-Bus, ABI 10 all UDP and so DNS), and a strict ruleset fails with
    /// ENOTSUP on every older kernel.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="abi"/> is negative.</exception>
    /// <exception cref="ArgumentException">libspx does not know that ABI.</exception>
    public static LandlockRuleset Create(int abi = DefaultAbi, LandlockCompat compat = LandlockCompat.Strict)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(abi);
        if (compat is not (LandlockCompat.Strict or LandlockCompat.BestEffort)) throw new ArgumentOutOfRangeException(nameof(compat));
        int rc = NativeMethods.spx_landlock_new(out var h, abi, (uint)compat);
        if (rc != 0)
        {
            h.Dispose();
            NativeError.Check(rc, "spx_landlock_new", nameof(abi));
        }
        return new LandlockRuleset(h);
    }

    /// <summary>Allows <paramref name="access"/> beneath <paramref name="path"/> (opened now).</summary>
    /// <exception cref="ArgumentException">Empty path, no right, or a right libspx does not know.</exception>
    /// <exception cref="SpxException">The path cannot be opened (ENOENT, EACCES ...), or strict mode and a right the kernel lacks (ENOTSUP).</exception>
    public LandlockRuleset AllowPath(string path, LandlockAccess access)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.Contains('\0', StringComparison.Ordinal)) throw new ArgumentException("The path contains a NUL character.", nameof(path));
        if (access == LandlockAccess.None) throw new ArgumentException("Allow at least one right.", nameof(access));
        lock (Gate) NativeError.Check(NativeMethods.spx_landlock_allow_path(Handle, path, (ulong)access), $"spx_landlock_allow_path({path})", nameof(access));
        return this;
    }

    /// <summary>Allows <paramref name="access"/> beneath <paramref name="path"/> (opened now), with rule options (<see cref="LandlockRuleOptions.Quiet"/>).</summary>
    /// <exception cref="ArgumentException">Empty path, no right, a right or option libspx does not know.</exception>
    /// <exception cref="SpxException">The path cannot be opened, or strict mode and a right or option the kernel lacks (ENOTSUP).</exception>
    public LandlockRuleset AllowPath(string path, LandlockAccess access, LandlockRuleOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.Contains('\0', StringComparison.Ordinal)) throw new ArgumentException("The path contains a NUL character.", nameof(path));
        if (access == LandlockAccess.None) throw new ArgumentException("Allow at least one right.", nameof(access));
        lock (Gate) NativeError.Check(NativeMethods.spx_landlock_allow_path_flags(Handle, path, (ulong)access, (uint)options), $"spx_landlock_allow_path_flags({path})", nameof(options));
        return this;
    }

    /// <summary>Allows <paramref name="access"/> for <paramref name="port"/>: TCP rights from ABI 4, UDP from ABI 10.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The port is not 0..65535.</exception>
    public LandlockRuleset AllowPort(int port, LandlockNetAccess access)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (access == LandlockNetAccess.None) throw new ArgumentException("Allow at least one right.", nameof(access));
        lock (Gate) NativeError.Check(NativeMethods.spx_landlock_allow_port(Handle, (ulong)port, (ulong)access), "spx_landlock_allow_port", nameof(access));
        return this;
    }

    /// <summary>Allows <paramref name="access"/> for <paramref name="port"/>, with rule options (<see cref="LandlockRuleOptions.Quiet"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The port is not 0..65535.</exception>
    /// <exception cref="ArgumentException">No right, a right or option libspx does not know.</exception>
    /// <exception cref="SpxException">Strict mode and a right or option the kernel lacks (ENOTSUP).</exception>
    public LandlockRuleset AllowPort(int port, LandlockNetAccess access, LandlockRuleOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (access == LandlockNetAccess.None) throw new ArgumentException("Allow at least one right.", nameof(access));
        lock (Gate) NativeError.Check(NativeMethods.spx_landlock_allow_port_flags(Handle, (ulong)port, (ulong)access, (uint)options), "spx_landlock_allow_port_flags", nameof(options));
        return this;
    }

    /// <summary>
    /// The rights whose denials are not logged (ABI 10): beneath rules flagged <see cref="LandlockRuleOptions.Quiet"/> for
    /// filesystem and port rights, anywhere for scopes. Only handled rights can be quiet; all <c>None</c> removes quieting.
    /// Strict mode refuses it on an older kernel (ENOTSUP); best effort drops it and <see cref="Status"/> says so.
    /// </summary>
    /// <exception cref="ArgumentException">A right or scope libspx does not know.</exception>
    /// <exception cref="SpxException">Strict mode and a kernel (or ruleset ABI) older than 10 (ENOTSUP).</exception>
    public LandlockRuleset SetQuiet(LandlockAccess fileSystem, LandlockNetAccess network, LandlockScope scopes)
    {
        lock (Gate) NativeError.Check(NativeMethods.spx_landlock_set_quiet(Handle, (ulong)fileSystem, (ulong)network, (ulong)scopes), "spx_landlock_set_quiet", nameof(fileSystem));
        return this;
    }

    /// <summary>Scopes the child's IPC to its own Landlock domain (ABI 6); <see cref="LandlockScope.None"/> removes scoping.</summary>
    public LandlockRuleset SetScope(LandlockScope scopes)
    {
        lock (Gate) NativeError.Check(NativeMethods.spx_landlock_set_scope(Handle, (ulong)scopes), "spx_landlock_set_scope", nameof(scopes));
        return this;
    }

    /// <summary>Restricts only these rights (e.g. network only: <c>SetHandled(LandlockAccess.None, LandlockNetAccess.BindTcp)</c>).</summary>
    public LandlockRuleset SetHandled(LandlockAccess fileSystem, LandlockNetAccess network)
    {
        lock (Gate) NativeError.Check(NativeMethods.spx_landlock_set_handled(Handle, (ulong)fileSystem, (ulong)network), "spx_landlock_set_handled", nameof(fileSystem));
        return this;
    }

    /// <summary>What this ruleset enforces on the running kernel.</summary>
    public LandlockStatus Status
    {
        get
        {
            int s;
            lock (Gate) s = NativeMethods.spx_landlock_status(Handle);
            if (s < 0) NativeError.Check(-s, "spx_landlock_status");
            return (LandlockStatus)s;
        }
    }

    /// <summary>Creates a kernel ruleset descriptor, for <see cref="SpxStartInfo.LandlockHandle"/>; null when best effort found nothing to enforce.</summary>
    public unsafe SafeFileHandle? CreateDescriptor()
    {
        int fd;
        lock (Gate) NativeError.Check(NativeMethods.spx_landlock_create_fd(Handle, &fd), "spx_landlock_create_fd");
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Releases the ruleset; descriptors already created stay valid.</summary>
    public void Dispose()
    {
        lock (Gate) Handle.Dispose();
    }
}

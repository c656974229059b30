using Microsoft.Win32.SafeHandles;
using Spx.Interop;

namespace Spx;

/// <summary>
/// A Landlock ruleset, applied to a child only (the parent keeps its access) through
/// <see cref="SpxStartInfo.Landlock"/>; reusable for any number of spawns. By default it handles every
/// right of its ABI, so whatever no rule allows is denied.
/// </summary>
/// <example><code>
/// using var rules = LandlockRuleset.Create(0, LandlockCompat.BestEffort)
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

    /// <summary>A new ruleset handling every right of ABI <paramref name="abi"/> (0: the newest libspx knows).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="abi"/> is negative.</exception>
    /// <exception cref="ArgumentException">libspx does not know that ABI.</exception>
    public static LandlockRuleset Create(int abi = 0, LandlockCompat compat = LandlockCompat.Strict)
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

    /// <summary>Allows <paramref name="access"/> for TCP <paramref name="port"/> (ABI 4).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The port is not 0..65535.</exception>
    public LandlockRuleset AllowPort(int port, LandlockNetAccess access)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (access == LandlockNetAccess.None) throw new ArgumentException("Allow at least one right.", nameof(access));
        lock (Gate) NativeError.Check(NativeMethods.spx_landlock_allow_port(Handle, (ulong)port, (ulong)access), "spx_landlock_allow_port", nameof(access));
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

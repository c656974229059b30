using Spx.Interop;

namespace Spx;

/// <summary>A resource limit for the child (<c>setrlimit</c>, set before the identity change).</summary>
/// <param name="Soft">The soft limit; <see cref="Unlimited"/> for none.</param>
/// <param name="Hard">The hard limit, at least <paramref name="Soft"/>; <see cref="Unlimited"/> for none.</param>
public readonly record struct ResourceLimit(ulong Soft, ulong Hard)
{
    /// <summary>No limit (<c>SPX_RLIM_INFINITY</c>).</summary>
    public const ulong Unlimited = NativeConstants.SPX_RLIM_INFINITY;

    /// <summary>The Linux <c>RLIMIT_*</c> number of a resource named "nofile", "NOFILE" or "RLIMIT_NOFILE".</summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public static int ResourceFromName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        int n = NativeMethods.spx_rlimit_from_name(name);
        return n >= 0 ? n : throw new ArgumentException($"Unknown resource name \"{name}\".", nameof(name));
    }
}

/// <summary>The Linux resources (<c>RLIMIT_*</c> numbers) for <see cref="SpxStartInfo.ResourceLimits"/>.</summary>
public enum Resource
{
    /// <summary>RLIMIT_CPU</summary>
    Cpu = 0,
    /// <summary>RLIMIT_FSIZE</summary>
    FileSize = 1,
    /// <summary>RLIMIT_DATA</summary>
    Data = 2,
    /// <summary>RLIMIT_STACK</summary>
    Stack = 3,
    /// <summary>RLIMIT_CORE</summary>
    Core = 4,
    /// <summary>RLIMIT_RSS</summary>
    Rss = 5,
    /// <summary>RLIMIT_NPROC</summary>
    Processes = 6,
    /// <summary>RLIMIT_NOFILE</summary>
    OpenFiles = 7,
    /// <summary>RLIMIT_MEMLOCK</summary>
    LockedMemory = 8,
    /// <summary>RLIMIT_AS</summary>
    AddressSpace = 9,
    /// <summary>RLIMIT_LOCKS</summary>
    FileLocks = 10,
    /// <summary>RLIMIT_SIGPENDING</summary>
    PendingSignals = 11,
    /// <summary>RLIMIT_MSGQUEUE</summary>
    MessageQueueBytes = 12,
    /// <summary>RLIMIT_NICE</summary>
    Nice = 13,
    /// <summary>RLIMIT_RTPRIO</summary>
    RealtimePriority = 14,
    /// <summary>RLIMIT_RTTIME</summary>
    RealtimeTimeout = 15,
}

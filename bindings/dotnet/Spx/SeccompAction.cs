using static Spx.Interop.NativeConstants;

namespace Spx;

/// <summary>What a seccomp filter does with a system call (<c>SPX_SECCOMP_*</c>).</summary>
/// <param name="Value">The raw action value.</param>
public readonly record struct SeccompAction(uint Value)
{
    /// <summary>Allow the system call.</summary>
    public static SeccompAction Allow => new(SPX_SECCOMP_ALLOW);

    /// <summary>Kill the whole process (SIGSYS).</summary>
    public static SeccompAction KillProcess => new(SPX_SECCOMP_KILL_PROCESS);

    /// <summary>Allow and log.</summary>
    public static SeccompAction Log => new(SPX_SECCOMP_LOG);

    /// <summary>Send SIGSYS (catchable).</summary>
    public static SeccompAction Trap => new(SPX_SECCOMP_TRAP);

    /// <summary>Fail the call with <paramref name="errno"/> (0..4094: libseccomp refuses 4095, the kernel's MAX_ERRNO),
    /// as <c>SPX_SECCOMP_ERRNO(e)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="errno"/> is not 0..4094.</exception>
    public static SeccompAction Errno(int errno)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(errno);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(errno, 4094);
        return new(0x00050000u | ((uint)errno & 0xffffu));
    }
}

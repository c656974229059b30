using System.Runtime.InteropServices;
using Spx.Interop;

namespace Spx;

/// <summary>Turns a non-zero return value of a libspx call into the right exception.</summary>
internal static class NativeError
{
    /// <summary>
    /// Throws for a non-zero <paramref name="rc"/>: EINVAL and EBADF (ERROR_INVALID_PARAMETER and
    /// ERROR_INVALID_HANDLE on Windows) are bad arguments, anything else an <see cref="SpxException"/>.
    /// </summary>
    internal static void Check(int rc, string function, string? paramName = null)
    {
        if (rc == 0) return;
        string message = $"{function}: {Describe(rc)}";
        throw IsBadArgument(rc) ? new ArgumentException(message, paramName) : new SpxException(rc, SpxStage.Prepare, message);
    }

    static bool IsBadArgument(int rc) =>
        OperatingSystem.IsWindows() ? rc is Errno.ERROR_INVALID_PARAMETER or Errno.ERROR_INVALID_HANDLE : rc is Errno.EINVAL or Errno.EBADF;

    /// <summary>The system's text for an errno value.</summary>
    internal static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}

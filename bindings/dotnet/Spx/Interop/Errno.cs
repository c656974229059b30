namespace Spx.Interop;

/// <summary>The Linux errno values (and their Windows counterparts) the binding looks at.</summary>
internal static class Errno
{
    internal const int ESRCH = 3;
    internal const int EINTR = 4;
    internal const int EBADF = 9;
    internal const int ECHILD = 10;
    internal const int ENOMEM = 12;
    internal const int EINVAL = 22;
    internal const int ENOTSUP = 95;
    internal const int ETIMEDOUT = 110;

    // Windows: the library returns Win32 error codes there.
    internal const int ERROR_INVALID_HANDLE = 6;
    internal const int ERROR_NOT_SUPPORTED = 50;
    internal const int ERROR_INVALID_PARAMETER = 87;
}

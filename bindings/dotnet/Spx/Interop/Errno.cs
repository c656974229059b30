namespace Spx.Interop;

/// <summary>The Linux errno values the binding looks at.</summary>
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
}

using System.Runtime.InteropServices;

namespace Spx.Interop;

/// <summary>The few libc calls the binding makes itself: pipes for redirected streams and epoll for exit notifications.</summary>
internal static unsafe partial class Libc
{
    const string Lib = "libc";

    internal const int O_CLOEXEC = 0x80000;
    internal const int EPOLL_CLOEXEC = 0x80000;
    internal const int EPOLL_CTL_ADD = 1;
    internal const int EPOLL_CTL_DEL = 2;
    internal const uint EPOLLIN = 0x001;

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int pipe2(int* fds, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int epoll_create1(int flags);

    /// <summary><c>epoll_ctl</c> with a raw <c>struct epoll_event</c> (packed on x86-64).</summary>
    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int close(int fd);

    /// <summary>The size of <c>struct epoll_event</c>: packed (12 bytes) on x86-64, 16 elsewhere.</summary>
    internal static int EpollEventSize => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>The offset of <c>data</c> in <c>struct epoll_event</c>.</summary>
    internal static int EpollDataOffset => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;
}

using System.Runtime.InteropServices;
using Spx.Interop;

namespace Spx;

/// <summary>
/// Reaps every child: one thread waits on all the children's pidfds with epoll, and reaps each as soon as it
/// exits, whether or not anybody still holds its <see cref="SpxProcess"/> (so a disposed child leaves no
/// zombie). Waiters, synchronous or asynchronous, wait on a task; no thread blocks per child.
/// </summary>
internal static unsafe class ChildExitWatcher
{
    sealed class Entry(SpxProcessHandle handle, int pidfd)
    {
        internal readonly SpxProcessHandle Handle = handle;
        internal readonly int PidFd = pidfd;
        internal readonly TaskCompletionSource<ExitStatus> Exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    static readonly object Gate = new();
    static readonly Dictionary<long, Entry> Watched = [];
    static long nextId;
    static int epfd = -1;

    /// <summary>The number of children started and not yet reaped.</summary>
    internal static int Count
    {
        get { lock (Gate) return Watched.Count; }
    }

    /// <summary>Watches <paramref name="handle"/> until its child is reaped; the handle stays alive until then.</summary>
    internal static Task<ExitStatus> Watch(SpxProcessHandle handle)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        int pidfd = NativeMethods.spx_process_pidfd(handle);
        var entry = new Entry(handle, pidfd);
        if (pidfd < 0)
        {
            // A kernel without pidfds (before 5.3): one thread per child, blocked in waitid.
            var t = new Thread(() => Complete(entry, blocking: true)) { IsBackground = true, Name = "spx child wait" };
            t.Start();
            return entry.Exit.Task;
        }
        lock (Gate)
        {
            EnsureThread();
            long id = ++nextId;
            Watched[id] = entry;
            byte* ev = stackalloc byte[16];
            *(uint*)ev = Libc.EPOLLIN;
            *(long*)(ev + Libc.EpollDataOffset) = id;
            if (Libc.epoll_ctl(epfd, Libc.EPOLL_CTL_ADD, pidfd, ev) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                Watched.Remove(id);
                handle.DangerousRelease();
                throw new SpxException(errno, SpxStage.None, $"epoll_ctl: {NativeError.Describe(errno)}");
            }
        }
        return entry.Exit.Task;
    }

    static void EnsureThread()
    {
        if (epfd >= 0) return;
        int fd = Libc.epoll_create1(Libc.EPOLL_CLOEXEC);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new SpxException(errno, SpxStage.None, $"epoll_create1: {NativeError.Describe(errno)}");
        }
        epfd = fd;
        new Thread(Loop) { IsBackground = true, Name = "spx child watcher" }.Start();
    }

    static void Loop()
    {
        const int max = 64;
        int size = Libc.EpollEventSize, offset = Libc.EpollDataOffset;
        byte* events = (byte*)NativeMemory.Alloc((nuint)(max * size));
        var ready = new List<(long, Entry)>(max);
        while (true)
        {
            int n = Libc.epoll_wait(epfd, events, max, -1);
            if (n < 0) continue; // EINTR
            ready.Clear();
            lock (Gate)
                for (int i = 0; i < n; i++)
                {
                    long id = *(long*)(events + (i * size) + offset);
                    if (Watched.TryGetValue(id, out var e)) ready.Add((id, e));
                }
            foreach (var (id, e) in ready)
            {
                int code, sig;
                int rc = NativeMethods.spx_process_wait_timeout(e.Handle, 0, &code, &sig);
                if (rc == Errno.ETIMEDOUT) continue;
                lock (Gate)
                {
                    Libc.epoll_ctl(epfd, Libc.EPOLL_CTL_DEL, e.PidFd, null);
                    Watched.Remove(id);
                }
                Finish(e, rc, code, sig);
            }
        }
    }

    static void Complete(Entry e, bool blocking)
    {
        int code = 0, sig = 0, rc;
        do rc = NativeMethods.spx_process_wait(e.Handle, &code, &sig); while (rc == Errno.EINTR && blocking);
        Finish(e, rc, code, sig);
    }

    static void Finish(Entry e, int rc, int code, int sig)
    {
        if (rc == 0)
        {
            bool core = NativeMethods.spx_process_core_dumped(e.Handle) == 1;
            e.Handle.DangerousRelease();
            e.Exit.TrySetResult(new ExitStatus(code, sig, core, DateTime.Now));
            return;
        }
        e.Handle.DangerousRelease();
        string why = rc == Errno.ECHILD
            ? "somebody else reaped the child (this process is PID 1, or SIGCHLD was ignored when it started, so the .NET runtime reaps every child)"
            : NativeError.Describe(rc);
        e.Exit.TrySetException(new SpxException(rc, SpxStage.None, $"spx_process_wait: {why}"));
    }
}

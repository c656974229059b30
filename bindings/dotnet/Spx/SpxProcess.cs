using System.IO.Pipes;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Spx.Interop;

namespace Spx;

/// <summary>
/// A child started by libspx: the counterpart of <see cref="System.Diagnostics.Process"/> (<see cref="Id"/>,
/// <see cref="HasExited"/>, <see cref="ExitCode"/>, <see cref="Kill()"/>, <see cref="WaitForExit()"/>,
/// <see cref="WaitForExitAsync"/>, the redirected standard streams).
/// </summary>
/// <remarks>
/// Every child is reaped as soon as it exits by one watcher thread that waits on all the pidfds with epoll:
/// waiting never blocks a thread pool thread per child. <see cref="Dispose"/> never kills: a child still
/// running keeps running, and is reaped when it exits (no zombie).
/// </remarks>
public sealed class SpxProcess : IDisposable
{
    readonly SpxProcessHandle handle;
    readonly Task<ExitStatus> exit;
    readonly StreamWriter? stdin;
    readonly StreamReader? stdout, stderr;
    bool disposed;

    SpxProcess(SpxStartInfo info, SpxProcessHandle handle, Spawner.Pipes pipes)
    {
        StartInfo = info;
        this.handle = handle;
        Id = (int)NativeMethods.spx_process_pid(handle);
        StartTime = DateTime.Now;
        exit = ChildExitWatcher.Watch(handle);
        if (pipes.StdinWrite is { } w)
            stdin = new StreamWriter(PipeStream(w, PipeDirection.Out), info.StandardInputEncoding ?? new UTF8Encoding(false), 4096) { AutoFlush = true };
        if (pipes.StdoutRead is { } o)
            stdout = new StreamReader(PipeStream(o, PipeDirection.In), info.StandardOutputEncoding ?? Encoding.UTF8, true, 4096);
        if (pipes.StderrRead is { } e)
            stderr = new StreamReader(PipeStream(e, PipeDirection.In), info.StandardErrorEncoding ?? Encoding.UTF8, true, 4096);
    }

    // The parent's end of a pipe, as Process.Start makes it: the stream owns the descriptor from here on.
    static AnonymousPipeClientStream PipeStream(SafeFileHandle end, PipeDirection direction)
    {
        var owned = new SafePipeHandle(end.DangerousGetHandle(), ownsHandle: true);
        end.SetHandleAsInvalid();
        return new AnonymousPipeClientStream(direction, owned);
    }

    /// <summary>
    /// Windows: the process handle (owned by this object: do not close it), for WaitForMultipleObjects and the like;
    /// <see cref="IntPtr.Zero"/> on Linux, where the child is a pid and a pidfd.
    /// </summary>
    public IntPtr Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return NativeMethods.spx_process_handle(handle);
        }
    }

    /// <summary>Starts a child as <paramref name="startInfo"/> says.</summary>
    /// <exception cref="ArgumentException">A bad argument, found before any native call.</exception>
    /// <exception cref="SpxException">The spawn failed: <see cref="System.ComponentModel.Win32Exception.NativeErrorCode"/> is the errno, <see cref="SpxException.Stage"/> the stage.</exception>
    /// <exception cref="InvalidOperationException">This process is PID 1 (see the README).</exception>
    public static SpxProcess Start(SpxStartInfo startInfo)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        using var pipes = new Spawner.Pipes();
        var h = Spawner.Spawn(startInfo, pipes);
        try
        {
            return new SpxProcess(startInfo, h, pipes);
        }
        catch
        {
            h.Dispose();
            throw;
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with these arguments and the default attributes.</summary>
    public static SpxProcess Start(string fileName, params string[] arguments) => Start(new SpxStartInfo(fileName, arguments));

    /// <summary>What this child was started with.</summary>
    public SpxStartInfo StartInfo { get; }

    /// <summary>The child's process id.</summary>
    public int Id { get; }

    /// <summary>Whether the child has ended (and been reaped).</summary>
    public bool HasExited => exit.IsCompleted;

    /// <summary>The exit status; 128 + the signal when a signal killed it (as <c>Process.ExitCode</c> on Unix).</summary>
    /// <exception cref="InvalidOperationException">The child is still running.</exception>
    public int ExitCode => Status.Signal != 0 ? 128 + Status.Signal : Status.Code;

    /// <summary>The signal that killed the child, or 0 when it exited.</summary>
    /// <exception cref="InvalidOperationException">The child is still running.</exception>
    public int TerminationSignal => Status.Signal;

    /// <summary>Whether the child dumped core when its signal killed it.</summary>
    /// <exception cref="InvalidOperationException">The child is still running.</exception>
    public bool CoreDumped => Status.CoreDumped;

    ExitStatus Status
    {
        get
        {
            if (!exit.IsCompleted) throw new InvalidOperationException($"Process {Id} has not exited.");
            return exit.GetAwaiter().GetResult();
        }
    }

    /// <summary>When the child was started (local time, as <c>Process.StartTime</c>).</summary>
    public DateTime StartTime { get; }

    /// <summary>When the child was seen to exit (local time).</summary>
    /// <exception cref="InvalidOperationException">The child is still running.</exception>
    public DateTime ExitTime => Status.Time;

    /// <summary>
    /// Raised once when the child has exited and been reaped, on a thread-pool thread (unlike
    /// <c>Process.Exited</c>, no <c>EnableRaisingEvents</c> is needed). A handler added after the exit is not called.
    /// </summary>
    public event EventHandler? Exited
    {
        add
        {
            lock (eventGate)
            {
                if (exit.IsCompleted) return;
                exited += value;
                if (hooked) return;
                hooked = true;
                exit.ContinueWith(static (_, state) => ((SpxProcess)state!).OnExited(), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        remove
        {
            lock (eventGate) exited -= value;
        }
    }

    readonly object eventGate = new();
    EventHandler? exited;
    bool hooked;

    void OnExited()
    {
        EventHandler? handlers;
        lock (eventGate) handlers = exited;
        handlers?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>The child's stdin, when <see cref="SpxStartInfo.RedirectStandardInput"/> (auto-flushed).</summary>
    public StreamWriter StandardInput => stdin ?? throw new InvalidOperationException("StandardInput was not redirected.");

    /// <summary>The child's stdout, when <see cref="SpxStartInfo.RedirectStandardOutput"/>.</summary>
    public StreamReader StandardOutput => stdout ?? throw new InvalidOperationException("StandardOutput was not redirected.");

    /// <summary>The child's stderr, when <see cref="SpxStartInfo.RedirectStandardError"/>.</summary>
    public StreamReader StandardError => stderr ?? throw new InvalidOperationException("StandardError was not redirected.");

    /// <summary>Kills the child (SIGKILL). Does nothing when it has already exited.</summary>
    public void Kill() => Signal(9);

    /// <summary>Sends <paramref name="signal"/> to the child (through its pidfd). Does nothing once it has been reaped.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a signal number (0..64).</exception>
    /// <exception cref="SpxException">Not allowed (EPERM, e.g. after the child changed uid).</exception>
    public void Signal(int signal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(signal);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(signal, 64);
        ObjectDisposedException.ThrowIf(disposed, this);
        int rc = NativeMethods.spx_process_kill(handle, signal);
        if (rc is 0 or Errno.ESRCH) return;
        NativeError.Check(rc, "spx_process_kill", nameof(signal));
    }

    /// <summary>Waits for the child to end.</summary>
    public void WaitForExit() => WaitForExit(Timeout.Infinite);

    /// <summary>Waits at most <paramref name="milliseconds"/> (-1: forever); true when the child has ended.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below -1.</exception>
    public bool WaitForExit(int milliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(milliseconds, -1);
        try
        {
            return exit.Wait(milliseconds);
        }
        catch (AggregateException)
        {
            return true; // reaped by somebody else: ExitCode throws the SpxException that says so
        }
    }

    /// <summary>Waits at most <paramref name="timeout"/>; true when the child has ended.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        long ms = (long)timeout.TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfLessThan(ms, -1, nameof(timeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ms, int.MaxValue, nameof(timeout));
        return WaitForExit((int)ms);
    }

    /// <summary>Completes when the child ends; cancelling stops the wait, not the child.</summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) =>
        cancellationToken.CanBeCanceled ? exit.WaitAsync(cancellationToken) : exit;

    /// <summary>Closes the redirected streams and lets go of the child. Never kills it; it is reaped when it exits.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        stdin?.Dispose();
        stdout?.Dispose();
        stderr?.Dispose();
        handle.Dispose();
    }
}

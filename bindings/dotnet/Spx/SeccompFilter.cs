using Spx.Interop;

namespace Spx;

/// <summary>
/// A seccomp filter for the native architecture, compiled with libseccomp, installed in the child last,
/// just before exec, through <see cref="SpxStartInfo.Seccomp"/>. Unless a rule names them, execve and
/// execveat stay allowed so the child can run its program. Implies no_new_privs unless the child keeps
/// CAP_SYS_ADMIN.
/// </summary>
/// <example><code>
/// using var filter = SeccompFilter.Create(SeccompAction.Allow).Add("socket", SeccompAction.Errno(1));
/// </code></example>
public sealed class SeccompFilter : IDisposable
{
    internal SpxSeccompHandle Handle { get; }

    /// <summary>Serializes every use of the native object: libspx allows one thread at a time per object.</summary>
    internal object Gate { get; } = new();

    SeccompFilter(SpxSeccompHandle handle) => Handle = handle;

    /// <summary>A new filter whose calls without a rule get <paramref name="defaultAction"/>.</summary>
    /// <exception cref="ArgumentException">Not a valid action.</exception>
    public static SeccompFilter Create(SeccompAction defaultAction)
    {
        int rc = NativeMethods.spx_seccomp_new(out var h, defaultAction.Value);
        if (rc != 0)
        {
            h.Dispose();
            NativeError.Check(rc, "spx_seccomp_new", nameof(defaultAction));
        }
        return new SeccompFilter(h);
    }

    /// <summary>Gives the system call <paramref name="syscallName"/> the action <paramref name="action"/>.</summary>
    /// <exception cref="ArgumentException">Unknown system call name or action.</exception>
    public SeccompFilter Add(string syscallName, SeccompAction action)
    {
        ArgumentException.ThrowIfNullOrEmpty(syscallName);
        if (syscallName.Contains('\0', StringComparison.Ordinal)) throw new ArgumentException("The name contains a NUL character.", nameof(syscallName));
        lock (Gate) NativeError.Check(NativeMethods.spx_seccomp_add(Handle, syscallName, action.Value), $"spx_seccomp_add({syscallName})", nameof(syscallName));
        return this;
    }

    /// <summary>Gives the native system call number <paramref name="syscallNumber"/> the action <paramref name="action"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative number.</exception>
    public SeccompFilter Add(int syscallNumber, SeccompAction action)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(syscallNumber);
        lock (Gate) NativeError.Check(NativeMethods.spx_seccomp_add_nr(Handle, syscallNumber, action.Value), "spx_seccomp_add_nr", nameof(action));
        return this;
    }

    /// <summary>How many names given to <see cref="Add(string, SeccompAction)"/> were ignored as absent on this architecture.</summary>
    public int IgnoredCount
    {
        get
        {
            lock (Gate) return (int)NativeMethods.spx_seccomp_ignored(Handle);
        }
    }

    /// <summary>Compiles the filter and returns its length in BPF instructions.</summary>
    public unsafe int InstructionCount
    {
        get
        {
            nuint n;
            lock (Gate) NativeError.Check(NativeMethods.spx_seccomp_length(Handle, &n), "spx_seccomp_length");
            return (int)n;
        }
    }

    /// <summary>Releases the filter.</summary>
    public void Dispose()
    {
        lock (Gate) Handle.Dispose();
    }
}

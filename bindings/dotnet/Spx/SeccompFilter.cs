using System.Text;
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
/// // Only IPv4 sockets fail; each denial is logged.
/// using var inet = SeccompFilter.Create(SeccompAction.Allow)
///     .Add("socket", SeccompAction.Errno(13), SeccompCondition.Equal32(0, 2 /* AF_INET */))
///     .SetOptions(SeccompFilterOptions.Log);
/// // An OCI runtime-spec profile (Docker's, Kubernetes' seccompProfile: Localhost).
/// using var profile = SeccompFilter.FromOci(File.ReadAllBytes("/etc/containers/seccomp.json"));
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

    /// <summary>
    /// Gives the system call <paramref name="syscallName"/> the action <paramref name="action"/> when every one of
    /// <paramref name="conditions"/> holds (at most six, each on a different argument). For an "or", add one rule per
    /// alternative; a call matching none of its conditional rules gets the default action. Without conditions this is
    /// <see cref="Add(string, SeccompAction)"/>. An unconditional rule replaces the earlier rules for the call.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name or action, more than six conditions, an argument above 5 or
    /// used twice, an unknown comparison.</exception>
    /// <exception cref="SpxException">EEXIST: a conditional rule after an unconditional one with another action (it
    /// could never apply).</exception>
    public unsafe SeccompFilter Add(string syscallName, SeccompAction action, params ReadOnlySpan<SeccompCondition> conditions)
    {
        ArgumentException.ThrowIfNullOrEmpty(syscallName);
        if (syscallName.Contains('\0', StringComparison.Ordinal)) throw new ArgumentException("The name contains a NUL character.", nameof(syscallName));
        // Six at most: the rest would only be refused; the stack copy stays small.
        if (conditions.Length > 6) throw new ArgumentException($"{conditions.Length} conditions: at most 6 (one per argument).", nameof(conditions));
        SpxSeccompCondNative* native = stackalloc SpxSeccompCondNative[Math.Max(conditions.Length, 1)];
        for (int i = 0; i < conditions.Length; i++) native[i] = conditions[i].ToNative();
        lock (Gate)
            NativeError.Check(NativeMethods.spx_seccomp_add_cond(Handle, syscallName, action.Value, native, (nuint)conditions.Length),
                $"spx_seccomp_add_cond({syscallName})", nameof(conditions));
        return this;
    }

    /// <summary>Sets the filter's flags (<c>spx_seccomp_set_flags</c>), replacing earlier ones.</summary>
    /// <exception cref="ArgumentException">An unknown flag.</exception>
    public SeccompFilter SetOptions(SeccompFilterOptions options)
    {
        lock (Gate) NativeError.Check(NativeMethods.spx_seccomp_set_flags(Handle, (uint)options), "spx_seccomp_set_flags", nameof(options));
        return this;
    }

    /// <summary>
    /// The filter of an OCI runtime-spec seccomp profile (the JSON file of Docker, Podman, containerd, Kubernetes'
    /// <c>seccompProfile: Localhost</c>), for a child holding the capabilities <paramref name="capabilities"/> (none by
    /// default; its permitted set after the spawn): a rule's <c>includes.caps</c> holds when all its capabilities are
    /// there, <c>excludes.caps</c> when any is. Rules whose includes or excludes do not hold for this architecture and
    /// kernel are left out; system call names unknown to libseccomp are counted (<see cref="IgnoredCount"/>), not
    /// refused. More rules and flags can be added afterwards.
    /// </summary>
    /// <param name="utf8Json">The profile, UTF-8.</param>
    /// <param name="capabilities">The capabilities the child will hold.</param>
    /// <exception cref="ArgumentException">A malformed profile (bad JSON, wrong types, unknown action, operator,
    /// capability...): the message is the reader's, naming the JSON path, e.g.
    /// <c>syscalls[12].args[0].op: unknown operator "SCMP_CMP_FOO"</c>.</exception>
    /// <exception cref="SpxException">ENOTSUP (an action spx cannot run, such as SCMP_ACT_NOTIFY, or a profile for
    /// another architecture), E2BIG (over 4 MiB), with the reader's message.</exception>
    public static unsafe SeccompFilter FromOci(ReadOnlySpan<byte> utf8Json, params ReadOnlySpan<Capability> capabilities)
    {
        const int errLen = 512;
        byte* err = stackalloc byte[errLen];
        err[0] = 0;
        int* caps = stackalloc int[Math.Max(capabilities.Length, 1)];
        for (int i = 0; i < capabilities.Length; i++) caps[i] = (int)capabilities[i];
        SpxSeccompHandle h;
        int rc;
        // A pinned empty span still gives a usable pointer: the reader reports an empty profile as such.
        byte one = 0;
        fixed (byte* json = utf8Json)
        {
            byte* p = json != null ? json : &one;
            rc = capabilities.IsEmpty
                ? NativeMethods.spx_seccomp_from_oci(out h, p, (nuint)utf8Json.Length, err, errLen)
                : NativeMethods.spx_seccomp_from_oci_caps(out h, p, (nuint)utf8Json.Length, caps, (nuint)capabilities.Length, err, errLen);
        }
        if (rc != 0)
        {
            h.Dispose();
            string detail = new ReadOnlySpan<byte>(err, errLen).IndexOf((byte)0) is var n and > 0 ? Encoding.UTF8.GetString(err, n) : "";
            string message = detail.Length > 0 ? $"seccomp profile: {detail}: {NativeError.Describe(rc)}" : $"seccomp profile: {NativeError.Describe(rc)}";
            throw rc == Errno.EINVAL ? new ArgumentException(message, nameof(utf8Json)) : new SpxException(rc, SpxStage.Prepare, message);
        }
        return new SeccompFilter(h);
    }

    /// <summary>The filter of an OCI runtime-spec seccomp profile given as text; see
    /// <see cref="FromOci(ReadOnlySpan{byte}, ReadOnlySpan{Capability})"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    public static SeccompFilter FromOci(string json, params ReadOnlySpan<Capability> capabilities)
    {
        ArgumentNullException.ThrowIfNull(json);
        return FromOci(Encoding.UTF8.GetBytes(json), capabilities);
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

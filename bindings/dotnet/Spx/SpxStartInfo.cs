using System.Collections.ObjectModel;
using System.Runtime.InteropServices;
using System.Text;

namespace Spx;

/// <summary>
/// What to run and with which attributes: the counterpart of <see cref="System.Diagnostics.ProcessStartInfo"/>,
/// with the security attributes it cannot set. Property names follow <c>ProcessStartInfo</c> where it has one.
/// </summary>
/// <remarks>
/// <para><b>Identity.</b> <see cref="UserId"/> needs <see cref="GroupId"/> (a uid alone is refused before any
/// native call: keeping the caller's group, often root's, is never what a privilege drop means). A child with a
/// uid or gid other than the caller's inherits nothing unasked: no supplementary group (unless
/// <see cref="SupplementaryGroups"/> or <see cref="KeepSupplementaryGroups"/>), no ambient or inheritable
/// capability (unless <see cref="AmbientCapabilities"/> or <see cref="InheritableCapabilities"/>).</para>
/// <para><b>Descriptors.</b> The child gets fds 0, 1, 2 (redirected or inherited) and those in
/// <see cref="FileDescriptors"/>; every other descriptor is closed at exec.</para>
/// <para><b>SIGPIPE.</b> The .NET runtime ignores SIGPIPE, and children of <c>Process.Start</c> inherit that
/// (a pipeline then sees EPIPE errors instead of ending quietly). spx puts SIGPIPE back to its default in the
/// child unless <see cref="RestoreSigPipe"/> is false.</para>
/// </remarks>
public sealed class SpxStartInfo
{
    Dictionary<string, string?>? environment;

    /// <summary>An empty start info: set <see cref="FileName"/> (or <see cref="ExecutableHandle"/>).</summary>
    public SpxStartInfo() { }

    /// <summary>Runs <paramref name="fileName"/> with these arguments.</summary>
    public SpxStartInfo(string fileName, params string[] arguments)
    {
        FileName = fileName;
        ArgumentNullException.ThrowIfNull(arguments);
        foreach (var a in arguments) ArgumentList.Add(a);
    }

    // ---- what to run -------------------------------------------------------

    /// <summary>The program: a path, or a name without '/' looked up in PATH (see <see cref="UsePathSearch"/>).</summary>
    public string? FileName { get; set; }

    /// <summary>The arguments after argv[0].</summary>
    public Collection<string> ArgumentList { get; } = [];

    /// <summary>argv[0]; by default <see cref="FileName"/>.</summary>
    public string? Argument0 { get; set; }

    /// <summary>Look a <see cref="FileName"/> without '/' up in PATH, in the parent, as the child's identity would (default true, as <c>Process.Start</c>).</summary>
    public bool UsePathSearch { get; set; } = true;

    /// <summary>Execute this open file instead of a path (<c>execveat(fd, "", AT_EMPTY_PATH)</c>), e.g. a sealed memfd; <see cref="FileName"/> may then be null.</summary>
    public SafeHandle? ExecutableHandle { get; set; }

    /// <summary>Resolve <see cref="FileName"/> relative to this open directory (<c>execveat(dirfd, path)</c>), with no PATH search.</summary>
    public SafeHandle? ExecutableDirectoryHandle { get; set; }

    /// <summary>With <see cref="ExecutableDirectoryHandle"/>: do not follow a final symbolic link.</summary>
    public bool ExecutableDirectoryNoFollow { get; set; }

    /// <summary>The child's working directory (after <see cref="RootDirectory"/>); null inherits the parent's.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// The child's environment: a copy of this process's, taken when first read or at the first start (as
    /// <c>ProcessStartInfo.Environment</c>), then reused by every start with this object.
    /// </summary>
    public IDictionary<string, string?> Environment
    {
        get
        {
            if (environment is null)
            {
                var snapshot = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
                    snapshot[(string)e.Key] = (string?)e.Value;
                Interlocked.CompareExchange(ref environment, snapshot, null); // several starting threads: one snapshot wins
            }
            return environment;
        }
    }

    // ---- standard streams --------------------------------------------------

    /// <summary>Give the child a pipe as stdin, written through <see cref="SpxProcess.StandardInput"/>.</summary>
    public bool RedirectStandardInput { get; set; }

    /// <summary>Give the child a pipe as stdout, read through <see cref="SpxProcess.StandardOutput"/>.</summary>
    public bool RedirectStandardOutput { get; set; }

    /// <summary>Give the child a pipe as stderr, read through <see cref="SpxProcess.StandardError"/>.</summary>
    public bool RedirectStandardError { get; set; }

    /// <summary>The encoding of <see cref="SpxProcess.StandardInput"/> (default UTF-8 without BOM).</summary>
    public Encoding? StandardInputEncoding { get; set; }

    /// <summary>The encoding of <see cref="SpxProcess.StandardOutput"/> (default UTF-8).</summary>
    public Encoding? StandardOutputEncoding { get; set; }

    /// <summary>The encoding of <see cref="SpxProcess.StandardError"/> (default UTF-8).</summary>
    public Encoding? StandardErrorEncoding { get; set; }

    /// <summary>
    /// More descriptors for the child: child fd number to an open handle of this process (duplicated at
    /// start, so it may be closed afterwards), or null to have that child fd closed. Any permutation works.
    /// </summary>
    public IDictionary<int, SafeHandle?> FileDescriptors { get; } = new SortedDictionary<int, SafeHandle?>();

    // ---- identity and capabilities -----------------------------------------

    /// <summary>The child's user id (real, effective, saved); needs <see cref="GroupId"/>. Null keeps the caller's.</summary>
    public uint? UserId { get; set; }

    /// <summary>The child's group id (real, effective, saved). Null keeps the caller's.</summary>
    public uint? GroupId { get; set; }

    /// <summary>
    /// Exactly these supplementary groups (<c>[]</c>: none). Null: the default, which is none after a change of
    /// identity and the caller's otherwise.
    /// </summary>
    public IList<uint>? SupplementaryGroups { get; set; }

    /// <summary>Keep the caller's supplementary groups across a uid or gid change (no setgroups call; Go's NoSetGroups).</summary>
    public bool KeepSupplementaryGroups { get; set; }

    /// <summary>The child's ambient set: they survive the uid change (CapAmb = CapPrm = CapEff = these).</summary>
    public CapabilitySet AmbientCapabilities { get; set; } = new(specified: false);

    /// <summary>The child's inheritable set (plus the ambient ones).</summary>
    public CapabilitySet InheritableCapabilities { get; set; } = new(specified: false);

    /// <summary>Reduce the child's bounding set to exactly these (needs CAP_SETPCAP).</summary>
    public CapabilitySet BoundingCapabilities { get; set; } = new(specified: false);

    /// <summary>Set no_new_privs in the child (a Landlock ruleset or seccomp filter sets it anyway).</summary>
    public bool NoNewPrivileges { get; set; }

    /// <summary>chroot(2) the child into this directory (needs CAP_SYS_CHROOT); the program and working directory are then taken inside it.</summary>
    public string? RootDirectory { get; set; }

    /// <summary>The child's securebits; null leaves them alone.</summary>
    public SecureBits? SecureBits { get; set; }

    // ---- sandboxes ---------------------------------------------------------

    /// <summary>A Landlock ruleset for the child (a kernel ruleset is created from it at each start).</summary>
    public LandlockRuleset? Landlock { get; set; }

    /// <summary>A kernel Landlock ruleset descriptor (see <see cref="LandlockRuleset.CreateDescriptor"/>), instead of <see cref="Landlock"/>.</summary>
    public SafeHandle? LandlockHandle { get; set; }

    /// <summary>
    /// Flags for the child's <c>landlock_restrict_self</c> (ABI 7): <see cref="LandlockLogging.NewExecOn"/>, for instance,
    /// has the kernel log the program's denials. They apply with <see cref="Landlock"/> or <see cref="LandlockHandle"/>, except
    /// <see cref="LandlockLogging.SubdomainsOff"/>, which also works alone. On a kernel without them the start fails
    /// with ENOTSUP at <see cref="SpxStage.Landlock"/>, unless <see cref="Landlock"/> is a best-effort ruleset: then they are dropped.
    /// </summary>
    public LandlockLogging LandlockLogging { get; set; }

    /// <summary>A seccomp filter installed last, just before exec.</summary>
    public SeccompFilter? Seccomp { get; set; }

    /// <summary>A raw classic-BPF seccomp program (<c>struct sock_filter</c>, 8 bytes each, 1..4096), instead of <see cref="Seccomp"/>; its author allows the exec.</summary>
    public byte[]? SeccompProgram { get; set; }

    // ---- signals -----------------------------------------------------------

    /// <summary>Put SIGPIPE back to its default in the child (default true; the .NET runtime ignores it).</summary>
    public bool RestoreSigPipe { get; set; } = true;

    /// <summary>More signals reset to their default in the child even if this process ignores them (1..64, not SIGKILL or SIGSTOP).</summary>
    public IList<int> DefaultSignals { get; } = [];

    /// <summary>The child's signal mask at exec, exactly these (<c>[]</c>: none blocked). Null: the spawning thread's mask.</summary>
    public IList<int>? BlockedSignals { get; set; }

    /// <summary>The signal the child gets when the spawning thread exits (pdeathsig; thread-scoped in the kernel). Null: none.</summary>
    public int? ParentDeathSignal { get; set; }

    // ---- process attributes ------------------------------------------------

    /// <summary>Resource limits, by <see cref="Resource"/>; set before the identity change.</summary>
    public IDictionary<Resource, ResourceLimit> ResourceLimits { get; } = new SortedDictionary<Resource, ResourceLimit>();

    /// <summary>Start the child in a new session (and process group) that it leads.</summary>
    public bool CreateNewSession { get; set; }

    /// <summary>The child's process group: null inherits, 0 a new group led by the child, &gt; 0 joins that group.</summary>
    public long? ProcessGroupId { get; set; }

    /// <summary>After <see cref="CreateNewSession"/>, make the child's fd with this number its controlling terminal.</summary>
    public int? ControllingTerminal { get; set; }

    /// <summary>Make the child's process group the foreground group of the terminal at this child fd.</summary>
    public int? ForegroundTerminal { get; set; }

    /// <summary>An open cgroup v2 directory the child is placed in from its first instruction (CLONE_INTO_CGROUP).</summary>
    public SafeHandle? CgroupHandle { get; set; }

    /// <summary>The child's umask, 0..0777 (octal); null inherits.</summary>
    public int? UMask { get; set; }

    // ---- Windows -----------------------------------------------------------

    /// <summary>
    /// Windows: run the child in this AppContainer profile, created when missing and never deleted implicitly
    /// (see <see cref="AppContainerProfile"/>). The start fails closed: a child whose token is not confined as
    /// asked is terminated before it runs (<see cref="SpxStage.AppContainer"/>). Elsewhere the start fails with
    /// ENOTSUP and no child is created.
    /// </summary>
    public string? AppContainerName { get; set; }

    /// <summary>Windows: capabilities of the AppContainer, names ("internetClient", "lpacCom") or SID strings ("S-1-15-3-1").</summary>
    public IList<string> AppContainerCapabilities { get; } = [];

    /// <summary>Windows: options of the AppContainer (LPAC, no profile).</summary>
    public AppContainerOptions AppContainerOptions { get; set; }

    /// <summary>
    /// Windows: start the child inside a new job object, from its first instruction (its own children join it;
    /// <see cref="SpxProcess.Kill"/> ends the whole job); null for none. Elsewhere the start fails with ENOTSUP.
    /// </summary>
    public JobOptions? Job { get; set; }

    /// <summary>
    /// Windows: the handles the child gets as standard input, output and error, in place of this process's
    /// (STARTF_USESTDHANDLES); null keeps this process's. Not duplicated before the start: they must stay open
    /// until it returns. Elsewhere the start fails with ENOTSUP (use the Redirect* properties or
    /// <see cref="FileDescriptors"/>).
    /// </summary>
    public SafeHandle? StandardInputHandle { get; set; }

    /// <inheritdoc cref="StandardInputHandle"/>
    public SafeHandle? StandardOutputHandle { get; set; }

    /// <inheritdoc cref="StandardInputHandle"/>
    public SafeHandle? StandardErrorHandle { get; set; }

    /// <summary>
    /// Windows: further handles the child inherits, with the same values. Only these and the standard handles are
    /// inherited (PROC_THREAD_ATTRIBUTE_HANDLE_LIST); the library makes them inheritable. Elsewhere the start fails
    /// with ENOTSUP.
    /// </summary>
    public IList<SafeHandle> InheritedHandles { get; } = [];

}

using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Spx.Interop;

namespace Spx;

// Argument exceptions name the SpxStartInfo property at fault, which tells the caller more than "startInfo".
#pragma warning disable CA2208

/// <summary>Turns an <see cref="SpxStartInfo"/> into a libspx attribute object and a started child.</summary>
internal static unsafe class Spawner
{
    const int SIGKILL = 9, SIGPIPE = 13, SIGSTOP = 19;
    static readonly bool IsPid1 = System.Environment.ProcessId == 1;

    internal sealed class Pipes : IDisposable
    {
        internal SafeFileHandle? StdinRead, StdinWrite, StdoutRead, StdoutWrite, StderrRead, StderrWrite;

        public void Dispose()
        {
            StdinRead?.Dispose(); StdinWrite?.Dispose();
            StdoutRead?.Dispose(); StdoutWrite?.Dispose();
            StderrRead?.Dispose(); StderrWrite?.Dispose();
        }

        internal void CloseChildEnds()
        {
            StdinRead?.Dispose(); StdoutWrite?.Dispose(); StderrWrite?.Dispose();
        }
    }

    /// <summary>Validates <paramref name="info"/> (before any native call), spawns, and returns the handle and the parent's pipe ends.</summary>
    internal static SpxProcessHandle Spawn(SpxStartInfo info, Pipes pipes)
    {
        Validate(info);
        if (IsPid1)
            throw new InvalidOperationException(
                "spx: this process is PID 1 (a container without an init): the .NET runtime then reaps every child itself, " +
                "so spx cannot wait for its children (ECHILD). Run the program under an init such as tini or 'docker run --init'.");

        string[] argv = [info.Argument0 ?? info.FileName ?? "", .. info.ArgumentList];

        using var attr = NativeMethods.spx_attr_new();
        if (attr.IsInvalid) throw new SpxException(Errno.ENOMEM, SpxStage.Prepare, "spx_attr_new: out of memory");
        using var held = new HeldHandles(info);
        Configure(attr, info);
        CreatePipes(attr, info, pipes);

        using var argvBlock = new Utf8StringArray(argv, nameof(SpxStartInfo.ArgumentList));
        using var envBlock = new Utf8StringArray(info.Environment);
        SpxErrorNative err;
        int rc = NativeMethods.spx_spawn(out var process, attr, info.FileName, argvBlock.Pointer, envBlock.Pointer, &err);
        pipes.CloseChildEnds();
        if (rc != 0)
        {
            process.Dispose();
            string message = SpxLibrary.Utf8(err.message) ?? "";
            throw new SpxException(rc, (SpxStage)err.stage, message.Length > 0 ? message : NativeError.Describe(rc));
        }
        return process;
    }

    /// <summary>Keeps the caller's handles open (AddRef) while their descriptors are being duplicated.</summary>
    sealed class HeldHandles : IDisposable
    {
        readonly List<SafeHandle> held = [];

        internal HeldHandles(SpxStartInfo info)
        {
            try
            {
                foreach (var h in (SafeHandle?[])[info.ExecutableHandle, info.ExecutableDirectoryHandle, info.LandlockHandle, info.CgroupHandle, .. info.FileDescriptors.Values])
                {
                    if (h is null) continue;
                    bool added = false;
                    h.DangerousAddRef(ref added);
                    if (added) held.Add(h);
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            foreach (var h in held) h.DangerousRelease();
            held.Clear();
        }
    }

    static void Validate(SpxStartInfo info)
    {
        if (info.ExecutableHandle is null && string.IsNullOrEmpty(info.FileName))
            throw new ArgumentException("FileName is required (or ExecutableHandle).", nameof(SpxStartInfo.FileName));
        NoNul(info.FileName, nameof(SpxStartInfo.FileName));
        NoNul(info.Argument0, nameof(SpxStartInfo.Argument0));
        if (info.WorkingDirectory is { Length: 0 }) throw new ArgumentException("WorkingDirectory is empty (null inherits the parent's).", nameof(SpxStartInfo.WorkingDirectory));
        NoNul(info.WorkingDirectory, nameof(SpxStartInfo.WorkingDirectory));
        if (info.RootDirectory is { Length: 0 }) throw new ArgumentException("RootDirectory is empty (null for none).", nameof(SpxStartInfo.RootDirectory));
        NoNul(info.RootDirectory, nameof(SpxStartInfo.RootDirectory));
        foreach (var (k, v) in info.Environment)
        {
            if (k.Length == 0 || k.Contains('=', StringComparison.Ordinal))
                throw new ArgumentException($"Environment variable name \"{k}\" is empty or contains '='.", nameof(SpxStartInfo.Environment));
            NoNul(k, nameof(SpxStartInfo.Environment));
            NoNul(v, nameof(SpxStartInfo.Environment));
        }
        if (info.UserId == uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(SpxStartInfo.UserId), "uid 4294967295 (-1) is not a user id.");
        if (info.GroupId == uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(SpxStartInfo.GroupId), "gid 4294967295 (-1) is not a group id.");
        if (info.UserId is not null && info.GroupId is null)
            throw new ArgumentException("UserId needs GroupId: a privilege drop that keeps the caller's group (often root's) is refused.", nameof(SpxStartInfo.GroupId));
        if (info.SupplementaryGroups is { } groups)
        {
            if (info.KeepSupplementaryGroups) throw new ArgumentException("Set SupplementaryGroups or KeepSupplementaryGroups, not both.", nameof(SpxStartInfo.SupplementaryGroups));
            if (groups.Count > 65536) throw new ArgumentOutOfRangeException(nameof(SpxStartInfo.SupplementaryGroups), "At most 65536 groups.");
            if (groups.Contains(uint.MaxValue)) throw new ArgumentOutOfRangeException(nameof(SpxStartInfo.SupplementaryGroups), "gid 4294967295 (-1) is not a group id.");
        }
        ArgumentNullException.ThrowIfNull(info.AmbientCapabilities, nameof(SpxStartInfo.AmbientCapabilities));
        ArgumentNullException.ThrowIfNull(info.InheritableCapabilities, nameof(SpxStartInfo.InheritableCapabilities));
        ArgumentNullException.ThrowIfNull(info.BoundingCapabilities, nameof(SpxStartInfo.BoundingCapabilities));
        foreach (int s in info.DefaultSignals)
            if (s is < 1 or > 64 or SIGKILL or SIGSTOP) throw new ArgumentOutOfRangeException(nameof(SpxStartInfo.DefaultSignals), s, "A signal 1..64, not SIGKILL or SIGSTOP.");
        if (info.BlockedSignals is { } blocked)
            foreach (int s in blocked)
                if (s is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(SpxStartInfo.BlockedSignals), s, "A signal 1..64.");
        if (info.ParentDeathSignal is < 0 or > 64) throw new ArgumentOutOfRangeException(nameof(SpxStartInfo.ParentDeathSignal), info.ParentDeathSignal, "A signal 1..64 (0 or null: none).");
        foreach (var (fd, h) in info.FileDescriptors)
        {
            if (fd < 0) throw new ArgumentOutOfRangeException(nameof(SpxStartInfo.FileDescriptors), fd, "A child descriptor number is >= 0.");
            if ((fd == 0 && info.RedirectStandardInput) || (fd == 1 && info.RedirectStandardOutput) || (fd == 2 && info.RedirectStandardError))
                throw new ArgumentException($"Child fd {fd} is both redirected and in FileDescriptors.", nameof(SpxStartInfo.FileDescriptors));
            CheckHandle(h, nameof(SpxStartInfo.FileDescriptors));
        }
        CheckHandle(info.ExecutableHandle, nameof(SpxStartInfo.ExecutableHandle));
        CheckHandle(info.ExecutableDirectoryHandle, nameof(SpxStartInfo.ExecutableDirectoryHandle));
        CheckHandle(info.LandlockHandle, nameof(SpxStartInfo.LandlockHandle));
        CheckHandle(info.CgroupHandle, nameof(SpxStartInfo.CgroupHandle));
        if (info.ExecutableDirectoryHandle is not null && info.ExecutableHandle is not null)
            throw new ArgumentException("Set ExecutableHandle or ExecutableDirectoryHandle, not both.", nameof(SpxStartInfo.ExecutableDirectoryHandle));
        if (info.Landlock is not null && info.LandlockHandle is not null)
            throw new ArgumentException("Set Landlock or LandlockHandle, not both.", nameof(SpxStartInfo.LandlockHandle));
        if (info.Seccomp is not null && info.SeccompProgram is not null)
            throw new ArgumentException("Set Seccomp or SeccompProgram, not both.", nameof(SpxStartInfo.SeccompProgram));
        if (info.SeccompProgram is { } bpf && (bpf.Length == 0 || bpf.Length % 8 != 0 || bpf.Length / 8 > 4096))
            throw new ArgumentException("SeccompProgram holds 1..4096 instructions of 8 bytes.", nameof(SpxStartInfo.SeccompProgram));
        if (info.ProcessGroupId is < 0) throw new ArgumentOutOfRangeException(nameof(SpxStartInfo.ProcessGroupId), info.ProcessGroupId, "0 (a new group) or a process group id.");
        if (info.ControllingTerminal is < 0) throw new ArgumentOutOfRangeException(nameof(SpxStartInfo.ControllingTerminal), info.ControllingTerminal, "A child descriptor number is >= 0.");
        if (info.ForegroundTerminal is < 0) throw new ArgumentOutOfRangeException(nameof(SpxStartInfo.ForegroundTerminal), info.ForegroundTerminal, "A child descriptor number is >= 0.");
        if (info.UMask is < 0 or > 511) throw new ArgumentOutOfRangeException(nameof(SpxStartInfo.UMask), info.UMask, "A umask is 0..0777.");
        foreach (var (r, l) in info.ResourceLimits)
        {
            if (r < 0) throw new ArgumentOutOfRangeException(nameof(SpxStartInfo.ResourceLimits), r, "Not a resource.");
            if (l.Soft > l.Hard) throw new ArgumentException($"Resource limit {r}: soft {l.Soft} above hard {l.Hard}.", nameof(SpxStartInfo.ResourceLimits));
        }
        if (info.AppContainerName is { Length: 0 }) throw new ArgumentException("AppContainerName is empty (null for none).", nameof(SpxStartInfo.AppContainerName));
        NoNul(info.AppContainerName, nameof(SpxStartInfo.AppContainerName));
        if (info.AppContainerOptions != AppContainerOptions.None && info.AppContainerName is null)
            throw new ArgumentException("AppContainerOptions without an AppContainerName.", nameof(SpxStartInfo.AppContainerOptions));
        CheckHandle(info.StandardInputHandle, nameof(SpxStartInfo.StandardInputHandle));
        CheckHandle(info.StandardOutputHandle, nameof(SpxStartInfo.StandardOutputHandle));
        CheckHandle(info.StandardErrorHandle, nameof(SpxStartInfo.StandardErrorHandle));
        foreach (var h in info.InheritedHandles)
        {
            if (h is null) throw new ArgumentNullException(nameof(SpxStartInfo.InheritedHandles), "A null entry in InheritedHandles.");
            CheckHandle(h, nameof(SpxStartInfo.InheritedHandles));
        }
    }

    static void NoNul(string? s, string name)
    {
        if (s is not null && s.Contains('\0', StringComparison.Ordinal)) throw new ArgumentException($"{name} contains a NUL character.", name);
    }

    static void CheckHandle(SafeHandle? h, string name)
    {
        if (h is null) return;
        if (h.IsClosed || h.IsInvalid) throw new ArgumentException($"{name}: the handle is closed or invalid.", name);
    }

    static int Fd(SafeHandle h) => (int)h.DangerousGetHandle();

    static void Configure(SpxAttrHandle a, SpxStartInfo info)
    {
        if (info.WorkingDirectory is not null) NativeError.Check(NativeMethods.spx_attr_set_cwd(a, info.WorkingDirectory), "spx_attr_set_cwd", nameof(info.WorkingDirectory));
        if (info.UsePathSearch && info.ExecutableDirectoryHandle is null && info.ExecutableHandle is null)
            NativeError.Check(NativeMethods.spx_attr_set_search_path(a, 1), "spx_attr_set_search_path");
        if (info.UserId is { } uid) NativeError.Check(NativeMethods.spx_attr_set_uid(a, uid), "spx_attr_set_uid", nameof(info.UserId));
        if (info.GroupId is { } gid) NativeError.Check(NativeMethods.spx_attr_set_gid(a, gid), "spx_attr_set_gid", nameof(info.GroupId));
        if (info.SupplementaryGroups is { } groups)
        {
            uint[] g = [.. groups];
            fixed (uint* p = g) NativeError.Check(NativeMethods.spx_attr_set_groups(a, p, (nuint)g.Length), "spx_attr_set_groups", nameof(info.SupplementaryGroups));
        }
        if (info.KeepSupplementaryGroups) NativeError.Check(NativeMethods.spx_attr_set_keep_groups(a, 1), "spx_attr_set_keep_groups");
        SetCaps(a, info.AmbientCapabilities, &NativeMethods.spx_attr_set_ambient, "spx_attr_set_ambient", nameof(info.AmbientCapabilities));
        SetCaps(a, info.InheritableCapabilities, &NativeMethods.spx_attr_set_inheritable, "spx_attr_set_inheritable", nameof(info.InheritableCapabilities));
        SetCaps(a, info.BoundingCapabilities, &NativeMethods.spx_attr_set_bounding, "spx_attr_set_bounding", nameof(info.BoundingCapabilities));
        if (info.NoNewPrivileges) NativeError.Check(NativeMethods.spx_attr_set_no_new_privs(a, 1), "spx_attr_set_no_new_privs");
        if (info.RootDirectory is not null) NativeError.Check(NativeMethods.spx_attr_set_chroot(a, info.RootDirectory), "spx_attr_set_chroot", nameof(info.RootDirectory));
        if (info.SecureBits is { } bits) NativeError.Check(NativeMethods.spx_attr_set_securebits(a, (uint)bits), "spx_attr_set_securebits", nameof(info.SecureBits));

        if (info.ExecutableHandle is { } exe) NativeError.Check(NativeMethods.spx_attr_set_execfd(a, Fd(exe)), "spx_attr_set_execfd", nameof(info.ExecutableHandle));
        if (info.ExecutableDirectoryHandle is { } dir)
            NativeError.Check(NativeMethods.spx_attr_set_exec_dirfd(a, Fd(dir), info.ExecutableDirectoryNoFollow ? NativeConstants.SPX_AT_SYMLINK_NOFOLLOW : 0), "spx_attr_set_exec_dirfd", nameof(info.ExecutableDirectoryHandle));

        if (info.Landlock is { } rules)
            lock (rules.Gate) NativeError.Check(NativeMethods.spx_attr_set_landlock(a, rules.Handle), "spx_attr_set_landlock", nameof(info.Landlock));
        if (info.LandlockHandle is { } lh) NativeError.Check(NativeMethods.spx_attr_set_landlock_fd(a, Fd(lh)), "spx_attr_set_landlock_fd", nameof(info.LandlockHandle));
        if (info.LandlockLogging != LandlockLogging.None)
            NativeError.Check(NativeMethods.spx_attr_set_landlock_flags(a, (uint)info.LandlockLogging), "spx_attr_set_landlock_flags", nameof(info.LandlockLogging));
        if (info.Seccomp is { } filter)
            lock (filter.Gate) NativeError.Check(NativeMethods.spx_attr_set_seccomp(a, filter.Handle), "spx_attr_set_seccomp", nameof(info.Seccomp));
        if (info.SeccompProgram is { } bpf)
            fixed (byte* p = bpf) NativeError.Check(NativeMethods.spx_attr_set_seccomp_bpf(a, p, (nuint)(bpf.Length / 8)), "spx_attr_set_seccomp_bpf", nameof(info.SeccompProgram));

        var sigdefault = new List<int>(info.DefaultSignals);
        if (info.RestoreSigPipe && !sigdefault.Contains(SIGPIPE)) sigdefault.Add(SIGPIPE);
        if (sigdefault.Count > 0)
        {
            int[] s = [.. sigdefault];
            fixed (int* p = s) NativeError.Check(NativeMethods.spx_attr_set_sigdefault(a, p, (nuint)s.Length), "spx_attr_set_sigdefault", nameof(info.DefaultSignals));
        }
        if (info.BlockedSignals is { } blocked)
        {
            int[] s = [.. blocked];
            fixed (int* p = s) NativeError.Check(NativeMethods.spx_attr_set_sigmask(a, p, (nuint)s.Length), "spx_attr_set_sigmask", nameof(info.BlockedSignals));
        }
        if (info.ParentDeathSignal is { } pdeath) NativeError.Check(NativeMethods.spx_attr_set_pdeathsig(a, pdeath), "spx_attr_set_pdeathsig", nameof(info.ParentDeathSignal));

        foreach (var (r, l) in info.ResourceLimits)
            NativeError.Check(NativeMethods.spx_attr_set_rlimit(a, (int)r, l.Soft, l.Hard), $"spx_attr_set_rlimit({r})", nameof(info.ResourceLimits));
        if (info.CreateNewSession) NativeError.Check(NativeMethods.spx_attr_set_setsid(a, 1), "spx_attr_set_setsid");
        if (info.ProcessGroupId is { } pgid) NativeError.Check(NativeMethods.spx_attr_set_pgroup(a, pgid), "spx_attr_set_pgroup", nameof(info.ProcessGroupId));
        if (info.ControllingTerminal is { } ctty) NativeError.Check(NativeMethods.spx_attr_set_ctty(a, ctty), "spx_attr_set_ctty", nameof(info.ControllingTerminal));
        if (info.ForegroundTerminal is { } fg) NativeError.Check(NativeMethods.spx_attr_set_foreground(a, fg), "spx_attr_set_foreground", nameof(info.ForegroundTerminal));
        if (info.CgroupHandle is { } cg) NativeError.Check(NativeMethods.spx_attr_set_cgroup_fd(a, Fd(cg)), "spx_attr_set_cgroup_fd", nameof(info.CgroupHandle));
        if (info.UMask is { } umask) NativeError.Check(NativeMethods.spx_attr_set_umask(a, umask), "spx_attr_set_umask", nameof(info.UMask));

        if (info.AppContainerName is not null || info.AppContainerCapabilities.Count > 0)
        {
            using var sids = new Utf8StringArray([.. info.AppContainerCapabilities], nameof(info.AppContainerCapabilities));
            int rc = NativeMethods.spx_attr_set_appcontainer(a, info.AppContainerName, sids.Pointer, (nuint)info.AppContainerCapabilities.Count);
            if (rc != 0) throw new SpxException(rc, SpxStage.AppContainer, $"spx_attr_set_appcontainer: {NativeError.Describe(rc)}");
            if (info.AppContainerOptions != AppContainerOptions.None)
            {
                rc = NativeMethods.spx_attr_set_appcontainer_flags(a, (uint)info.AppContainerOptions);
                if (rc != 0) throw new SpxException(rc, SpxStage.AppContainer, $"spx_attr_set_appcontainer_flags: {NativeError.Describe(rc)}");
            }
        }
        if (info.Job is { } job)
        {
            int rc = NativeMethods.spx_attr_set_job(a, (uint)job);
            if (rc != 0) throw new SpxException(rc, SpxStage.Job, $"spx_attr_set_job: {NativeError.Describe(rc)}");
        }
        SetStdioHandle(a, 0, info.StandardInputHandle, nameof(info.StandardInputHandle));
        SetStdioHandle(a, 1, info.StandardOutputHandle, nameof(info.StandardOutputHandle));
        SetStdioHandle(a, 2, info.StandardErrorHandle, nameof(info.StandardErrorHandle));
        foreach (var h in info.InheritedHandles)
            NativeError.Check(NativeMethods.spx_attr_add_handle(a, h.DangerousGetHandle()), "spx_attr_add_handle", nameof(info.InheritedHandles));

        foreach (var (fd, h) in info.FileDescriptors)
            NativeError.Check(NativeMethods.spx_attr_set_fd(a, fd, h is null ? -1 : Fd(h)), $"spx_attr_set_fd({fd})", nameof(info.FileDescriptors));
    }

    static void SetStdioHandle(SpxAttrHandle a, int which, SafeHandle? h, string name)
    {
        if (h is null) return;
        NativeError.Check(NativeMethods.spx_attr_set_stdio_handle(a, which, h.DangerousGetHandle()), $"spx_attr_set_stdio_handle({which})", name);
    }

    static void SetCaps(SpxAttrHandle a, CapabilitySet set, delegate*<SpxAttrHandle, int*, nuint, int> setter, string function, string name)
    {
        if (!set.IsSpecified) return;
        int[] caps = set.ToArray();
        fixed (int* p = caps) NativeError.Check(setter(a, p, (nuint)caps.Length), function, name);
    }

    static void CreatePipes(SpxAttrHandle a, SpxStartInfo info, Pipes pipes)
    {
        if (info.RedirectStandardInput)
        {
            (pipes.StdinRead, pipes.StdinWrite) = Pipe();
            NativeError.Check(NativeMethods.spx_attr_set_fd(a, 0, Fd(pipes.StdinRead)), "spx_attr_set_fd(0)");
        }
        if (info.RedirectStandardOutput)
        {
            (pipes.StdoutRead, pipes.StdoutWrite) = Pipe();
            NativeError.Check(NativeMethods.spx_attr_set_fd(a, 1, Fd(pipes.StdoutWrite)), "spx_attr_set_fd(1)");
        }
        if (info.RedirectStandardError)
        {
            (pipes.StderrRead, pipes.StderrWrite) = Pipe();
            NativeError.Check(NativeMethods.spx_attr_set_fd(a, 2, Fd(pipes.StderrWrite)), "spx_attr_set_fd(2)");
        }
    }

    static (SafeFileHandle Read, SafeFileHandle Write) Pipe()
    {
        int* fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new SpxException(errno, SpxStage.Prepare, $"pipe2: {NativeError.Describe(errno)}");
        }
        return (new SafeFileHandle(fds[0], ownsHandle: true), new SafeFileHandle(fds[1], ownsHandle: true));
    }
}

using System.Text;
using Spx.Interop;

namespace Spx;

/// <summary>Options of the AppContainer a child runs in (<see cref="SpxStartInfo.AppContainerOptions"/>).</summary>
[Flags]
public enum AppContainerOptions : uint
{
    /// <summary>A plain AppContainer, with a profile created when missing.</summary>
    None = 0,

    /// <summary>
    /// A less privileged AppContainer (LPAC): not a member of ALL APPLICATION PACKAGES (S-1-15-2-1), so without
    /// the access Windows gives every AppContainer; only ALL RESTRICTED APPLICATION PACKAGES, the capabilities
    /// and explicit grants count.
    /// </summary>
    LessPrivileged = NativeConstants.SPX_APPCONTAINER_LPAC,

    /// <summary>Use the derived SID only and create no profile (no profile folder or registry storage).</summary>
    NoProfile = NativeConstants.SPX_APPCONTAINER_NO_PROFILE,
}

/// <summary>Rights given by <see cref="AppContainerProfile.Grant"/>.</summary>
[Flags]
public enum AppContainerAccess : uint
{
    /// <summary>GENERIC_READ.</summary>
    Read = NativeConstants.SPX_ACCESS_READ,
    /// <summary>GENERIC_WRITE.</summary>
    Write = NativeConstants.SPX_ACCESS_WRITE,
    /// <summary>GENERIC_EXECUTE.</summary>
    Execute = NativeConstants.SPX_ACCESS_EXECUTE,
}

/// <summary>
/// Windows AppContainer profiles: the SIDs Windows derives for profile and capability names (computed, on every
/// platform), and the explicit, persistent changes to profiles and ACLs (Windows only: elsewhere they throw
/// <see cref="SpxException"/> with ENOTSUP). Nothing of this happens implicitly when a child starts.
/// </summary>
public static unsafe class AppContainerProfile
{
    /// <summary>The SID Windows derives for the profile <paramref name="name"/> ("S-1-15-2-" and seven numbers).</summary>
    /// <exception cref="ArgumentException">Not 1..64 characters of <c>A-Z a-z 0-9 - _ .</c> and space.</exception>
    public static string GetSid(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Derive(name, nameof(name), &NativeMethods.spx_appcontainer_sid, "spx_appcontainer_sid");
    }

    /// <summary>
    /// The SID of a capability: S-1-15-3-1 to S-1-15-3-12 for the twelve names that predate Windows 10
    /// ("internetClient" ... "contacts"), a SID derived from the name otherwise ("lpacCom", "registryRead"), as
    /// DeriveCapabilitySidsFromName does; a SID string is checked and returned in canonical form.
    /// </summary>
    /// <exception cref="ArgumentException">An empty or invalid name or SID.</exception>
    public static string GetCapabilitySid(string capability)
    {
        ArgumentNullException.ThrowIfNull(capability);
        return Derive(capability, nameof(capability), &NativeMethods.spx_capability_sid, "spx_capability_sid");
    }

    static string Derive(string input, string paramName, delegate*<string?, byte*, nuint, int> derive, string function)
    {
        NoNul(input, paramName);
        byte* buf = stackalloc byte[NativeConstants.SPX_SID_MAX];
        NativeError.Check(derive(input, buf, NativeConstants.SPX_SID_MAX), function, paramName);
        return SpxLibrary.Utf8(buf)!;
    }

    /// <summary>Deletes the profile <paramref name="name"/> (a missing one is no error).</summary>
    /// <exception cref="SpxException">Not on Windows (ENOTSUP), or a Windows without AppContainer profiles.</exception>
    public static void Delete(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        NoNul(name, nameof(name));
        NativeError.Check(NativeMethods.spx_appcontainer_delete(name), "spx_appcontainer_delete", nameof(name));
    }

    /// <summary>
    /// Grants the AppContainer <paramref name="name"/> <paramref name="access"/> to <paramref name="path"/>: an
    /// explicit and persistent change of its ACL (inherited by a directory's contents) that outlives the child.
    /// </summary>
    /// <exception cref="SpxException">Not on Windows (ENOTSUP), or the Win32 error of changing the ACL.</exception>
    public static void Grant(string name, string path, AppContainerAccess access)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(path);
        NoNul(name, nameof(name));
        NoNul(path, nameof(path));
        NativeError.Check(NativeMethods.spx_appcontainer_grant(name, path, (uint)access), "spx_appcontainer_grant", nameof(access));
    }

    /// <summary>Removes every access the AppContainer <paramref name="name"/> was given on <paramref name="path"/>.</summary>
    /// <exception cref="SpxException">Not on Windows (ENOTSUP), or the Win32 error of changing the ACL.</exception>
    public static void Revoke(string name, string path)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(path);
        NoNul(name, nameof(name));
        NoNul(path, nameof(path));
        NativeError.Check(NativeMethods.spx_appcontainer_revoke(name, path), "spx_appcontainer_revoke", nameof(path));
    }

    static void NoNul(string s, string name)
    {
        if (s.Contains('\0', StringComparison.Ordinal)) throw new ArgumentException($"{name} contains a NUL character.", name);
    }
}

/// <summary>Options of the job object a child starts in (<see cref="SpxStartInfo.Job"/>).</summary>
[Flags]
public enum JobOptions : uint
{
    /// <summary>A job with no option: the child and what it starts can be killed as one.</summary>
    None = 0,

    /// <summary>
    /// Closing the job ends every process still in it (the child and what it started). The job is closed when the
    /// native process handle is released: at <see cref="SpxProcess.Dispose"/> after the child has exited, or, for
    /// a child still running then, once it exits. Processes the child left running in the job end then. The one
    /// case in which spx kills.
    /// </summary>
    KillOnClose = NativeConstants.SPX_JOB_KILL_ON_CLOSE,
}

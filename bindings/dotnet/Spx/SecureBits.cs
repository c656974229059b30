using static Spx.Interop.NativeConstants;

namespace Spx;

/// <summary>The child's securebits (the kernel's <c>SECBIT_*</c>).</summary>
[Flags]
public enum SecureBits : uint
{
    /// <summary>No bit.</summary>
    None = 0,
    /// <summary>Root gets no capability by being root.</summary>
    NoRoot = SPX_SECBIT_NOROOT,
    /// <summary>Locks <see cref="NoRoot"/>.</summary>
    NoRootLocked = SPX_SECBIT_NOROOT_LOCKED,
    /// <summary>No capability change on a uid change from or to 0.</summary>
    NoSetuidFixup = SPX_SECBIT_NO_SETUID_FIXUP,
    /// <summary>Locks <see cref="NoSetuidFixup"/>.</summary>
    NoSetuidFixupLocked = SPX_SECBIT_NO_SETUID_FIXUP_LOCKED,
    /// <summary>Locks keep-caps (off).</summary>
    KeepCapsLocked = SPX_SECBIT_KEEP_CAPS_LOCKED,
    /// <summary>The ambient set cannot be raised.</summary>
    NoCapAmbientRaise = SPX_SECBIT_NO_CAP_AMBIENT_RAISE,
    /// <summary>Locks <see cref="NoCapAmbientRaise"/>.</summary>
    NoCapAmbientRaiseLocked = SPX_SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
    /// <summary>Interpreters check files with execveat(AT_EXECVE_CHECK) (Linux 6.14+).</summary>
    ExecRestrictFile = SPX_SECBIT_EXEC_RESTRICT_FILE,
    /// <summary>Locks <see cref="ExecRestrictFile"/>.</summary>
    ExecRestrictFileLocked = SPX_SECBIT_EXEC_RESTRICT_FILE_LOCKED,
    /// <summary>Interpreters refuse interactive use (Linux 6.14+).</summary>
    ExecDenyInteractive = SPX_SECBIT_EXEC_DENY_INTERACTIVE,
    /// <summary>Locks <see cref="ExecDenyInteractive"/>.</summary>
    ExecDenyInteractiveLocked = SPX_SECBIT_EXEC_DENY_INTERACTIVE_LOCKED,
}

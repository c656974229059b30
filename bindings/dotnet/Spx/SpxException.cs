using System.ComponentModel;

namespace Spx;

/// <summary>
/// A spawn (or a native call) that failed. Like the <see cref="Win32Exception"/> that
/// <see cref="System.Diagnostics.Process.Start()"/> throws, <see cref="Win32Exception.NativeErrorCode"/>
/// is the errno on Linux (a Win32 error code on Windows); <see cref="Stage"/> says where it failed and
/// <see cref="Exception.Message"/> is the library's message, e.g. <c>chdir: No such file or directory: /srv/missing</c>.
/// </summary>
public sealed class SpxException : Win32Exception
{
    /// <summary>Creates an exception for an errno, the stage it came from and the library's message.</summary>
    public SpxException(int error, SpxStage stage, string message) : base(error, message) => Stage = stage;

    /// <summary>Creates an exception with no error code.</summary>
    public SpxException() { }

    /// <summary>Creates an exception with a message and no error code.</summary>
    public SpxException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public SpxException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The stage that failed (<see cref="SpxStage.Prepare"/> for the parent's side).</summary>
    public SpxStage Stage { get; }
}

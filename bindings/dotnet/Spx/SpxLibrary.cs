using System.Runtime.InteropServices;
using System.Text;
using Spx.Interop;

namespace Spx;

/// <summary>Facts about the loaded libspx.</summary>
public static unsafe class SpxLibrary
{
    /// <summary>The library's version, "MAJOR.MINOR.PATCH".</summary>
    public static string Version => Utf8(NativeMethods.spx_version())!;

    /// <summary>The version of <c>spx.h</c> this binding was generated from.</summary>
    public static string BindingVersion => $"{NativeConstants.SPX_VERSION_MAJOR}.{NativeConstants.SPX_VERSION_MINOR}.{NativeConstants.SPX_VERSION_PATCH}";

    /// <summary>The short name of a stage, e.g. "setuid", "landlock" ("unknown" for other values).</summary>
    public static string GetStageName(SpxStage stage) => Utf8(NativeMethods.spx_stage_name((int)stage))!;

    internal static string? Utf8(byte* s) => s is null ? null : Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(s));
}

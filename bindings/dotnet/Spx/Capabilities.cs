using System.Text;
using Spx.Interop;

namespace Spx;

/// <summary>Capability names and numbers, as libspx knows them (which may be newer than <see cref="Capability"/>).</summary>
public static unsafe class Capabilities
{
    /// <summary>The capability called <paramref name="name"/> ("cap_sys_time", "CAP_SYS_TIME" or "sys_time").</summary>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    public static Capability FromName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        int n = NativeMethods.spx_cap_from_name(name);
        return n >= 0 ? (Capability)n : throw new ArgumentException($"Unknown capability name \"{name}\".", nameof(name));
    }

    /// <summary>The name of <paramref name="capability"/>, "cap_sys_time" style, or null when libspx does not know it.</summary>
    public static string? GetName(Capability capability)
    {
        byte* s = NativeMethods.spx_cap_name((int)capability);
        return s is null ? null : Encoding.UTF8.GetString(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpanFromNullTerminated(s));
    }
}

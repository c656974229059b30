using System.Reflection;
using System.Runtime.InteropServices;

namespace Spx.Interop;

/// <summary>
/// Finds libspx: <c>SPX_LIBRARY</c>, then the package's own asset (runtimes/linux-x64/native/libspx.so,
/// runtimes/win-x64/native/spx.dll: the runtime's probing of <see cref="Library"/> tries both names), then, on
/// Linux, the system library by its SONAME.
/// </summary>
internal static partial class NativeMethods
{
    /// <summary>The environment variable that names the library file to load, before any other place.</summary>
    internal const string LibraryVariable = "SPX_LIBRARY";

    /// <summary>The SONAME a distribution installs without the -dev package (default probing never tries it).</summary>
    internal const string SystemLibrary = "libspx.so.0";

    static readonly object LoadLock = new();
    static nint loaded;

    // Registered here rather than in a [ModuleInitializer] (CA2255 in a library):
    // this class has a static constructor, so it runs before the first P/Invoke.
    static NativeMethods() => NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, Resolve);

    static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library) return 0;
        lock (LoadLock)
        {
            if (loaded == 0) loaded = Load(assembly, searchPath);
            return loaded;
        }
    }

    static nint Load(Assembly assembly, DllImportSearchPath? searchPath)
    {
        string? explicitPath = Environment.GetEnvironmentVariable(LibraryVariable);
        if (!string.IsNullOrEmpty(explicitPath))
        {
            if (NativeLibrary.TryLoad(explicitPath, out nint h)) return h;
            throw new DllNotFoundException($"libspx: {LibraryVariable}={explicitPath} cannot be loaded (missing file, wrong architecture, or a missing dependency such as libseccomp.so.2 or libstdc++.so.6).");
        }
        if (NativeLibrary.TryLoad(Library, assembly, searchPath, out nint asset)) return asset;
        string rid = RuntimeInformation.RuntimeIdentifier;
        if (OperatingSystem.IsWindows())
            throw new DllNotFoundException(
                $"spx.dll not found. Looked in: ${LibraryVariable} (unset); the package asset runtimes/{rid}/native/ and the application directory {AppContext.BaseDirectory}; " +
                $"the DLL search path. Put spx.dll (and the MinGW runtime DLLs it needs, if it was not linked statically) next to the program, or set {LibraryVariable} to its path.");
        if (NativeLibrary.TryLoad(SystemLibrary, out nint system)) return system;
        throw new DllNotFoundException(
            $"libspx not found. Looked in: ${LibraryVariable} (unset); the package asset runtimes/{rid}/native/ and the application directory {AppContext.BaseDirectory} (as '{Library}', 'lib{Library}.so'); " +
            $"the system library {SystemLibrary} (LD_LIBRARY_PATH, /etc/ld.so.cache, /lib, /usr/lib). " +
            $"Install libspx (and libseccomp2, libstdc++6), or set {LibraryVariable} to the path of libspx.so.");
    }
}

using System.Runtime.InteropServices;

namespace Spx.Interop;

internal static partial class Libc
{
    internal const int O_RDONLY = 0, O_DIRECTORY = 0x10000, O_PATH = 0x200000;

    [LibraryImport(Lib, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int open(string path, int flags);
}

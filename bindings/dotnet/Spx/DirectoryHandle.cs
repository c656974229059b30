using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Spx.Interop;

namespace Spx;

/// <summary>
/// Opens directories as handles, for <see cref="SpxStartInfo.ExecutableDirectoryHandle"/> and
/// <see cref="SpxStartInfo.CgroupHandle"/> (<see cref="File.OpenHandle"/> refuses directories).
/// </summary>
public static class DirectoryHandle
{
    /// <summary>Opens <paramref name="path"/> read-only as a directory (<c>O_DIRECTORY|O_CLOEXEC</c>).</summary>
    /// <exception cref="ArgumentException">An empty path or one with a NUL character.</exception>
    /// <exception cref="SpxException">open(2) failed: ENOENT, ENOTDIR, EACCES ...</exception>
    public static SafeFileHandle Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.Contains('\0', StringComparison.Ordinal)) throw new ArgumentException("The path contains a NUL character.", nameof(path));
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new SpxException(errno, SpxStage.None, $"open {path}: {NativeError.Describe(errno)}");
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }
}

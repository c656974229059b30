using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Spx.Examples;

/// <summary>
/// Run a program from a sealed memfd (exec of a descriptor, Go issue 72102): nothing on disk can be
/// swapped in between the check and the exec.
/// </summary>
public static partial class ExecMemfd
{
    [LibraryImport("libc", EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MemfdCreate(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int cmd, int arg);

    const uint MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2;
    const int F_ADD_SEALS = 1033, F_SEAL_SEAL = 1, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8;

    /// <summary>Copies /bin/echo into a sealed memfd and runs it; returns the child's exit code.</summary>
    public static int Run(TextWriter output)
    {
        int fd = MemfdCreate("echo", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0) throw new IOException($"memfd_create: errno {Marshal.GetLastPInvokeError()}");
        using var memfd = new SafeFileHandle(fd, ownsHandle: true);
        using (var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: false), FileAccess.Write))
            stream.Write(File.ReadAllBytes("/bin/echo"));
        if (Fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) != 0)
            throw new IOException($"F_ADD_SEALS: errno {Marshal.GetLastPInvokeError()}");

        var psi = new SpxStartInfo { ExecutableHandle = memfd, Argument0 = "echo", RedirectStandardOutput = true };
        psi.ArgumentList.Add("hello from a sealed memfd");
        using var p = SpxProcess.Start(psi);
        output.Write(p.StandardOutput.ReadToEnd());
        p.WaitForExit();
        return p.ExitCode;
    }
}

// A fresh program that uses the Spx package as any user would: no LD_LIBRARY_PATH, no SPX_LIBRARY.
using Spx;

try
{
    var psi = new SpxStartInfo("/bin/sh", "-c", "echo child of $PPID; grep ^NoNewPrivs: /proc/self/status")
    {
        NoNewPrivileges = true,
        RedirectStandardOutput = true,
    };
    using var p = SpxProcess.Start(psi);
    Console.Write(p.StandardOutput.ReadToEnd());
    await p.WaitForExitAsync();
    Console.WriteLine($"libspx {SpxLibrary.Version}, exit {p.ExitCode}");
    return p.ExitCode;
}
catch (Exception e) when (e is DllNotFoundException or InvalidOperationException or SpxException)
{
    Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}");
    return 3;
}

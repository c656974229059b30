using System.Globalization;
using Xunit;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

/// <summary>Per-child controls: resource limits, session and process group, cgroup, parent-death signal, umask.</summary>
public partial class ControlTests
{
    [LibraryImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    private static partial int PosixOpenpt(int flags);

    [LibraryImport("libc", EntryPoint = "grantpt")]
    private static partial int Grantpt(int fd);

    [LibraryImport("libc", EntryPoint = "unlockpt")]
    private static partial int Unlockpt(int fd);

    [LibraryImport("libc", EntryPoint = "ptsname")]
    private static partial nint Ptsname(int fd);

    static string Sh(SpxStartInfo info, string script)
    {
        info.FileName = "/bin/sh";
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.RedirectStandardOutput = true;
        using var p = SpxProcess.Start(info);
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}: {output}");
        return output;
    }

    // /proc/<pid>/stat fields after the command name: state ppid pgrp session ...
    static string[] Stat(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

    [Fact]
    public void Resource_limits_are_the_child_s()
    {
        var info = new SpxStartInfo { ResourceLimits = { [Resource.OpenFiles] = new ResourceLimit(64, 128), [Resource.Core] = new ResourceLimit(0, ResourceLimit.Unlimited) } };
        string limits = Sh(info, "cat /proc/self/limits");
        Assert.Matches(@"Max open files\s+64\s+128\s", limits);
        Assert.Matches(@"Max core file size\s+0\s+unlimited\s", limits);
    }

    [Fact]
    public void CreateNewSession_makes_the_child_a_session_and_group_leader()
    {
        string stat = Sh(new SpxStartInfo { CreateNewSession = true }, "cat /proc/$$/stat");
        string[] f = Stat(stat);
        string pid = stat[..stat.IndexOf(' ')];
        Assert.Equal(pid, f[2]); // pgrp
        Assert.Equal(pid, f[3]); // session
    }

    [Fact]
    public void ProcessGroupId_zero_makes_a_new_group_in_the_same_session()
    {
        string stat = Sh(new SpxStartInfo { ProcessGroupId = 0 }, "cat /proc/$$/stat");
        string[] f = Stat(stat);
        string pid = stat[..stat.IndexOf(' ')];
        Assert.Equal(pid, f[2]);
        Assert.Equal(Stat(File.ReadAllText("/proc/self/stat"))[3], f[3]);
    }

    [Fact]
    public void ProcessGroupId_joins_an_existing_group()
    {
        using var leader = SpxProcess.Start(new SpxStartInfo(Probe, "sleep=60000") { ProcessGroupId = 0 });
        try
        {
            string stat = Sh(new SpxStartInfo { ProcessGroupId = leader.Id }, "cat /proc/$$/stat");
            Assert.Equal(leader.Id.ToString(CultureInfo.InvariantCulture), Stat(stat)[2]);
        }
        finally
        {
            leader.Kill();
            leader.WaitForExit();
        }
    }

    [Fact]
    public void A_pty_becomes_the_controlling_terminal_and_the_child_its_foreground_group()
    {
        const int O_RDWR = 2, O_NOCTTY = 0x100, O_CLOEXEC = 0x80000;
        int master = PosixOpenpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        Assert.SkipWhen(master < 0, "no pseudo-terminals here");
        using var masterHandle = new SafeFileHandle(master, ownsHandle: true);
        Assert.Equal(0, Grantpt(master));
        Assert.Equal(0, Unlockpt(master));
        string slavePath = Marshal.PtrToStringUTF8(Ptsname(master))!;
        using var slave = File.OpenHandle(slavePath, FileMode.Open, FileAccess.ReadWrite);
        var info = new SpxStartInfo { CreateNewSession = true, ControllingTerminal = 0, ForegroundTerminal = 0 };
        info.FileDescriptors[0] = slave;
        string stat = Sh(info, "cat /proc/$$/stat");
        string[] f = Stat(stat);
        string pid = stat[..stat.IndexOf(' ')];
        Assert.NotEqual("0", f[4]); // tty_nr: it has a controlling terminal
        Assert.Equal(pid, f[5]);    // tpgid: its group is the terminal's foreground group
    }

    [Fact]
    public void UMask_is_the_child_s()
    {
        string status = Sh(new SpxStartInfo { UMask = Convert.ToInt32("027", 8) }, "cat /proc/self/status");
        Assert.Equal("0027", Field(status, "Umask"));
    }

    [Fact]
    public void ParentDeathSignal_is_armed_in_the_child()
    {
        // The probe cannot read PR_GET_PDEATHSIG; the shell can read its signal disposition only.
        // Arm SIGUSR1, then end the spawning thread: the child gets the signal.
        SpxProcess? p = null;
        Exception? error = null;
        var info = new SpxStartInfo(Probe, "sleep=60000") { ParentDeathSignal = 10 };
        var t = new Thread(() =>
        {
            try { p = SpxProcess.Start(info); }
            catch (Exception e) { error = e; }
        });
        t.Start();
        t.Join();
        Assert.Null(error);
        Assert.True(p!.WaitForExit(TimeSpan.FromMinutes(1)), "the child did not get its parent-death signal");
        Assert.Equal(10, p.TerminationSignal);
        p.Dispose();
    }

    [Fact]
    public void CgroupHandle_places_the_child_in_that_cgroup()
    {
        RequireRoot();
        string? root = CgroupV2Root();
        Assert.SkipWhen(root is null, "no cgroup v2 hierarchy mounted");
        string dir = Path.Combine(root!, "spx-dotnet-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            Directory.CreateDirectory(dir);
            using var cg = DirectoryHandle.Open(dir);
            string cgroup = Sh(new SpxStartInfo { CgroupHandle = cg }, "cat /proc/self/cgroup");
            string rel = dir[root!.Length..];
            Assert.Contains($"0::{rel}\n", cgroup, StringComparison.Ordinal);
        }
        finally
        {
            for (int i = 0; i < 100 && Directory.Exists(dir); i++)
            {
                try { Directory.Delete(dir); }
                catch (IOException) { Thread.Sleep(20); }
            }
        }
    }

    static string? CgroupV2Root()
    {
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            var parts = line.Split(" - ");
            if (parts.Length == 2 && parts[1].StartsWith("cgroup2 ", StringComparison.Ordinal)) return line.Split(' ')[4];
        }
        return null;
    }

    [Fact]
    public void A_cgroup_handle_that_is_not_a_cgroup_fails_at_the_cgroup_stage()
    {
        RequireRoot();
        using var notCgroup = DirectoryHandle.Open("/tmp");
        var e = Assert.Throws<SpxException>(() => SpxProcess.Start(new SpxStartInfo(Probe) { CgroupHandle = notCgroup }));
        Assert.Equal(SpxStage.Cgroup, e.Stage);
    }

    [Fact]
    public void ControllingTerminal_without_a_terminal_fails_at_the_session_stage()
    {
        using var devnull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        var info = new SpxStartInfo(Probe) { CreateNewSession = true, ControllingTerminal = 0 };
        info.FileDescriptors[0] = devnull;
        var e = Assert.Throws<SpxException>(() => SpxProcess.Start(info));
        Assert.Equal(SpxStage.Session, e.Stage);
        var fg = new SpxStartInfo(Probe) { ForegroundTerminal = 0 };
        fg.FileDescriptors[0] = devnull;
        e = Assert.Throws<SpxException>(() => SpxProcess.Start(fg));
        Assert.Equal(SpxStage.Session, e.Stage);
    }
}

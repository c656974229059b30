using Xunit;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

public class IdentityTests
{
    static string Status(SpxStartInfo info) => RunProbe(info, "status");

    [Fact]
    public void Uid_gid_and_groups_are_the_child_s()
    {
        RequireRoot();
        string s = Status(new SpxStartInfo { UserId = 65534, GroupId = 65533, SupplementaryGroups = [100, 200] });
        Assert.Equal("65534\t65534\t65534\t65534", Field(s, "Uid"));
        Assert.Equal("65533\t65533\t65533\t65533", Field(s, "Gid"));
        Assert.Equal("100 200", Field(s, "Groups"));
    }

    [Fact]
    public void A_new_identity_gets_no_caller_group_ambient_or_inheritable_cap_unasked()
    {
        RequireRoot();
        string s = Status(new SpxStartInfo { UserId = 65534, GroupId = 65534 });
        Assert.Equal("", Field(s, "Groups"));
        Assert.Equal(0UL, Hex(Field(s, "CapAmb")));
        Assert.Equal(0UL, Hex(Field(s, "CapInh")));
        Assert.Equal(0UL, Hex(Field(s, "CapEff")));
    }

    [Fact]
    public void KeepSupplementaryGroups_keeps_the_caller_s_groups()
    {
        RequireRoot();
        string mine = Field(File.ReadAllText("/proc/self/status"), "Groups");
        string s = Status(new SpxStartInfo { UserId = 65534, GroupId = 65534, KeepSupplementaryGroups = true });
        Assert.Equal(mine, Field(s, "Groups"));
    }

    [Fact]
    public void Ambient_capabilities_survive_the_uid_change()
    {
        RequireRoot();
        var info = new SpxStartInfo { UserId = 65534, GroupId = 65534, SupplementaryGroups = [], AmbientCapabilities = { Capability.SysTime, Capability.NetBindService } };
        string s = Status(info);
        ulong want = CapMask(Capability.SysTime, Capability.NetBindService);
        Assert.Equal(want, Hex(Field(s, "CapAmb")));
        Assert.Equal(want, Hex(Field(s, "CapPrm")));
        Assert.Equal(want, Hex(Field(s, "CapEff")));
        Assert.Equal("65534\t65534\t65534\t65534", Field(s, "Uid"));
    }

    [Fact]
    public void Inheritable_set_is_exactly_these()
    {
        RequireRoot();
        string s = Status(new SpxStartInfo { InheritableCapabilities = { Capability.Kill } });
        Assert.Equal(CapMask(Capability.Kill), Hex(Field(s, "CapInh")));
    }

    [Fact]
    public void Bounding_set_is_reduced_to_these()
    {
        RequireRoot();
        string s = Status(new SpxStartInfo { BoundingCapabilities = { Capability.Chown, Capability.SysTime } });
        Assert.Equal(CapMask(Capability.Chown, Capability.SysTime), Hex(Field(s, "CapBnd")));
    }

    [Fact]
    public void An_emptied_bounding_set_is_empty()
    {
        RequireRoot();
        var info = new SpxStartInfo();
        info.BoundingCapabilities.Clear();
        Assert.Equal(0UL, Hex(Field(Status(info), "CapBnd")));
    }

    [Fact]
    public void An_ambient_cap_outside_the_bounding_set_is_refused_at_prepare()
    {
        RequireRoot();
        var e = Assert.Throws<SpxException>(() => SpxProcess.Start(new SpxStartInfo(Probe) { AmbientCapabilities = { Capability.SysTime }, BoundingCapabilities = { Capability.Chown } }));
        Assert.Equal(SpxStage.Prepare, e.Stage);
        Assert.Equal(22, e.NativeErrorCode);
    }

    [Fact]
    public void NoNewPrivileges_is_set_in_the_child()
    {
        Assert.Equal("0", Field(Status(new SpxStartInfo()), "NoNewPrivs"));
        Assert.Equal("1", Field(Status(new SpxStartInfo { NoNewPrivileges = true }), "NoNewPrivs"));
    }

    [Fact]
    public void RootDirectory_chroots_the_child()
    {
        RequireRoot();
        string root = TempDir();
        File.Copy(StaticProbe, Path.Combine(root, "probe"));
        File.SetUnixFileMode(Path.Combine(root, "probe"), UnixFileMode.UserExecute | UnixFileMode.UserRead);
        Directory.CreateDirectory(Path.Combine(root, "inside"));
        string output = RunProbe(new SpxStartInfo("/probe") { RootDirectory = root, WorkingDirectory = "/inside" }, "cwd", "read=/etc/passwd");
        Assert.Contains("cwd: /inside\n", output, StringComparison.Ordinal);
        Assert.Contains("read /etc/passwd: ENOENT\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void SecureBits_are_the_child_s()
    {
        RequireRoot();
        // A child that stays root with NOROOT|NOROOT_LOCKED and an ambient set gets exactly that set.
        var info = new SpxStartInfo
        {
            SecureBits = SecureBits.NoRoot | SecureBits.NoRootLocked,
            AmbientCapabilities = { Capability.NetBindService },
        };
        string s = Status(info);
        Assert.Equal(CapMask(Capability.NetBindService), Hex(Field(s, "CapEff")));
        Assert.Equal(CapMask(Capability.NetBindService), Hex(Field(s, "CapAmb")));
    }

    [Fact]
    public void Capability_names_match_the_library()
    {
        foreach (var c in Enum.GetValues<Capability>())
        {
            Assert.Equal(c, Capabilities.FromName(Capabilities.GetName(c)!));
            Assert.Equal(Capabilities.GetName(c)!.Replace("_", "", StringComparison.Ordinal), "cap" + c.ToString().ToLowerInvariant());
        }
        Assert.Equal(Capability.SysTime, Capabilities.FromName("sys_time"));
        Assert.Equal(Capability.SysTime, Capabilities.FromName("CAP_SYS_TIME"));
        Assert.Null(Capabilities.GetName((Capability)63));
        Assert.Throws<ArgumentException>(() => Capabilities.FromName("no_such_cap"));
        Assert.Throws<ArgumentException>(() => Capabilities.FromName(""));
    }
}

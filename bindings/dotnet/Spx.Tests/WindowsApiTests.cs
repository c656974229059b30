using Microsoft.Win32.SafeHandles;
using Xunit;
using static Spx.Tests.TestEnv;

namespace Spx.Tests;

/// <summary>
/// The Windows API of libspx as seen from Linux: the SID derivations give the values Microsoft publishes, the rest
/// answers ENOTSUP, and a start that asks for a Windows attribute never runs the child.
/// </summary>
public class WindowsApiTests
{
    const int ENOTSUP = 95;
    const string EdgeSid = "S-1-15-2-3624051433-2125758914-1423191267-1740899205-1073925389-3782572162-737981194";

    [Theory]
    [InlineData("Microsoft.MicrosoftEdge_8wekyb3d8bbwe")]
    [InlineData("MICROSOFT.MICROSOFTEDGE_8WEKYB3D8BBWE")] // profile names are case-insensitive
    public void AppContainer_SIDs_match_Windows(string name) => Assert.Equal(EdgeSid, AppContainerProfile.GetSid(name));

    [Theory]
    [InlineData("internetClient", "S-1-15-3-1")]
    [InlineData("internetClientServer", "S-1-15-3-2")]
    [InlineData("contacts", "S-1-15-3-12")]
    [InlineData("lpacCom", "S-1-15-3-1024-2405443489-874036122-4286035555-1823921565-1746547431-2453885448-3625952902-991631256")]
    [InlineData("registryRead", "S-1-15-3-1024-1065365936-1281604716-3511738428-1654721687-432734479-3232135806-4053264122-3456934681")]
    [InlineData("S-1-15-3-1", "S-1-15-3-1")]
    public void Capability_SIDs_match_Windows(string capability, string sid) => Assert.Equal(sid, AppContainerProfile.GetCapabilitySid(capability));

    public static TheoryData<string> BadNames => ["", new string('a', 65), "a/b", "a\\b", "nul\0byte", "caf\u00e9"];

    [Theory]
    [MemberData(nameof(BadNames))]
    public void Bad_profile_names_are_ArgumentExceptions(string name) =>
        Assert.Throws<ArgumentException>(() => AppContainerProfile.GetSid(name));

    [Theory]
    [InlineData("")]
    [InlineData("nul\0byte")]
    [InlineData("S-1-15-3-")]
    [InlineData("S-1-x")]
    [InlineData("S-1-15-3-1-")]
    public void Bad_capabilities_are_ArgumentExceptions(string capability) =>
        Assert.Throws<ArgumentException>(() => AppContainerProfile.GetCapabilitySid(capability));

    [Fact]
    public void A_64_character_name_is_accepted() => Assert.StartsWith("S-1-15-2-", AppContainerProfile.GetSid(new string('a', 64)), StringComparison.Ordinal);

    [Fact]
    public void Null_arguments_are_ArgumentNullExceptions()
    {
        Assert.Throws<ArgumentNullException>(() => AppContainerProfile.GetSid(null!));
        Assert.Throws<ArgumentNullException>(() => AppContainerProfile.GetCapabilitySid(null!));
        Assert.Throws<ArgumentNullException>(() => AppContainerProfile.Delete(null!));
        Assert.Throws<ArgumentNullException>(() => AppContainerProfile.Grant("spx-test", null!, AppContainerAccess.Read));
        Assert.Throws<ArgumentNullException>(() => AppContainerProfile.Revoke(null!, "/tmp"));
    }

    [Fact]
    public void Profile_and_ACL_changes_are_ENOTSUP_and_change_nothing()
    {
        string dir = TempDir();
        var before = File.GetUnixFileMode(dir);
        var errors = new[]
        {
            Assert.Throws<SpxException>(() => AppContainerProfile.Delete("spx-test")),
            Assert.Throws<SpxException>(() => AppContainerProfile.Grant("spx-test", dir, AppContainerAccess.Read | AppContainerAccess.Write)),
            Assert.Throws<SpxException>(() => AppContainerProfile.Revoke("spx-test", dir)),
        };
        Assert.All(errors, e => Assert.Equal(ENOTSUP, e.NativeErrorCode));
        Assert.Equal(before, File.GetUnixFileMode(dir));
    }

    public static TheoryData<string, Action<SpxStartInfo>> WindowsSettings => new()
    {
        { "AppContainer with options", i => { i.AppContainerName = "spx-test"; i.AppContainerOptions = AppContainerOptions.LessPrivileged | AppContainerOptions.NoProfile; } },
        { "AppContainer capabilities by name", i => { i.AppContainerName = "spx-test"; i.AppContainerCapabilities.Add("internetClient"); } },
        { "job", i => i.Job = JobOptions.KillOnClose },
        { "job without options", i => i.Job = JobOptions.None },
        { "standard output handle", i => i.StandardOutputHandle = new SafeFileHandle(1, false) },
        { "inherited handle", i => i.InheritedHandles.Add(new SafeFileHandle(2, false)) },
    };

    [Theory]
    [MemberData(nameof(WindowsSettings))]
    public void A_Windows_setting_fails_the_start_with_ENOTSUP_and_no_child(string what, Action<SpxStartInfo> set)
    {
        string marker = Path.Combine(TempDir(), "ran");
        var info = new SpxStartInfo("/bin/sh", "-c", $"touch '{marker}'");
        set(info);
        var e = Assert.Throws<SpxException>(() => SpxProcess.Start(info));
        Assert.True(e.NativeErrorCode == ENOTSUP, $"{what}: {e.NativeErrorCode} {e.Message}");
        Assert.False(File.Exists(marker), $"{what}: the child ran");
    }

    [Fact]
    public void AppContainerOptions_need_a_name() =>
        Assert.Throws<ArgumentException>(() => SpxProcess.Start(new SpxStartInfo("/bin/true") { AppContainerOptions = AppContainerOptions.NoProfile }));

    [Fact]
    public void A_closed_inherited_handle_is_an_ArgumentException()
    {
        var h = new SafeFileHandle(5, false);
        h.Dispose();
        var info = new SpxStartInfo("/bin/true");
        info.InheritedHandles.Add(h);
        Assert.Throws<ArgumentException>(() => SpxProcess.Start(info));
    }

    [Fact]
    public void A_Linux_child_has_no_Windows_handle()
    {
        using var p = SpxProcess.Start("/bin/true");
        Assert.Equal(IntPtr.Zero, p.Handle);
        p.WaitForExit();
        p.Dispose();
        Assert.Throws<ObjectDisposedException>(() => p.Handle);
    }

    [Fact]
    public void The_job_stage_has_its_name() => Assert.Equal("job", SpxLibrary.GetStageName(SpxStage.Job));
}

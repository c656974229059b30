// One small program per user story that spx exists for; each Run returns the child's exit code.
//   dotnet run --project bindings/dotnet/Spx.Examples -- [ntp|landlock|memfd|caplaunch|appcontainer]
using Spx.Examples;

var examples = new Dictionary<string, Func<TextWriter, int>>
{
    ["ntp"] = AmbientNtp.Run,
    ["landlock"] = LandlockSandbox.Run,
    ["memfd"] = ExecMemfd.Run,
    ["caplaunch"] = CapLaunch.Run,
    ["appcontainer"] = AppContainer.Run,
};
int status = 0;
foreach (var name in args.Length > 0 ? args : [.. examples.Keys])
{
    Console.WriteLine($"== {name}");
    status |= examples[name](Console.Out);
}
return status;

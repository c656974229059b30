// SpxProcess.Start + WaitForExit against Process.Start + WaitForExit for /bin/true, interleaved in one run,
// with a small managed heap and then with ~1 GiB of live managed objects.
//   dotnet run -c Release --project bindings/dotnet/Spx.Benchmarks -- [rounds] [spawns per round] [heap MiB]
using System.Diagnostics;
using System.Globalization;
using Spx;

int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
int perRound = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
int heapMiB = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1024;
const string program = "/bin/true";

double SpxRound()
{
    var info = new SpxStartInfo(program);
    var sw = Stopwatch.StartNew();
    for (int i = 0; i < perRound; i++)
    {
        using var p = SpxProcess.Start(info);
        p.WaitForExit();
    }
    return sw.Elapsed.TotalMicroseconds / perRound;
}

double ProcessRound()
{
    var info = new ProcessStartInfo(program) { UseShellExecute = false };
    var sw = Stopwatch.StartNew();
    for (int i = 0; i < perRound; i++)
    {
        using var p = Process.Start(info)!;
        p.WaitForExit();
    }
    return sw.Elapsed.TotalMicroseconds / perRound;
}

static double Median(List<double> xs)
{
    xs.Sort();
    return xs.Count % 2 == 1 ? xs[xs.Count / 2] : (xs[(xs.Count / 2) - 1] + xs[xs.Count / 2]) / 2;
}

(double Spx, double Process) Measure()
{
    SpxRound(); ProcessRound(); // warm up
    var s = new List<double>();
    var p = new List<double>();
    for (int r = 0; r < rounds; r++)
    {
        if (r % 2 == 0) { s.Add(SpxRound()); p.Add(ProcessRound()); }
        else { p.Add(ProcessRound()); s.Add(SpxRound()); }
    }
    return (Median(s), Median(p));
}

void Report(string heap, (double Spx, double Process) m) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{heap,-16} SpxProcess {m.Spx,8:F1} us   Process.Start {m.Process,8:F1} us   ratio {m.Spx / m.Process:F2}x"));

Console.WriteLine($"{program}: {rounds} interleaved rounds of {perRound} spawns + waits each; median per spawn");
var small = Measure();
Report($"heap {GC.GetTotalMemory(true) >> 20} MiB", small);

var ballast = new List<byte[]>();
for (int i = 0; i < heapMiB; i++)
{
    var block = new byte[1 << 20];
    for (int j = 0; j < block.Length; j += 4096) block[j] = 1; // touch every page
    ballast.Add(block);
}
GC.Collect();
var large = Measure();
Report($"heap {GC.GetTotalMemory(true) >> 20} MiB", large);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RSS {Environment.WorkingSet >> 20} MiB"));
GC.KeepAlive(ballast);

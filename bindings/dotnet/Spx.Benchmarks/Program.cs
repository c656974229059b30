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

var spxInfo = new SpxStartInfo(program);
var processInfo = new ProcessStartInfo(program) { UseShellExecute = false };

double OneSpx()
{
    long t0 = Stopwatch.GetTimestamp();
    using var p = SpxProcess.Start(spxInfo);
    p.WaitForExit();
    return Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
}

double OneProcess()
{
    long t0 = Stopwatch.GetTimestamp();
    using var p = Process.Start(processInfo)!;
    p.WaitForExit();
    return Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
}

static double Median(List<double> xs)
{
    xs.Sort();
    return xs.Count % 2 == 1 ? xs[xs.Count / 2] : (xs[(xs.Count / 2) - 1] + xs[xs.Count / 2]) / 2;
}

// Spawns alternate one by one (spx, Process, Process, spx, ...), so that a change of machine load
// hits both alike; the medians of all samples are compared.
(double Spx, double Process) Measure()
{
    for (int i = 0; i < 50; i++) { OneSpx(); OneProcess(); } // warm up
    var s = new List<double>();
    var p = new List<double>();
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < perRound; i++)
        {
            if (((r * perRound) + i) % 2 == 0) { s.Add(OneSpx()); p.Add(OneProcess()); }
            else { p.Add(OneProcess()); s.Add(OneSpx()); }
        }
    return (Median(s), Median(p));
}

void Report(string heap, (double Spx, double Process) m) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{heap,-16} SpxProcess {m.Spx,8:F1} us   Process.Start {m.Process,8:F1} us   ratio {m.Spx / m.Process:F2}x"));

Console.WriteLine($"{program}: {rounds * perRound} spawns + waits of each, alternating one by one; median per spawn");
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

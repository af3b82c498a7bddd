using System.Globalization;
using MLExtensions.Benchmarks;

// Usage: dotnet run --project tests/MLExtensions.Benchmarks -c Release -- [mlp] [architectures] [images] [vision] [sharing] ... [--quick] [--repetitions N]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// The sharing benchmark's child processes.
if (args is ["sharing-child", var contender])
    return SharingBenchmark.TrainOnce(contender);
if (args is ["spin"])
    return SharingBenchmark.Spin();

var benchmarks = new Dictionary<string, Func<BenchmarkSettings, int>>(StringComparer.OrdinalIgnoreCase)
{
    ["mlp"] = settings => new MlpBenchmark(settings).Run(),
    ["architectures"] = settings => new ArchitectureBenchmark(settings).Run(),
    ["images"] = settings => new ImageLoadBenchmark(settings).Run(),
    ["vision"] = settings => new VisionBenchmark(settings).Run(),
    ["lenet"] = settings => new ArchitectureBenchmark(settings).RunOnly("lenet"),
    ["lstm"] = settings => new ArchitectureBenchmark(settings).RunOnly("lstm"),
    ["attention"] = settings => new ArchitectureBenchmark(settings).RunOnly("attention"),
    ["tagger"] = settings => new ArchitectureBenchmark(settings).RunOnly("tagger"),
    ["attention-scaling"] = settings => new ArchitectureBenchmark(settings).RunOnly("scaling"),
    ["sharing"] = settings => new SharingBenchmark(settings).Run(),
};

var selected = new List<string>();
bool quick = false;
int? repetitions = null;
for (int i = 0; i < args.Length; i++)
{
    string arg = args[i];
    if (arg == "--quick")
        quick = true;
    else if (arg == "--repetitions" && i + 1 < args.Length && int.TryParse(args[i + 1], out int r) && r > 0)
    {
        repetitions = r;
        i++;
    }
    else if (arg is "-h" or "--help")
        return Usage(benchmarks.Keys, 0);
    else if (benchmarks.ContainsKey(arg))
        selected.Add(arg);
    else
    {
        Console.Error.WriteLine($"Unknown argument '{arg}'.");
        return Usage(benchmarks.Keys, 2);
    }
}
if (selected.Count == 0)
    selected.AddRange(benchmarks.Keys);

var settings = new BenchmarkSettings(quick, repetitions);
int exitCode = 0;
foreach (var name in selected.Distinct(StringComparer.OrdinalIgnoreCase))
    exitCode = Math.Max(exitCode, benchmarks[name](settings));
return exitCode;

static int Usage(IEnumerable<string> names, int code)
{
    Console.WriteLine("usage: MLExtensions.Benchmarks [" + string.Join("|", names) + "] [--quick] [--repetitions N]");
    Console.WriteLine("  --quick          a tiny configuration that finishes in seconds (smoke test)");
    Console.WriteLine("  --repetitions N  timed repetitions of each contender after the warm-up (default 7, quick 1)");
    return code;
}

namespace MLExtensions.Benchmarks
{
    /// <summary>Command-line settings shared by the benchmarks.</summary>
    internal sealed record BenchmarkSettings(bool Quick, int? Repetitions);
}

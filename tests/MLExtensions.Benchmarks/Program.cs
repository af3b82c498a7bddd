using System.Globalization;
using MLExtensions.Benchmarks;
using MLExtensions.Benchmarks.Defaults;

// Usage: dotnet run --project tests/MLExtensions.Benchmarks -c Release -- [mlp] [architectures] [images] [defaults] [--quick] [--repetitions N]
//        defaults only: [--sets a,b] [--trainers mlp,attention] [--candidates name,name] [--no-references]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var benchmarks = new Dictionary<string, Func<BenchmarkSettings, int>>(StringComparer.OrdinalIgnoreCase)
{
    ["mlp"] = settings => new MlpBenchmark(settings).Run(),
    ["architectures"] = settings => new ArchitectureBenchmark(settings).Run(),
    ["images"] = settings => new ImageLoadBenchmark(settings).Run(),
    ["lenet"] = settings => new ArchitectureBenchmark(settings).RunOnly("lenet"),
    ["lstm"] = settings => new ArchitectureBenchmark(settings).RunOnly("lstm"),
    ["attention"] = settings => new ArchitectureBenchmark(settings).RunOnly("attention"),
    ["attention-scaling"] = settings => new ArchitectureBenchmark(settings).RunOnly("scaling"),
    ["defaults"] = settings => new DefaultsStudy(settings).Run(),
};

var selected = new List<string>();
bool quick = false;
int? repetitions = null;
var sets = new List<string>();
var trainers = new List<string>();
var candidates = new List<string>();
bool noReferences = false;
bool history = false;
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
    else if (arg is "--sets" or "--trainers" or "--candidates" && i + 1 < args.Length)
    {
        (arg == "--sets" ? sets : arg == "--trainers" ? trainers : candidates).AddRange(args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        i++;
    }
    else if (arg == "--no-references")
        noReferences = true;
    else if (arg == "--history")
        history = true;
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
    selected.AddRange(benchmarks.Keys.Where(k => k != "defaults"));

var settings = new BenchmarkSettings(quick, repetitions) { Sets = sets, Trainers = trainers, Candidates = candidates, NoReferences = noReferences, History = history };
int exitCode = 0;
foreach (var name in selected.Distinct(StringComparer.OrdinalIgnoreCase))
    exitCode = Math.Max(exitCode, benchmarks[name](settings));
return exitCode;

static int Usage(IEnumerable<string> names, int code)
{
    Console.WriteLine("usage: MLExtensions.Benchmarks [" + string.Join("|", names) + "] [--quick] [--repetitions N]");
    Console.WriteLine("  --quick          a tiny configuration that finishes in seconds (smoke test)");
    Console.WriteLine("  --repetitions N  timed repetitions of each contender after the warm-up (default 7, quick 1)");
    Console.WriteLine("  defaults: the study behind the trainers' defaults (docs/defaults.md); not part of the default selection");
    Console.WriteLine("    --sets a,b        only the data sets whose key contains one of these");
    Console.WriteLine("    --trainers a,b    only these trainers (linear, mlp, cnn, rnn, attention)");
    Console.WriteLine("    --candidates a,b  only the candidates whose name contains one of these");
    Console.WriteLine("    --no-references   skip ML.NET's reference trainers");
    Console.WriteLine("    --history         print every epoch of every fit");
    return code;
}

namespace MLExtensions.Benchmarks
{
    /// <summary>Command-line settings shared by the benchmarks.</summary>
    internal sealed record BenchmarkSettings(bool Quick, int? Repetitions)
    {
        public IReadOnlyList<string> Sets { get; init; } = [];
        public IReadOnlyList<string> Trainers { get; init; } = [];
        public IReadOnlyList<string> Candidates { get; init; } = [];
        public bool NoReferences { get; init; }
        public bool History { get; init; }
    }
}

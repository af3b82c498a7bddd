using System.Globalization;
using MLExtensions.Benchmarks;
using MLExtensions.Benchmarks.Defaults;

// Usage: dotnet run --project tests/MLExtensions.Benchmarks -c Release -- [benchmark ...] [--quick] [--repetitions N]
//        [--rows N] [--data-dir DIR] [--keep-data]
//        defaults only: [--sets a,b] [--trainers mlp,attention] [--candidates name,name] [--no-references] [--history]
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
    ["scoring"] = settings => new ScoringBenchmark(settings).Run(),
    ["padding"] = settings => new SequencePaddingBenchmark(settings).Run(),
    ["streaming"] = settings => new StreamingBenchmark(settings).Run(),
    ["fit-scaling"] = settings => new FitScalingBenchmark(settings).Run(),
    ["defaults"] = settings => new DefaultsStudy(settings).Run(),
};

var selected = new List<string>();
bool quick = false, keepData = false;
int? repetitions = null;
long? rows = null;
string? dataDirectory = null;
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
    else if (arg == "--rows" && i + 1 < args.Length && long.TryParse(args[i + 1], out long n) && n > 0)
    {
        rows = n;
        i++;
    }
    else if (arg == "--data-dir" && i + 1 < args.Length)
        dataDirectory = args[++i];
    else if (arg == "--keep-data")
        keepData = true;
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
if (selected.Count == 0) // everything but the large-data runs, which generate gigabytes, and the defaults study
    selected.AddRange(benchmarks.Keys.Where(k => k is not ("streaming" or "fit-scaling" or "defaults")));

var settings = new BenchmarkSettings(quick, repetitions, rows, dataDirectory, keepData)
{
    Sets = sets, Trainers = trainers, Candidates = candidates, NoReferences = noReferences, History = history,
};
int exitCode = 0;
foreach (var name in selected.Distinct(StringComparer.OrdinalIgnoreCase))
    exitCode = Math.Max(exitCode, benchmarks[name](settings));
return exitCode;

static int Usage(IEnumerable<string> names, int code)
{
    Console.WriteLine("usage: MLExtensions.Benchmarks [" + string.Join("|", names) + "] [--quick] [--repetitions N] [--rows N] [--data-dir DIR] [--keep-data]");
    Console.WriteLine("  --quick          a tiny configuration that finishes in seconds (smoke test)");
    Console.WriteLine("  --repetitions N  timed repetitions of each contender (defaults differ per benchmark)");
    Console.WriteLine("  --rows N         rows of the generated file for streaming (default 2,000,000)");
    Console.WriteLine("  --data-dir DIR   where streaming and fit-scaling generate their .idv files (default artifacts/benchmarks)");
    Console.WriteLine("  --keep-data      keep the generated files for the next run (they are deleted at the end otherwise)");
    Console.WriteLine("  defaults: the study behind the trainers' defaults (docs/defaults.md); not part of the default selection");
    Console.WriteLine("    --sets a,b        only the data sets whose key contains one of these");
    Console.WriteLine("    --trainers a,b    only these trainers (linear, mlp, cnn, rnn, attention)");
    Console.WriteLine("    --candidates a,b  only the candidates whose name contains one of these");
    Console.WriteLine("    --no-references   skip ML.NET's reference trainers");
    Console.WriteLine("    --history         print every epoch of every fit");
    Console.WriteLine("  without a benchmark name, all run except streaming, fit-scaling and defaults");
    return code;
}

namespace MLExtensions.Benchmarks
{
    /// <summary>Command-line settings shared by the benchmarks.</summary>
    internal sealed record BenchmarkSettings(bool Quick, int? Repetitions, long? Rows = null, string? DataDirectory = null, bool KeepData = false)
    {
        public IReadOnlyList<string> Sets { get; init; } = [];
        public IReadOnlyList<string> Trainers { get; init; } = [];
        public IReadOnlyList<string> Candidates { get; init; } = [];
        public bool NoReferences { get; init; }
        public bool History { get; init; }
    }
}

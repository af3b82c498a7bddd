using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Benchmarks;

/// <summary>
/// How a Fit behaves when the machine is shared: each contender trains in a child process alone, next to a process
/// that keeps one core busy, and two at once (two child processes started together). Ratios against the solo median.
/// The data: 3,823 rows of 64 features in 10 Gaussian classes (the size of the 8×8 digits training set).
/// </summary>
internal sealed class SharingBenchmark(BenchmarkSettings settings)
{
    private readonly int _repetitions = settings.Repetitions ?? (settings.Quick ? 1 : 3);

    private static readonly string[] Contenders =
        ["TorchSoftmaxRegression", "TorchMlp", "TorchMlp-50x64", "LbfgsMaximumEntropy"];

    public int Run()
    {
        Console.WriteLine($"repetitions {_repetitions}; ratios against the solo median");
        Console.WriteLine("| trainer | alone (s) | next to a busy core (s) | ratio | two at once (s) | ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var contender in Contenders)
        {
            Child(contender); // warm-up (disk cache, JIT of the first process)
            var solo = Enumerable.Range(0, _repetitions).Select(_ => Child(contender)).ToList();
            var busy = new List<double>();
            using (var spinner = Start("spin"))
            {
                Thread.Sleep(500);
                for (int i = 0; i < _repetitions; i++)
                    busy.Add(Child(contender));
                spinner.Kill();
            }
            var pairs = new List<double>();
            for (int i = 0; i < _repetitions; i++)
            {
                using var a = Start("sharing-child", contender);
                using var b = Start("sharing-child", contender);
                pairs.Add(Seconds(a));
                pairs.Add(Seconds(b));
            }
            double s = Median(solo), t = Median(busy), p = Median(pairs);
            Console.WriteLine($"| {contender} | {s:F2} | {t:F2} | {t / s:F2} | {p:F2} | {p / s:F2} |");
        }
        return 0;
    }

    /// <summary>One Fit of <paramref name="contender"/>, timed in this process (called in the child).</summary>
    public static int TrainOnce(string contender)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(ml.Data.LoadFromEnumerable(Rows(3823, seed: 1)));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        var watch = Stopwatch.StartNew();
        IEstimator<ITransformer> trainer = contender switch
        {
            "TorchSoftmaxRegression" => ml.MulticlassClassification.Trainers.TorchSoftmaxRegression(),
            "TorchMlp" => ml.MulticlassClassification.Trainers.TorchMlp(),
            "TorchMlp-50x64" => ml.MulticlassClassification.Trainers.TorchMlp(new MlpOptions { Epochs = 50, BatchSize = 64 }),
            _ => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(),
        };
        var model = trainer.Fit(keyed);
        Console.WriteLine($"seconds {watch.Elapsed.TotalSeconds:R}");
        (model as IDisposable)?.Dispose();
        return 0;
    }

    /// <summary>Keeps one core busy until killed.</summary>
    public static int Spin()
    {
        double x = 1;
        while (true)
            x = Math.Sqrt(x + 1.000001);
    }

    private static double Child(string contender)
    {
        using var process = Start("sharing-child", contender);
        return Seconds(process);
    }

    private static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(SharingBenchmark).Assembly.Location);
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    private static double Seconds(Process process)
    {
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("seconds ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("The child printed no time: " + output);
        return double.Parse(line["seconds ".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed class Row
    {
        [VectorType(64)]
        public float[] Features { get; set; } = [];
        public uint Label { get; set; }
    }

    private static IEnumerable<Row> Rows(int count, int seed)
    {
        var random = new Random(seed);
        var centers = Enumerable.Range(0, 10).Select(_ => Enumerable.Range(0, 64).Select(_ => (float)random.NextDouble() * 4).ToArray()).ToArray();
        for (int i = 0; i < count; i++)
        {
            int c = random.Next(10);
            yield return new Row
            {
                Features = centers[c].Select(v => v + (float)(3 * (random.NextDouble() - 0.5))).ToArray(),
                Label = (uint)c,
            };
        }
    }
}

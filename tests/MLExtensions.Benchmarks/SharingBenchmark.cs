using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Benchmarks;

/// <summary>
/// How a Fit behaves when the machine is shared: each contender trains in a child process alone, next to a process
/// that keeps one core busy, and two at once (two child processes started together). Ratios against the solo median.
/// The data: 3,823 rows of 64 features in 10 Gaussian classes (the size of the 8×8 digits training set); the binary
/// contenders learn whether the class is below 5, the regression ones a noisy linear target. ML.NET's trainers get
/// <c>NormalizeMeanVariance</c> in front (inside the timed Fit), as they need it and ours standardize inside.
/// `TorchMlp-50x64` is the configuration of the table (50 epochs, batch 64, no validation).
/// </summary>
internal sealed class SharingBenchmark(BenchmarkSettings settings)
{
    private readonly int _repetitions = settings.Repetitions ?? (settings.Quick ? 1 : 3);

    private static readonly string[] Contenders =
        ["TorchSoftmaxRegression", "LbfgsMaximumEntropy", "TorchMlp", "TorchMlp-50x64",
         "TorchLogisticRegression", "LbfgsLogisticRegression", "TorchLinearRegression", "Sdca"];

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
        var classes = ml.Transforms.Conversion.MapValueToKey("Label", "Class").Fit(data).Transform(data);
        var binary = ml.Transforms.CopyColumns("Label", "Positive").Fit(data).Transform(data);
        var target = ml.Transforms.CopyColumns("Label", "Target").Fit(data).Transform(data);
        var normalized = ml.Transforms.NormalizeMeanVariance("Features");
        var (trainer, rows) = contender switch
        {
            "TorchSoftmaxRegression" => ((IEstimator<ITransformer>)ml.MulticlassClassification.Trainers.TorchSoftmaxRegression(), classes),
            "TorchMlp" => (ml.MulticlassClassification.Trainers.TorchMlp(), classes),
            "TorchMlp-50x64" => (ml.MulticlassClassification.Trainers.TorchMlp(new MlpOptions { Epochs = 50, BatchSize = 64, ValidationFraction = 0, EarlyStoppingPatience = 0 }), classes),
            "LbfgsMaximumEntropy" => (normalized.Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()), classes),
            "TorchLogisticRegression" => (ml.BinaryClassification.Trainers.TorchLogisticRegression(), binary),
            "LbfgsLogisticRegression" => (normalized.Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()), binary),
            "TorchLinearRegression" => (ml.Regression.Trainers.TorchLinearRegression(), target),
            "Sdca" => (normalized.Append(ml.Regression.Trainers.Sdca()), target),
            _ => throw new ArgumentException($"Unknown contender '{contender}'."),
        };
        var watch = Stopwatch.StartNew();
        var model = trainer.Fit(rows);
        Console.WriteLine($"seconds {watch.Elapsed.TotalSeconds:R}");
        if (model is NetworkTransformer network)
            Console.WriteLine($"epochs {network.History.Count}, last {network.History[^1]}");
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
        public uint Class { get; set; }
        public bool Positive { get; set; }
        public float Target { get; set; }
    }

    private static IEnumerable<Row> Rows(int count, int seed)
    {
        var random = new Random(seed);
        var centers = Enumerable.Range(0, 10).Select(_ => Enumerable.Range(0, 64).Select(_ => (float)random.NextDouble() * 4).ToArray()).ToArray();
        var weights = Enumerable.Range(0, 64).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        for (int i = 0; i < count; i++)
        {
            int c = random.Next(10);
            var features = centers[c].Select(v => v + (float)(3 * (random.NextDouble() - 0.5))).ToArray();
            yield return new Row
            {
                Features = features,
                Class = (uint)c,
                Positive = c < 5,
                Target = 20 + features.Zip(weights, (x, w) => x * w).Sum() + (float)(random.NextDouble() - 0.5),
            };
        }
    }
}

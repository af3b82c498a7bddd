using Microsoft.ML;

namespace MLExtensions.Benchmarks;

/// <summary>
/// An MLP (784 → 256 → 128 → 10, ReLU, Adam, batch 256) trained from a generated binary .idv file through
/// <c>LoadFromBinary</c>: on a subset that fits in memory, once in memory and once streamed (training rows per second
/// within the epochs), and on the whole file (by default 2,000,000 rows, 6.3 GB as floats), streamed with
/// <c>MaxInMemoryBytes = 1 GiB</c>, with the peak resident set of the process during that Fit.
/// </summary>
internal sealed class StreamingBenchmark(BenchmarkSettings settings)
{
    private readonly long _rows = settings.Rows ?? (settings.Quick ? 60_000 : 2_000_000);
    private readonly long _subset = settings.Quick ? 20_000 : 200_000;
    private readonly int _repetitions = settings.Repetitions ?? 1;
    private readonly string _directory = DigitsFile.Directory(settings.DataDirectory);

    /// <summary>Bytes a row takes as tensors: 784 floats and an int64 label.</summary>
    private const long RowBytes = 784 * 4 + 8;

    /// <summary>A quarter of the subset's size, so that the subset streams.</summary>
    private long SubsetBudget => _subset * RowBytes / 4;

    /// <summary>1 GiB, or a quarter of the file's size when that is smaller (quick runs).</summary>
    private long WholeBudget => Math.Min(1L << 30, _rows * RowBytes / 4);

    private MlpOptions Options(long budget, int epochs) => new()
    {
        HiddenLayerSizes = [256, 128], Activation = Activation.Relu, Epochs = epochs, BatchSize = 256, LearningRate = 1e-3, Seed = 42,
        Device = TorchDevice.Cpu, MaxInMemoryBytes = budget, ValidationFraction = 0, EarlyStoppingPatience = 0,
    };

    public int Run()
    {
        var ml = new MLContext(seed: 1);
        var streamed = 0;
        ml.Log += (_, e) => { if (e.Message.Contains("stream through a cursor")) Interlocked.Increment(ref streamed); };
        var (all, test) = DigitsFile.Load(ml, _directory, _rows);
        var subset = ml.Data.TakeRows(all, _subset);
        Console.WriteLine($"streaming: {_rows:N0} rows in the file, subset {_subset:N0} rows, repetitions {_repetitions}");

        // The whole file first: its peak is then that of a process that has only streamed, not what an earlier in-memory
        // Fit left allocated.
        string wholeRow;
        {
            int before = streamed;
            var run = Fit(ml, all, test, Options(WholeBudget, epochs: 1));
            string path = streamed > before ? $"streamed (MaxInMemoryBytes {Measure.MiB(WholeBudget)})" : "in memory";
            Console.WriteLine($"  whole file, {path}: {run}");
            wholeRow = $"| {_rows:N0} rows ({_rows * 784 * 4 / 1e9:F1} GB as floats), {path} | 1 | {run.EpochSeconds:F2} | {run.RowsPerSecond:N0} | {run.FitSeconds:F1} | {Measure.MiB(run.PeakResidentSet)} | {run.Accuracy:F4} |";
        }

        var table = new List<string>();
        var inMemoryRates = new List<double>();
        var streamedRates = new List<double>();
        for (int r = 0; r < _repetitions; r++)
        {
            foreach (bool stream in new[] { false, true })
            {
                int before = streamed;
                var run = Fit(ml, subset, test, Options(stream ? SubsetBudget : 0, epochs: 2));
                (stream ? streamedRates : inMemoryRates).Add(run.RowsPerSecond);
                string path = streamed > before ? $"streamed (MaxInMemoryBytes {Measure.MiB(SubsetBudget)})" : "in memory";
                Console.WriteLine($"  subset, {path}: {run}");
                if (r == _repetitions - 1)
                    table.Add($"| {_subset:N0} rows, {path} | 2 | {run.EpochSeconds:F2} | {Measure.Median(stream ? streamedRates : inMemoryRates):N0} | {run.FitSeconds:F1} | {Measure.MiB(run.PeakResidentSet)} | {run.Accuracy:F4} |");
            }
        }

        table.Add(wholeRow);
        Console.WriteLine();
        Console.WriteLine("| data | epochs | epoch (s, median) | training rows/s in epochs | Fit total (s) | peak resident set during Fit | held-out accuracy |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        table.ForEach(Console.WriteLine);
        Console.WriteLine($"streamed / in-memory rows per second on the subset: {Measure.Median(streamedRates) / Measure.Median(inMemoryRates):F2} (target ≥ 0.8)");
        if (!settings.KeepData)
            DigitsFile.Clean(_directory);
        return 0;
    }

    private sealed record Outcome(double EpochSeconds, double RowsPerSecond, double FitSeconds, long PeakResidentSet, double Accuracy, double OtherCpu)
    {
        public override string ToString() => FormattableString.Invariant(
            $"epoch {EpochSeconds:F2} s, {RowsPerSecond:N0} rows/s, Fit {FitSeconds:F1} s, peak {Measure.MiB(PeakResidentSet)}, accuracy {Accuracy:F4}; other processes used {OtherCpu:F1} CPU-s");
    }

    private static Outcome Fit(MLContext ml, IDataView train, IDataView test, MlpOptions options)
    {
        Measure.Settle();
        Measure.ResetPeakResidentSet();
        Console.WriteLine($"    resident set before the Fit: {Measure.MiB(Measure.PeakResidentSet())}");
        var cpu = OtherCpu.Start();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var model = ml.MulticlassClassification.Trainers.TorchMlp(options).Fit(train);
        double fit = watch.Elapsed.TotalSeconds;
        long peak = Measure.PeakResidentSet();
        double other = cpu.Seconds();
        long rows = model.History.Count > 0 ? CountRows(train) : 0;
        double epoch = Measure.Median(model.History.Select(h => h.Seconds));
        double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
        return new Outcome(epoch, rows / epoch, fit, peak, accuracy, other);
    }

    private static long CountRows(IDataView data)
    {
        if (data.GetRowCount() is long n)
            return n;
        long count = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
            count++;
        return count;
    }
}

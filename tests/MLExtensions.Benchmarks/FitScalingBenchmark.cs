using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Benchmarks;

/// <summary>
/// How <c>Fit</c> time grows: with the number of rows (an MLP 784 → 256 → 128 → 10, one epoch, batch 256, on 10,000,
/// 100,000 and 1,000,000 rows of a generated binary .idv file, read into memory under the default budget or streamed
/// when they do not fit) and with the sequence length (one attention layer, d 64, 4 heads, full attention against a
/// window of ±8, one epoch over 64 token sequences in batches of 4).
/// </summary>
internal sealed class FitScalingBenchmark(BenchmarkSettings settings)
{
    private readonly long[] _rows = settings.Quick ? [2_000, 20_000] : [10_000, 100_000, 1_000_000];
    private readonly int[] _lengths = settings.Quick ? [64, 256] : [128, 512, 2048];
    private readonly int _repetitions = settings.Repetitions ?? 1;
    private readonly string _directory = DigitsFile.Directory(settings.DataDirectory);

    public int Run()
    {
        var ml = new MLContext(seed: 1);
        int streamed = 0;
        ml.Log += (_, e) => { if (e.Message.Contains("stream through a cursor")) Interlocked.Increment(ref streamed); };
        var (all, _) = DigitsFile.Load(ml, _directory, _rows.Max());
        Console.WriteLine($"fit-scaling: repetitions {_repetitions}");
        var rowTable = new List<string>();
        double? first = null;
        foreach (long rows in _rows)
        {
            var data = ml.Data.TakeRows(all, rows);
            var fits = new List<double>();
            var epochs = new List<double>();
            bool streaming = false;
            for (int r = rows == _rows[0] ? -1 : 0; r < _repetitions; r++) // the first size warms up once
            {
                Measure.Settle();
                int before = streamed;
                var cpu = OtherCpu.Start();
                var watch = Stopwatch.StartNew();
                using var model = ml.MulticlassClassification.Trainers.TorchMlp(new MlpOptions
                {
                    HiddenLayerSizes = [256, 128], Epochs = 1, BatchSize = 256, LearningRate = 1e-3, Seed = 42, Device = TorchDevice.Cpu,
                    ValidationFraction = 0, EarlyStoppingPatience = 0,
                }).Fit(data);
                double seconds = watch.Elapsed.TotalSeconds;
                streaming = streamed > before;
                Console.WriteLine($"  {rows:N0} rows{(r < 0 ? " (warm-up)" : "")}: Fit {seconds:F2} s, epoch {model.History[0].Seconds:F2} s{(streaming ? ", streamed" : "")}; other processes used {cpu.Seconds():F1} CPU-s");
                if (r < 0)
                    continue;
                fits.Add(seconds);
                epochs.Add(model.History[0].Seconds);
            }
            double fit = Measure.Median(fits);
            first ??= fit / rows;
            rowTable.Add($"| {rows:N0} | {(streaming ? "streamed" : "in memory")} | {fit:F2} | {Measure.Median(epochs):F2} | {rows / fit:N0} | {fit / rows / first.Value:F2} |");
        }
        if (!settings.KeepData)
            DigitsFile.Clean(_directory);

        var lengthTable = new List<string>();
        foreach (int length in _lengths)
        {
            var (data, _) = Tokens(ml, 64, length);
            double Time(int window)
            {
                var times = new List<double>();
                for (int r = length == _lengths[0] ? -1 : 0; r < _repetitions; r++) // the first length warms up once
                {
                    Measure.Settle();
                    var watch = Stopwatch.StartNew();
                    using var model = ml.BinaryClassification.Trainers.TorchAttention(new AttentionOptions
                    {
                        ModelDimension = 64, Heads = 4, Layers = 1, FeedForwardSize = 128, AttentionWindow = window, MaxSequenceLength = length,
                        Epochs = 1, BatchSize = 4, Dropout = 0, Device = TorchDevice.Cpu, ValidationFraction = 0, EarlyStoppingPatience = 0,
                    }).Fit(data);
                    if (r >= 0)
                        times.Add(watch.Elapsed.TotalSeconds);
                }
                return Measure.Median(times);
            }
            double full = Time(0), window = Time(8);
            Console.WriteLine($"  length {length}: full {full:F2} s, window ±8 {window:F2} s");
            lengthTable.Add($"| {length:N0} | {full:F2} | {window:F2} | {full / window:F2} |");
        }

        Console.WriteLine();
        Console.WriteLine("| rows | data | Fit (s) | epoch (s) | rows/s over the whole Fit | Fit time per row, relative to the smallest |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|");
        rowTable.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine("| sequence length | full attention Fit (s) | window ±8 Fit (s) | full / window |");
        Console.WriteLine("|---:|---:|---:|---:|");
        lengthTable.ForEach(Console.WriteLine);
        return 0;
    }

    public sealed class TokenRow
    {
        public uint[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    /// <summary>Fixed-length random token sequences (vocabulary 40); the label says whether token 1 occurs more often than token 2.</summary>
    private static (IDataView Data, int Vocabulary) Tokens(MLContext ml, int rows, int length)
    {
        const int vocabulary = 40;
        var random = new Random(length);
        var definition = SchemaDefinition.Create(typeof(TokenRow));
        definition[nameof(TokenRow.Features)].ColumnType = new VectorDataViewType(new KeyDataViewType(typeof(uint), vocabulary), length);
        var data = Enumerable.Range(0, rows).Select(_ =>
        {
            var tokens = Enumerable.Range(0, length).Select(_ => (uint)random.Next(vocabulary)).ToArray(); // 0-based: key k + 1
            return new TokenRow { Features = tokens, Label = tokens.Count(t => t == 1) > tokens.Count(t => t == 2) };
        }).ToArray();
        return (ml.Data.LoadFromEnumerable(data, definition), vocabulary);
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Benchmarks;

/// <summary>
/// Epoch time of TorchAttention and TorchRnn (LSTM) on generated text whose lengths follow a long tail (log-normal,
/// median 15 tokens, the longest 200), with every batch padded to the data set's longest row (as before), to its own
/// longest row, and in length buckets; and the held-out accuracy of each, which padding must not change.
/// </summary>
internal sealed class SequencePaddingBenchmark(BenchmarkSettings settings)
{
    private readonly int _repetitions = settings.Repetitions ?? 1;
    private readonly int _trainRows = settings.Quick ? 600 : 5_000;
    private readonly int _testRows = settings.Quick ? 200 : 1_000;
    private readonly int _epochs = settings.Quick ? 1 : 4;

    public sealed class TextRow
    {
        public string Text { get; set; } = "";
        public bool Label { get; set; }
    }

    /// <summary>
    /// Filler words, and 1–3 sentiment words of the row's class plus 0–1 of the other class at random places; the label is
    /// the majority. Lengths: log-normal with median 15 and σ 0.75, clipped to [4, 200]; the first row is 200 long.
    /// </summary>
    internal static TextRow[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        string[] good = ["good", "great", "fine"], bad = ["bad", "poor", "awful"];
        var rows = new TextRow[count];
        for (int i = 0; i < count; i++)
        {
            double z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            int length = i == 0 ? 200 : Math.Clamp((int)Math.Round(15 * Math.Exp(0.75 * z)), 4, 200);
            var words = Enumerable.Range(0, length).Select(_ => "w" + random.Next(40)).ToArray();
            bool positive = random.Next(2) == 0;
            int own = 1 + random.Next(3), other = random.Next(2);
            for (int k = 0; k < own; k++)
                words[random.Next(length)] = (positive ? good : bad)[random.Next(3)];
            for (int k = 0; k < other; k++)
            {
                int position = random.Next(length);
                if (!good.Contains(words[position]) && !bad.Contains(words[position]))
                    words[position] = (positive ? bad : good)[random.Next(3)];
            }
            int score = words.Count(w => good.Contains(w)) - words.Count(w => bad.Contains(w));
            rows[i] = new TextRow { Text = string.Join(' ', words), Label = score > 0 || (score == 0 && positive) };
        }
        return rows;
    }

    public int Run()
    {
        var ml = new MLContext(seed: 1);
        var trainRows = Generate(_trainRows, 1);
        var lengths = trainRows.Select(r => r.Text.Count(c => c == ' ') + 1).OrderBy(l => l).ToArray();
        Console.WriteLine($"padding: {_trainRows:N0} training rows, lengths median {lengths[lengths.Length / 2]}, 90th percentile " +
            $"{lengths[(int)(lengths.Length * 0.9)]}, mean {lengths.Average():F1}, longest {lengths[^1]}; {_epochs} epoch(s), batch 32, repetitions {_repetitions}");
        var raw = ml.Data.LoadFromEnumerable(trainRows);
        var featurizer = ml.Transforms.Text.TokenizeIntoWords("Words", "Text").Append(ml.Transforms.Conversion.MapValueToKey("Features", "Words")).Fit(raw);
        var train = ml.Data.Cache(featurizer.Transform(raw));
        var test = ml.Data.Cache(featurizer.Transform(ml.Data.LoadFromEnumerable(Generate(_testRows, 2))));

        var networks = new (string Name, Func<SequenceBatching, IEstimator<NetworkTransformer>> Trainer)[]
        {
            ("attention (2 layers, 4 heads, d 64)", b => ml.BinaryClassification.Trainers.TorchAttention(new AttentionOptions
            {
                ModelDimension = 64, Heads = 4, Layers = 2, FeedForwardSize = 128, Epochs = _epochs, BatchSize = 32, Batching = b, Device = TorchDevice.Cpu,
                ValidationFraction = 0, EarlyStoppingPatience = 0,
            })),
            ("LSTM (hidden 128, embedding 32)", b => ml.BinaryClassification.Trainers.TorchRnn(new RnnOptions
            {
                Cell = RnnCell.Lstm, HiddenSize = 128, EmbeddingSize = 32, Epochs = _epochs, BatchSize = 32, LearningRate = 3e-3, Batching = b, Device = TorchDevice.Cpu,
                ValidationFraction = 0, EarlyStoppingPatience = 0,
            })),
        };
        var modes = new[] { SequenceBatching.GlobalPadding, SequenceBatching.PerBatchPadding, SequenceBatching.LengthBuckets };
        var few = ml.Data.TakeRows(train, 200);
        foreach (var (_, trainer) in networks) // warm-up: a small Fit of each network, not timed
            trainer(SequenceBatching.PerBatchPadding).Fit(few).Dispose();
        var table = new List<string>();
        foreach (var (name, trainer) in networks)
        {
            var epochSeconds = modes.ToDictionary(m => m, _ => new List<double>());
            var accuracy = modes.ToDictionary(m => m, _ => new List<double>());
            for (int r = 0; r < _repetitions; r++)
                foreach (var mode in modes)
                {
                    Measure.Settle();
                    var cpu = OtherCpu.Start();
                    using var model = trainer(mode).Fit(train);
                    double seconds = Measure.Median(model.History.Select(h => h.Seconds));
                    double acc = ml.BinaryClassification.Evaluate(model.Transform(test)).Accuracy;
                    epochSeconds[mode].Add(seconds);
                    accuracy[mode].Add(acc);
                    Console.WriteLine($"  {name}, {mode}, repetition {r + 1}: epoch {seconds:F2} s, held-out accuracy {acc:F3}; other processes used {cpu.Seconds():F1} CPU-s");
                }
            double global = Measure.Median(epochSeconds[SequenceBatching.GlobalPadding]);
            foreach (var mode in modes)
            {
                double seconds = Measure.Median(epochSeconds[mode]);
                table.Add($"| {name} | {mode} | {seconds:F2} | {global / seconds:F2} | {Measure.Median(accuracy[mode]):F3} |");
            }
        }
        Console.WriteLine();
        Console.WriteLine("| network | batching | epoch (s) | speed-up vs global padding | held-out accuracy |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        table.ForEach(Console.WriteLine);
        return 0;
    }
}

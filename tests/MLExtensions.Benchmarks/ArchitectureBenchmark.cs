using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Networks;
using MLExtensions.Inputs;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Benchmarks;

/// <summary>
/// Fit of LeNet, an LSTM and an attention encoder against a plain TorchSharp loop that trains the same network class on
/// the same tensors (same epochs, batch size, optimizer and seed), plus the cost of full vs truncated attention as the
/// sequence grows. One warm-up pair, then interleaved timed pairs; medians are reported.
/// </summary>
internal sealed class ArchitectureBenchmark(BenchmarkSettings settings)
{
    private readonly int _repetitions = settings.Repetitions ?? (settings.Quick ? 1 : 2);
    private readonly bool _quick = settings.Quick;

    // Fit and the plain loop run on the same number of threads (Fit would otherwise choose its own).
    private static readonly int Threads = torch.get_num_threads();

    public int Run()
    {
        Console.WriteLine($"threads {torch.get_num_threads()}, repetitions {_repetitions}{(_quick ? ", quick" : "")}");
        LeNet();
        Lstm();
        Attention();
        Tagger();
        AttentionScaling();
        return 0;
    }

    public int RunOnly(string part)
    {
        Console.WriteLine($"threads {torch.get_num_threads()}, repetitions {_repetitions}{(_quick ? ", quick" : "")}");
        switch (part)
        {
            case "lenet": LeNet(); break;
            case "lstm": Lstm(); break;
            case "attention": Attention(); break;
            case "tagger": Tagger(); break;
            default: AttentionScaling(); break;
        }
        return 0;
    }

    private void LeNet()
    {
        int rows = _quick ? 3000 : 60000, epochs = _quick ? 1 : 2;
        var digits = new SyntheticDigits(seed: 3);
        var (features, labels) = digits.Next(rows);
        var ml = new MLContext(seed: 1);
        var definition = SchemaDefinition.Create(typeof(ImageRow));
        definition[nameof(ImageRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, SyntheticDigits.FeatureCount);
        definition[nameof(ImageRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), SyntheticDigits.ClassCount);
        var data = ml.Data.Cache(ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(i => new ImageRow
        {
            Features = features.AsSpan(i * SyntheticDigits.FeatureCount, SyntheticDigits.FeatureCount).ToArray(),
            Label = (uint)labels[i], // LoadFromEnumerable stores key values 0-based: 0 becomes key 1
        }).ToArray(), definition));
        var options = new CnnOptions { ImageHeight = 28, ImageWidth = 28, ImageChannels = 1, Architecture = CnnArchitecture.LeNet, Epochs = epochs, BatchSize = 256, Device = TorchDevice.Cpu, CpuThreads = Threads, ValidationFraction = 0, EarlyStoppingPatience = 0 };
        using var x = torch.tensor(features, new long[] { rows, SyntheticDigits.FeatureCount });
        using var y = torch.tensor(labels.Select(l => (long)l).ToArray(), new long[] { rows });
        Compare($"LeNet, {rows} 28×28 images, {epochs} epochs, batch 256",
            () => ml.MulticlassClassification.Trainers.TorchCnn(options).Fit(data),
            () => ConvStackNetwork.LeNet(new ImageShape(1, 28, 28), 10, () => new ActivationLayer(Activation.Relu), 0, Pooling.Max),
            x, y, (o, t) => nn.functional.cross_entropy(o, t), epochs, 256);
    }

    private void Lstm()
    {
        int rows = _quick ? 2000 : 20000, epochs = _quick ? 1 : 2;
        var (tokens, targets, data, ml) = TokenTask(rows, 20, seed: 4);
        var options = new RnnOptions { Cell = RnnCell.Lstm, HiddenSize = 128, EmbeddingSize = 32, Epochs = epochs, BatchSize = 64, Device = TorchDevice.Cpu, CpuThreads = Threads, ValidationFraction = 0, EarlyStoppingPatience = 0 };
        var layout = new TokenSequenceLayout(Vocabulary, 0, false);
        Compare($"LSTM (1 layer, hidden 128), {rows} sequences of 20 tokens, {epochs} epochs, batch 64",
            () => ml.BinaryClassification.Trainers.TorchRnn(options).Fit(data),
            () => new RnnNetwork(layout, options, 1),
            tokens, targets, (o, t) => nn.functional.binary_cross_entropy_with_logits(o, t), epochs, 64);
        tokens.Dispose();
        targets.Dispose();
    }

    private void Attention()
    {
        int rows = _quick ? 2000 : 20000, epochs = _quick ? 1 : 2;
        var (tokens, targets, data, ml) = TokenTask(rows, 50, seed: 5);
        var options = new AttentionOptions { ModelDimension = 64, Heads = 4, Layers = 2, FeedForwardSize = 128, Epochs = epochs, BatchSize = 64, Device = TorchDevice.Cpu, CpuThreads = Threads, ValidationFraction = 0, EarlyStoppingPatience = 0 };
        var layout = new TokenSequenceLayout(Vocabulary, options.MaxSequenceLength, false);
        Compare($"Attention (2 layers, 4 heads, d 64), {rows} sequences of 50 tokens, {epochs} epochs, batch 64",
            () => ml.BinaryClassification.Trainers.TorchAttention(options).Fit(data),
            () => new AttentionNetwork(layout, options, 1),
            tokens, targets, (o, t) => nn.functional.binary_cross_entropy_with_logits(o, t), epochs, 64);
        tokens.Dispose();
        targets.Dispose();
    }

    /// <summary>A bidirectional LSTM tagger (one tag per token) against the plain loop on the same per-step network and tensors.</summary>
    private void Tagger()
    {
        int rows = _quick ? 2000 : 20000, epochs = _quick ? 1 : 2, length = 20, tags = 5;
        var random = new Random(6);
        var sequences = new uint[rows][];
        var labels = new uint[rows][];
        for (int r = 0; r < rows; r++)
        {
            sequences[r] = Enumerable.Range(0, length).Select(_ => (uint)random.Next(0, Vocabulary)).ToArray();
            // The tag of a token depends on it and on the next one, as slot tags do.
            labels[r] = Enumerable.Range(0, length).Select(t => (sequences[r][t] + (t + 1 < length ? sequences[r][t + 1] : 0)) % (uint)tags).ToArray();
        }
        var ml = new MLContext(seed: 1);
        var definition = SchemaDefinition.Create(typeof(TaggedRow));
        definition[nameof(TaggedRow.Features)].ColumnType = new VectorDataViewType(new KeyDataViewType(typeof(uint), Vocabulary));
        definition[nameof(TaggedRow.Label)].ColumnType = new VectorDataViewType(new KeyDataViewType(typeof(uint), tags));
        // Vectors of keys hold the key values as they are: 1-based, 0 = missing.
        var data = ml.Data.Cache(ml.Data.LoadFromEnumerable(sequences.Select((s, i) => new TaggedRow
        {
            Features = s.Select(t => t + 1).ToArray(), Label = labels[i].Select(t => t + 1).ToArray(),
        }).ToArray(), definition));
        using var x = torch.tensor(sequences.SelectMany(s => s.Select(t => (long)t + 1)).ToArray(), new long[] { rows, length });
        using var y = torch.tensor(labels.SelectMany(l => l.Select(t => (long)t)).ToArray(), new long[] { rows, length });
        var options = new RnnOptions
        {
            Output = SequenceOutput.PerStep, Cell = RnnCell.Lstm, Bidirectional = true, HiddenSize = 64, EmbeddingSize = 32,
            Epochs = epochs, BatchSize = 64, Device = TorchDevice.Cpu, CpuThreads = Threads, ValidationFraction = 0, EarlyStoppingPatience = 0,
        };
        var layout = new TokenSequenceLayout(Vocabulary, 0, false);
        Compare($"Tagger (BiLSTM, hidden 64, per step), {rows} sequences of {length} tokens, {tags} tags, {epochs} epochs, batch 64",
            () => ml.MulticlassClassification.Trainers.TorchRnn(options).Fit(data),
            () => new RnnNetwork(layout, options, tags),
            x, y, (o, t) => nn.functional.cross_entropy(o.reshape(-1, tags), t.reshape(-1)), epochs, 64);
    }

    /// <summary>Forward + backward of one attention layer (d 64, 4 heads) on 4 sequences, full vs window ±8.</summary>
    private void AttentionScaling()
    {
        Console.WriteLine();
        Console.WriteLine("Full vs truncated attention (1 layer, d 64, 4 heads, batch 4, forward + backward, median of 3):");
        Console.WriteLine("| length | full (ms) | window ±8 (ms) | full / window | score entries full | score entries window |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (int length in _quick ? new[] { 128, 512 } : new[] { 128, 512, 2048 })
        {
            double Time(int window)
            {
                var options = new AttentionOptions { ModelDimension = 64, Heads = 4, Layers = 1, FeedForwardSize = 128, AttentionWindow = window, MaxSequenceLength = length, Dropout = 0 };
                torch.manual_seed(1);
                using var network = new AttentionNetwork(new TokenSequenceLayout(Vocabulary, length, false), options, 1);
                using var x = torch.randint(1, Vocabulary + 1, new long[] { 4, length }, dtype: int64);
                var times = new List<double>();
                for (int i = 0; i < 4; i++)
                {
                    using var scope = torch.NewDisposeScope();
                    var watch = Stopwatch.StartNew();
                    network.forward(x).sum().backward();
                    if (i > 0)
                        times.Add(watch.Elapsed.TotalMilliseconds);
                }
                return Median(times);
            }
            double full = Time(0), banded = Time(8);
            long entriesFull = 4L * 4 * length * length, entriesBand = 4L * 4 * length * 17;
            Console.WriteLine($"| {length} | {full:F1} | {banded:F1} | {full / banded:F2} | {entriesFull:N0} | {entriesBand:N0} |");
        }
    }

    private const int Vocabulary = 40;

    /// <summary>Random token sequences; the label says whether token 1 occurs more often than token 2.</summary>
    private static (Tensor Tokens, Tensor Targets, IDataView Data, MLContext Ml) TokenTask(int rows, int length, int seed)
    {
        var random = new Random(seed);
        var sequences = new uint[rows][];
        var labels = new bool[rows];
        for (int r = 0; r < rows; r++)
        {
            sequences[r] = Enumerable.Range(0, length).Select(_ => (uint)random.Next(0, Vocabulary)).ToArray(); // 0-based: key k + 1
            labels[r] = sequences[r].Count(t => t == 1) > sequences[r].Count(t => t == 2);
        }
        var ml = new MLContext(seed: 1);
        var definition = SchemaDefinition.Create(typeof(TokenRow));
        definition[nameof(TokenRow.Features)].ColumnType = new VectorDataViewType(new KeyDataViewType(typeof(uint), Vocabulary), length);
        var data = ml.Data.Cache(ml.Data.LoadFromEnumerable(sequences.Select((s, i) => new TokenRow { Features = s, Label = labels[i] }).ToArray(), definition));
        var tokens = torch.tensor(sequences.SelectMany(s => s.Select(t => (long)t + 1)).ToArray(), new long[] { rows, length });
        var targets = torch.tensor(labels.Select(l => l ? 1f : 0f).ToArray(), new long[] { rows, 1 });
        return (tokens, targets, data, ml);
    }

    private void Compare(string title, Func<NetworkTransformer> fit, Func<nn.Module<Tensor, Tensor>> network, Tensor x, Tensor y,
        Func<Tensor, Tensor, Tensor> loss, int epochs, int batchSize)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        var fits = new List<double>();
        var fitEpochs = new List<double>();
        var plains = new List<double>();
        for (int i = 0; i <= _repetitions; i++) // the first pair warms up
        {
            var watch = Stopwatch.StartNew();
            using (var model = fit())
            {
                if (i > 0)
                {
                    fits.Add(watch.Elapsed.TotalSeconds);
                    fitEpochs.Add(model.History.Sum(h => h.Seconds));
                }
            }
            GC.Collect();
            double plain = PlainLoop(network, x, y, loss, epochs, batchSize);
            if (i > 0)
                plains.Add(plain);
            GC.Collect();
        }
        double a = Median(fits), e = Median(fitEpochs), b = Median(plains);
        Console.WriteLine($"| Fit total (s) | Fit epochs (s) | plain loop (s) | Fit / plain | Fit epochs / plain |");
        Console.WriteLine($"|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {a:F2} | {e:F2} | {b:F2} | {a / b:F3} | {e / b:F3} |");
    }

    /// <summary>The minimal loop: seeded permutation, index_select batches, forward, loss, backward, Adam step, loss.item.</summary>
    private static double PlainLoop(Func<nn.Module<Tensor, Tensor>> build, Tensor x, Tensor y, Func<Tensor, Tensor, Tensor> lossFunction, int epochs, int batchSize)
    {
        torch.manual_seed(1);
        using var network = build();
        network.train();
        using var optimizer = optim.Adam(network.parameters(), 1e-3);
        using var generator = new Generator(1, device: CPU);
        long n = x.shape[0];
        var watch = Stopwatch.StartNew();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            using var order = randperm(n, generator: generator);
            for (long start = 0; start < n; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var index = order.narrow(0, start, Math.Min(batchSize, n - start));
                optimizer.zero_grad();
                var loss = lossFunction(network.forward(x.index_select(0, index)), y.index_select(0, index));
                loss.backward();
                optimizer.step();
                _ = loss.item<float>();
            }
        }
        return watch.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed class ImageRow
    {
        public float[] Features { get; set; } = [];
        public uint Label { get; set; }
    }

    private sealed class TaggedRow
    {
        public uint[] Features { get; set; } = [];
        public uint[] Label { get; set; } = [];
    }

    private sealed class TokenRow
    {
        public uint[] Features { get; set; } = [];
        public bool Label { get; set; }
    }
}

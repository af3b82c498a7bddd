using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Inputs;
using MLExtensions.Networks;
using MLExtensions.Training;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Tests;

/// <summary>
/// Per-batch padding and length buckets: every batch is cut to its own longest row, buckets hold little padding, every
/// row comes once per pass, and the network's outputs for the same weights are those of the globally padded data.
/// </summary>
[TestClass]
public sealed class SequenceBatchingTests
{
    private const int Vocabulary = 9, StepSize = 3, Rows = 150, BatchSize = 8;

    /// <summary>Lengths with a long tail: mostly 1–6 steps, one row in ten up to 24.</summary>
    private static int[] Lengths(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Rows).Select(_ => random.Next(10) == 0 ? random.Next(7, 25) : random.Next(1, 7)).ToArray();
    }

    /// <summary>
    /// Padded rows of tokens or steps; the targets carry each row's number (per step: at every real step, padding
    /// after), so a batch tells which rows it holds.
    /// </summary>
    private static TensorDataset Data(bool tokens, bool perStep, int seed)
    {
        var lengths = Lengths(seed);
        var random = new Random(seed + 1);
        int longest = lengths.Max(), width = tokens ? 1 : StepSize;
        Tensor inputs;
        if (tokens)
        {
            var values = new long[Rows * longest];
            for (int r = 0; r < Rows; r++)
                for (int t = 0; t < lengths[r]; t++)
                    values[r * longest + t] = random.Next(1, Vocabulary + 2);
            inputs = torch.tensor(values, new long[] { Rows, longest });
        }
        else
        {
            var values = new float[Rows * longest * StepSize];
            Array.Fill(values, float.NaN);
            for (int r = 0; r < Rows; r++)
                for (int i = 0; i < lengths[r] * StepSize; i++)
                    values[r * longest * StepSize + i] = (float)(random.NextDouble() * 4 - 2);
            inputs = torch.tensor(values, new long[] { Rows, longest * StepSize });
        }
        Tensor targets;
        if (perStep)
        {
            var values = new float[Rows * longest];
            Array.Fill(values, float.NaN);
            for (int r = 0; r < Rows; r++)
                for (int t = 0; t < lengths[r]; t++)
                    values[r * longest + t] = r;
            targets = torch.tensor(values, new long[] { Rows, longest });
        }
        else
            targets = torch.tensor(Enumerable.Range(0, Rows).Select(r => (float)r).ToArray(), new long[] { Rows, 1 });
        return new TensorDataset(inputs, targets, new SequenceLengths(lengths, width, perStep));
    }

    private static InputLayout Layout(bool tokens) =>
        tokens ? new TokenSequenceLayout(Vocabulary, 32, false) : new DenseSequenceLayout(StepSize, 32, false);

    public static IEnumerable<object[]> Networks()
    {
        foreach (var network in new[] { "attention", "attention-window", "lstm", "gru-bidirectional" })
            foreach (var tokens in new[] { true, false })
                foreach (var perStep in new[] { false, true })
                    yield return [network, tokens, perStep];
    }

    private static NetworkModule Build(string kind, bool tokens, bool perStep)
    {
        torch.manual_seed(3);
        var output = perStep ? SequenceOutput.PerStep : SequenceOutput.PerSequence;
        NetworkModule network = kind.StartsWith("attention")
            ? new AttentionNetwork(Layout(tokens), new AttentionOptions
            {
                ModelDimension = 8, Heads = 2, Layers = 2, FeedForwardSize = 12, MaxSequenceLength = 32, StepSize = StepSize, Output = output,
                PositionalEncoding = PositionalEncoding.Learned, Pooling = AttentionPooling.Last, AttentionWindow = kind.EndsWith("window") ? 2 : 0,
            }, 3)
            : new RnnNetwork(Layout(tokens), new RnnOptions
            {
                Cell = kind.StartsWith("lstm") ? RnnCell.Lstm : RnnCell.Gru, Bidirectional = kind.EndsWith("bidirectional"),
                HiddenSize = 5, EmbeddingSize = 4, StepSize = StepSize, Output = output, Readout = SequenceReadout.Mean,
            }, 3);
        network.eval();
        return network;
    }

    [TestMethod]
    [DynamicData(nameof(Networks))]
    public void BatchesCutToTheirLongestRowPredictWhatTheGloballyPaddedDataPredicts(string kind, bool tokens, bool perStep)
    {
        using var data = Data(tokens, perStep, seed: 5);
        using var network = Build(kind, tokens, perStep);
        using var _ = torch.no_grad();
        using var reference = network.forward(data.Inputs);
        var lengths = data.Lengths!;
        foreach (var batching in new[] { SequenceBatching.PerBatchPadding, SequenceBatching.LengthBuckets })
            foreach (bool shuffled in new[] { true, false })
            {
                using var generator = new Generator(11, device: CPU);
                var seen = new List<long>();
                foreach (var load in new InMemoryBatches(data, batching).Batches(BatchSize, shuffled ? generator : null))
                {
                    using var scope = torch.NewDisposeScope();
                    var (x, y) = load();
                    var rows = y.select(1, 0).data<float>().Select(v => (long)v).ToArray();
                    seen.AddRange(rows);
                    int longest = rows.Max(r => lengths.Steps[r]);
                    Assert.AreEqual((long)longest * (tokens ? 1 : StepSize), x.shape[1], $"{batching}: the batch is as wide as its longest row");
                    if (perStep)
                        Assert.AreEqual(longest, y.shape[1], "per-step targets are cut with the inputs");
                    var output = network.forward(x);
                    for (int i = 0; i < rows.Length; i++)
                    {
                        var expected = perStep ? reference[rows[i]].narrow(0, 0, lengths.Steps[rows[i]]) : reference[rows[i]];
                        var actual = perStep ? output[i].narrow(0, 0, lengths.Steps[rows[i]]) : output[i];
                        float difference = (expected - actual).abs().max().item<float>();
                        Assert.IsTrue(difference < 1e-5f, $"{kind} {batching}: row {rows[i]} differs by {difference}");
                    }
                }
                CollectionAssert.AreEquivalent(Enumerable.Range(0, Rows).Select(r => (long)r).ToArray(), seen.ToArray(),
                    $"{batching}: every row once per pass");
            }
    }

    [TestMethod]
    public void LengthBucketsHoldLittlePaddingAndDependOnlyOnTheSeed()
    {
        using var data = Data(tokens: true, perStep: false, seed: 7);
        var lengths = data.Lengths!;
        (long Cells, List<long[]> Batches) Pass(SequenceBatching batching, ulong seed)
        {
            using var generator = new Generator(seed, device: CPU);
            long cells = 0;
            var batches = new List<long[]>();
            foreach (var load in new InMemoryBatches(data, batching).Batches(BatchSize, generator))
            {
                using var scope = torch.NewDisposeScope();
                var (x, y) = load();
                cells += x.shape[0] * x.shape[1];
                batches.Add(y.select(1, 0).data<float>().Select(v => (long)v).ToArray());
            }
            return (cells, batches);
        }
        long real = lengths.Steps.Sum();
        var global = Pass(SequenceBatching.GlobalPadding, 1);
        var perBatch = Pass(SequenceBatching.PerBatchPadding, 1);
        var buckets = Pass(SequenceBatching.LengthBuckets, 1);
        Assert.AreEqual((long)Rows * lengths.Steps.Max(), global.Cells);
        Assert.IsTrue(perBatch.Cells < global.Cells * 0.8, $"per batch {perBatch.Cells} vs global {global.Cells}");
        Assert.IsTrue(buckets.Cells < real * 1.25 && buckets.Cells < perBatch.Cells * 0.6, $"buckets {buckets.Cells} cells for {real} real steps, per batch {perBatch.Cells}");
        CollectionAssert.AreEqual(global.Batches.SelectMany(b => b).ToArray(), perBatch.Batches.SelectMany(b => b).ToArray(),
            "per-batch padding keeps the shuffled order");

        var again = Pass(SequenceBatching.LengthBuckets, 1);
        var other = Pass(SequenceBatching.LengthBuckets, 2);
        Assert.IsTrue(buckets.Batches.Zip(again.Batches).All(p => p.First.SequenceEqual(p.Second)), "the same seed gives the same batches");
        Assert.IsFalse(buckets.Batches.Zip(other.Batches).All(p => p.First.SequenceEqual(p.Second)), "another seed gives other batches");
        Assert.IsTrue(buckets.Batches.Take(buckets.Batches.Count - 1).Any(b => b.Length == BatchSize));
    }

    public sealed class TokenRow
    {
        public string Text { get; set; } = "";
        public bool Label { get; set; }
    }

    /// <summary>Sentences of long-tailed length; the label says whether "x" occurs in the first three words.</summary>
    private static TokenRow[] EarlyMarker(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            int length = random.Next(8) == 0 ? random.Next(12, 40) : random.Next(4, 10);
            var words = Enumerable.Range(0, length).Select(_ => "w" + random.Next(6)).ToArray();
            bool marked = random.Next(2) == 0;
            if (marked)
                words[random.Next(3)] = "x";
            else
                words[random.Next(3, length)] = "x";
            return new TokenRow { Text = string.Join(' ', words), Label = marked };
        }).ToArray();
    }

    /// <summary>
    /// Without dropout, training on batches cut to their longest row is the same computation as training on globally
    /// padded batches of the same rows: the fitted models predict the same. Length buckets train as well.
    /// </summary>
    [TestMethod]
    [DataRow("attention")]
    [DataRow("lstm")]
    public void TrainingOnTrimmedBatchesGivesTheModelOfGlobalPadding(string kind)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(EarlyMarker(600, 1));
        var test = ml.Data.LoadFromEnumerable(EarlyMarker(300, 2));
        var featurizer = ml.Transforms.Text.TokenizeIntoWords("Words", "Text").Append(ml.Transforms.Conversion.MapValueToKey("Features", "Words")).Fit(train);
        var trainSet = ml.Data.Cache(featurizer.Transform(train));
        var testSet = featurizer.Transform(test);
        (float[] Scores, double Accuracy) Fit(SequenceBatching batching)
        {
            IEstimator<NetworkTransformer> trainer = kind == "attention"
                ? ml.BinaryClassification.Trainers.TorchAttention(new AttentionOptions
                {
                    ModelDimension = 16, Heads = 2, Layers = 1, FeedForwardSize = 32, Dropout = 0, Epochs = 6, LearningRate = 3e-3,
                    Batching = batching, Device = TorchDevice.Cpu, CpuThreads = 1, ValidationFraction = 0, EarlyStoppingPatience = 0,
                })
                : ml.BinaryClassification.Trainers.TorchRnn(new RnnOptions
                {
                    HiddenSize = 16, EmbeddingSize = 8, Epochs = 6, LearningRate = 1e-2, Batching = batching, Device = TorchDevice.Cpu, CpuThreads = 1,
                    ValidationFraction = 0, EarlyStoppingPatience = 0,
                });
            using var model = trainer.Fit(trainSet);
            var scored = model.Transform(testSet);
            return (TestData.Column(scored, "Score"), ml.BinaryClassification.Evaluate(scored).Accuracy);
        }
        var global = Fit(SequenceBatching.GlobalPadding);
        var perBatch = Fit(SequenceBatching.PerBatchPadding);
        var buckets = Fit(SequenceBatching.LengthBuckets);
        double largest = global.Scores.Zip(perBatch.Scores).Max(p => Math.Abs(p.First - p.Second));
        Assert.IsTrue(largest < 1e-3, $"{kind}: per-batch padding moved a score by {largest}");
        Assert.IsTrue(global.Accuracy > 0.9, $"{kind}: held-out accuracy {global.Accuracy:F3} (chance 0.5)");
        Assert.IsTrue(buckets.Accuracy > global.Accuracy - 0.05, $"{kind}: buckets {buckets.Accuracy:F3} vs global padding {global.Accuracy:F3}");
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

[TestClass]
public sealed class AttentionTrainerTests
{
    public sealed class SequenceRow
    {
        public string Text { get; set; } = "";
        public bool Label { get; set; }
    }

    /// <summary>50 filler tokens with one "A" and one "B" at random places; the label says whether A comes before B.</summary>
    internal static SequenceRow[] OrderTask(int count, int seed, int length = 50)
    {
        var random = new Random(seed);
        var rows = new SequenceRow[count];
        for (int i = 0; i < count; i++)
        {
            var tokens = Enumerable.Range(0, length).Select(_ => "f" + random.Next(8)).ToArray();
            int a = random.Next(length), b;
            do b = random.Next(length); while (b == a);
            tokens[a] = "A";
            tokens[b] = "B";
            rows[i] = new SequenceRow { Text = string.Join(' ', tokens), Label = a < b };
        }
        return rows;
    }

    /// <summary>50 random tokens; the label says whether the first and the last token are the same (half of the rows).</summary>
    internal static SequenceRow[] MatchTask(int count, int seed, int length = 50)
    {
        var random = new Random(seed);
        var rows = new SequenceRow[count];
        for (int i = 0; i < count; i++)
        {
            var tokens = Enumerable.Range(0, length).Select(_ => "t" + random.Next(8)).ToArray();
            bool same = random.Next(2) == 0;
            if (same)
                tokens[^1] = tokens[0];
            else
                while (tokens[^1] == tokens[0])
                    tokens[^1] = "t" + random.Next(8);
            rows[i] = new SequenceRow { Text = string.Join(' ', tokens), Label = same };
        }
        return rows;
    }

    internal static IEstimator<ITransformer> Tokens(MLContext ml) =>
        ml.Transforms.Text.TokenizeIntoWords("Words", "Text").Append(ml.Transforms.Conversion.MapValueToKey("Features", "Words"));

    [TestMethod]
    public void AttentionComparesFarApartTokensAndBeatsARecurrentNetwork()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(MatchTask(2000, 1));
        var test = ml.Data.LoadFromEnumerable(MatchTask(500, 2));
        var featurizer = Tokens(ml).Fit(train);
        var trainData = featurizer.Transform(train);
        var testData = featurizer.Transform(test);
        const int epochs = 10;
        using var attention = ml.BinaryClassification.Trainers.TorchAttention(new AttentionOptions
        {
            ModelDimension = 32, Heads = 4, Layers = 2, FeedForwardSize = 64, Dropout = 0, Epochs = epochs, LearningRate = 2e-3, Device = TorchDevice.Cpu,
            Pooling = AttentionPooling.Last,
        }).Fit(trainData);
        using var rnn = ml.BinaryClassification.Trainers.TorchRnn(new RnnOptions
        {
            Cell = RnnCell.Rnn, HiddenSize = 32, EmbeddingSize = 32, Epochs = epochs, LearningRate = 2e-3, Device = TorchDevice.Cpu,
        }).Fit(trainData);
        var a = ml.BinaryClassification.Evaluate(attention.Transform(testData));
        var r = ml.BinaryClassification.Evaluate(rnn.Transform(testData));
        Console.WriteLine($"first-equals-last over 50 tokens: attention {a.Accuracy:F4}, 1-layer RNN {r.Accuracy:F4}");
        Assert.IsTrue(a.Accuracy >= 0.9, $"attention held-out accuracy {a.Accuracy:F4}");
        Assert.IsTrue(a.Accuracy > r.Accuracy + 0.05, $"attention {a.Accuracy:F4} vs 1-layer RNN {r.Accuracy:F4}");
    }

    [TestMethod]
    public void AttentionModelSavesAndLoadsWithIdenticalPredictions()
    {
        var ml = new MLContext(seed: 1);
        var rows = OrderTask(200, 3, length: 12);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = Tokens(ml).Append(ml.BinaryClassification.Trainers.TorchAttention(new AttentionOptions
        {
            ModelDimension = 16, Heads = 2, Layers = 1, FeedForwardSize = 16, Epochs = 2, AttentionWindow = 3,
            PositionalEncoding = PositionalEncoding.Learned, MaxSequenceLength = 32, Pooling = AttentionPooling.ClassToken, Device = TorchDevice.Cpu,
        }));
        var model = pipeline.Fit(data);
        var probe = ml.Data.LoadFromEnumerable(rows.Take(10).Append(new SequenceRow { Text = "B unseen words A here" }).ToArray());
        string zip = Path.Combine(Path.GetTempPath(), $"mlext-attention-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, zip);
            var loaded = new MLContext().Model.Load(zip, out _);
            CollectionAssert.AreEqual(model.Transform(probe).GetColumn<float>("Score").ToArray(), loaded.Transform(probe).GetColumn<float>("Score").ToArray());
            (loaded as IDisposable)?.Dispose();
        }
        finally
        {
            (model as IDisposable)?.Dispose();
            File.Delete(zip);
        }
    }

    [TestMethod]
    public void VisionTransformerClassifiesTheShapes()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = ImageData.Shapes(ml);
        using var model = ml.MulticlassClassification.Trainers.TorchAttention(new AttentionOptions
        {
            PatchSize = 4, ImageHeight = ImageData.Size, ImageWidth = ImageData.Size, ImageChannels = 3,
            ModelDimension = 32, Heads = 4, Layers = 2, FeedForwardSize = 64, Dropout = 0, Epochs = 10, LearningRate = 2e-3, Device = TorchDevice.Cpu,
        }).Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.MicroAccuracy >= 0.7, $"patch attention held-out accuracy {metrics.MicroAccuracy:F4} (chance 0.25)");
    }

    [TestMethod]
    public void AttentionWeightsArePerHeadDistributionsThatRespectTheWindow()
    {
        var ml = new MLContext(seed: 1);
        var data = Tokens(ml).Fit(ml.Data.LoadFromEnumerable(MatchTask(100, 6, 12))).Transform(ml.Data.LoadFromEnumerable(MatchTask(100, 6, 12)));
        using var model = ml.BinaryClassification.Trainers.TorchAttention(new AttentionOptions
        {
            ModelDimension = 16, Heads = 2, Layers = 2, FeedForwardSize = 16, AttentionWindow = 3, Epochs = 1, Device = TorchDevice.Cpu,
        }).Fit(data);
        var weights = model.GetAttentionWeights(data, layer: 1, row: 4);
        Assert.AreEqual(2, weights.Length, "one matrix per head");
        foreach (var head in weights)
        {
            Assert.AreEqual(12, head.GetLength(0));
            Assert.AreEqual(12, head.GetLength(1));
            for (int q = 0; q < 12; q++)
            {
                double sum = 0;
                for (int k = 0; k < 12; k++)
                {
                    sum += head[q, k];
                    if (Math.Abs(q - k) > 3)
                        Assert.AreEqual(0f, head[q, k], $"query {q} must not see key {k}");
                }
                Assert.AreEqual(1.0, sum, 1e-5);
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => model.GetAttentionWeights(data, layer: 2));
    }

    [TestMethod]
    public void BadOptionsAreExplained()
    {
        var ml = new MLContext(seed: 1);
        var data = Tokens(ml).Fit(ml.Data.LoadFromEnumerable(OrderTask(20, 4, 60))).Transform(ml.Data.LoadFromEnumerable(OrderTask(20, 4, 60)));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.TorchAttention(new AttentionOptions { ModelDimension = 30, Heads = 4 }).Fit(data));
        StringAssert.Contains(e.Message, "divisible by Heads");
        var ex = Assert.Throws<InvalidDataException>(() => ml.BinaryClassification.Trainers.TorchAttention(new AttentionOptions
        {
            PositionalEncoding = PositionalEncoding.Learned, MaxSequenceLength = 50, Epochs = 1, Device = TorchDevice.Cpu,
        }).Fit(data));
        StringAssert.Contains(ex.Message, "MaxSequenceLength = 50");
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

/// <summary>Per-step outputs of TorchRnn and TorchAttention on the shipped tagging sets: accuracy bars, persistence, errors.</summary>
[TestClass]
public sealed class SequenceTaggingTests
{
    public sealed class TaggedText
    {
        public string Text { get; set; } = "";
        public string Tags { get; set; } = "";
    }

    public sealed class Tagged
    {
        public string[] PredictedTags { get; set; } = [];
    }

    private static ITransformer Fit(MLContext ml, IDataView train, IEstimator<ITransformer> tagger) =>
        ml.Transforms.TokenizeTaggedWordsAsKeys().Append(tagger).Fit(train);

    private static string[][] Predict(MLContext ml, ITransformer model, IDataView data) =>
        ml.Transforms.Conversion.MapKeyToValue("PredictedTags", "PredictedLabel").Fit(model.Transform(data))
            .Transform(model.Transform(data)).GetColumn<string[]>("PredictedTags").ToArray();

    [TestMethod]
    public void HelloBecomesOhlolExactly()
    {
        var ml = new MLContext(seed: 1);
        var data = SequenceLabelingDataTests.LoadTsv(ml, "char-hello.tsv");
        var model = Fit(ml, data, ml.MulticlassClassification.Trainers.TorchRnn(new RnnOptions
        {
            Output = SequenceOutput.PerStep, Cell = RnnCell.Rnn, HiddenSize = 16, EmbeddingSize = 8, Epochs = 150, BatchSize = 5, LearningRate = 0.02,
            ValidationFraction = 0, EarlyStoppingPatience = 0, // five rows, all to be learned
        }));
        var expected = SequenceLabelingDataTests.ReadRows("char-hello.tsv").Select(r => r.Tags).ToArray();
        var predicted = Predict(ml, model, data);
        for (int i = 0; i < expected.Length; i++)
            CollectionAssert.AreEqual(expected[i], predicted[i], $"row {i}: {string.Join(" ", predicted[i])}");

        // The typed prediction engine gives the tags back as strings, and a reloaded model predicts the same.
        var engine = ml.Model.CreatePredictionEngine<TaggedText, Tagged>(
            model.Append(ml.Transforms.Conversion.MapKeyToValue("PredictedTags", "PredictedLabel").Fit(model.Transform(data))));
        CollectionAssert.AreEqual("o h l o l".Split(' '), engine.Predict(new TaggedText { Text = "h e l l o", Tags = "o o o o o" }).PredictedTags);
        string zip = Path.Combine(Path.GetTempPath(), $"mlext-hello-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, zip);
            var loaded = new MLContext().Model.Load(zip, out _);
            var again = Predict(ml, loaded, data);
            for (int i = 0; i < expected.Length; i++)
                CollectionAssert.AreEqual(predicted[i], again[i], $"reloaded row {i}");
            CollectionAssert.AreEqual(model.Transform(data).GetColumn<float[]>("Score").SelectMany(s => s).ToArray(),
                loaded.Transform(data).GetColumn<float[]>("Score").SelectMany(s => s).ToArray(), "per-step probabilities");
            Assert.AreEqual("SequenceTagging", loaded.GetNetwork().Task);

            // A process that never loads libtorch tags the same.
            var output = LoadedModelTests.RunLoadCheck("--tag", zip, Path.Combine(TestData.DataDirectory, "char-hello.tsv"));
            Assert.AreEqual("libtorch-loaded: false", output[^1].Trim());
            CollectionAssert.AreEqual(predicted.Select(p => string.Join(" ", p)).ToArray(), output[..^1].Select(l => l.Trim()).ToArray());
        }
        finally
        {
            File.Delete(zip);
        }
    }

    [TestMethod]
    public void BidirectionalLstmFillsSlotsAndSeesTheFollowingWord()
    {
        var ml = new MLContext(seed: 1);
        var data = SequenceLabelingDataTests.LoadTsv(ml, "slot-filling.tsv");
        var train = ml.Data.TakeRows(data, 3200);
        var test = ml.Data.SkipRows(data, 3200);
        var testRows = SequenceLabelingDataTests.ReadRows("slot-filling.tsv").Skip(3200).ToArray();
        var slots = SequenceLabelingDataTests.FollowingWordSlots(testRows).ToArray();

        (double SpanF1, double SlotAccuracy) Score(bool bidirectional)
        {
            var model = Fit(ml, train, ml.MulticlassClassification.Trainers.TorchRnn(new RnnOptions
            {
                Output = SequenceOutput.PerStep, Cell = RnnCell.Lstm, Bidirectional = bidirectional, HiddenSize = 48, EmbeddingSize = 32,
                Epochs = 6, BatchSize = 32, LearningRate = 0.01, CpuThreads = 1,
            }));
            var metrics = ml.MulticlassClassification.EvaluateSequence(model.Transform(test));
            var predicted = Predict(ml, model, test);
            double slotAccuracy = slots.Count(s => predicted[s.Row][s.Step] == testRows[s.Row].Tags[s.Step]) / (double)slots.Length;
            return (metrics.Spans.F1, slotAccuracy);
        }

        var bi = Score(bidirectional: true);
        var uni = Score(bidirectional: false);
        Console.WriteLine($"bidirectional: span F1 {bi.SpanF1:F3}, following-word slots {bi.SlotAccuracy:F3}; unidirectional: {uni.SpanF1:F3}, {uni.SlotAccuracy:F3}");
        Assert.IsTrue(bi.SpanF1 >= 0.95, $"bidirectional LSTM span F1 {bi.SpanF1:F3}");
        Assert.IsTrue(bi.SlotAccuracy > 0.9, $"bidirectional LSTM on the following-word slots: {bi.SlotAccuracy:F3}");
        Assert.IsTrue(bi.SlotAccuracy > uni.SlotAccuracy + 0.25, $"bidirectional {bi.SlotAccuracy:F3} vs unidirectional {uni.SlotAccuracy:F3} on the following-word slots");
    }

    [TestMethod]
    public void PositionalEncodingLetsAttentionTagByPosition()
    {
        var ml = new MLContext(seed: 1);
        var data = SequenceLabelingDataTests.LoadTsv(ml, "position-parity.tsv");
        var train = ml.Data.TakeRows(data, 1600);
        var test = ml.Data.SkipRows(data, 1600);
        double Accuracy(PositionalEncoding encoding, int window)
        {
            var model = Fit(ml, train, ml.MulticlassClassification.Trainers.TorchAttention(new AttentionOptions
            {
                Output = SequenceOutput.PerStep, PositionalEncoding = encoding, AttentionWindow = window, MaxSequenceLength = 64,
                ModelDimension = 32, Heads = 4, Layers = 1, FeedForwardSize = 64, Dropout = 0, Epochs = 8, LearningRate = 0.003, CpuThreads = 1,
            }));
            return ml.MulticlassClassification.EvaluateSequence(model.Transform(test)).TokenAccuracy;
        }
        double sinusoidal = Accuracy(PositionalEncoding.Sinusoidal, 0), learned = Accuracy(PositionalEncoding.Learned, 2), none = Accuracy(PositionalEncoding.None, 0);
        Console.WriteLine($"token accuracy: sinusoidal {sinusoidal:F3}, learned (window 2) {learned:F3}, none {none:F3}");
        Assert.IsTrue(sinusoidal > 0.95, $"sinusoidal positions: {sinusoidal:F3}");
        Assert.IsTrue(learned > 0.95, $"learned positions, window 2: {learned:F3}");
        Assert.IsTrue(none < 0.7, $"without positions the encoder cannot tell odd from even positions: {none:F3}");
    }

    [TestMethod]
    public void ALabelVectorOfTheWrongLengthNamesTheRowAndBothLengths()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[]
        {
            new TaggedText { Text = "a b c", Tags = "x y x" },
            new TaggedText { Text = "b c", Tags = "y x y" },
        };
        var data = ml.Data.LoadFromEnumerable(rows);
        var e = Assert.Throws<InvalidDataException>(() => Fit(ml, data, ml.MulticlassClassification.Trainers.TorchRnn(new RnnOptions
        {
            Output = SequenceOutput.PerStep, Epochs = 1,
        })));
        StringAssert.Contains(e.Message, "row 1");
        StringAssert.Contains(e.Message, "3 tags");
        StringAssert.Contains(e.Message, "2 steps");

        var scalar = ml.Transforms.TokenizeTaggedWordsAsKeys().Append(ml.Transforms.Conversion.MapValueToKey("Single", "Text")).Fit(data).Transform(data);
        var wrongLabel = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.TorchRnn(new RnnOptions
        {
            Output = SequenceOutput.PerStep, LabelColumnName = "Single",
        }).Fit(scalar));
        StringAssert.Contains(wrongLabel.Message, "vector of keys");
        var binary = Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.TorchRnn(new RnnOptions
        {
            Output = SequenceOutput.PerStep,
        }).Fit(scalar));
        StringAssert.Contains(binary.Message, "multiclass catalog");
    }

    public sealed class SignalRow
    {
        public float[] Features { get; set; } = [];
        public float[] Label { get; set; } = [];
    }

    /// <summary>Sine waves of random length, frequency and phase; the features add N(0, 0.3²) noise to the label.</summary>
    private static SignalRow[] Signals(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            int length = random.Next(20, 41);
            double frequency = 0.1 + 0.3 * random.NextDouble(), phase = 2 * Math.PI * random.NextDouble();
            var clean = Enumerable.Range(0, length).Select(t => (float)Math.Sin(frequency * t + phase)).ToArray();
            var noisy = clean.Select(v => v + (float)(0.3 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();
            return new SignalRow { Features = noisy, Label = clean };
        }).ToArray();
    }

    [TestMethod]
    public void PerStepRegressionDenoisesASignal()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Signals(400, 1));
        var testRows = Signals(100, 2);
        var test = ml.Data.LoadFromEnumerable(testRows);
        var model = ml.Regression.Trainers.TorchRnn(new RnnOptions
        {
            Output = SequenceOutput.PerStep, Cell = RnnCell.Gru, Bidirectional = true, HiddenSize = 32, Epochs = 25, BatchSize = 16, LearningRate = 0.01, CpuThreads = 1,
        }).Fit(train);
        var scores = model.Transform(test).GetColumn<float[]>("Score").ToArray();
        double noise = 0, error = 0;
        long count = 0;
        for (int i = 0; i < testRows.Length; i++)
        {
            Assert.AreEqual(testRows[i].Label.Length, scores[i].Length, $"row {i}: one prediction per step");
            for (int t = 0; t < scores[i].Length; t++)
            {
                noise += Math.Pow(testRows[i].Features[t] - testRows[i].Label[t], 2);
                error += Math.Pow(scores[i][t] - testRows[i].Label[t], 2);
                count++;
            }
        }
        double noiseRmse = Math.Sqrt(noise / count), rmse = Math.Sqrt(error / count);
        Console.WriteLine($"noisy input RMSE {noiseRmse:F3}, denoised RMSE {rmse:F3}");
        Assert.IsTrue(rmse < 0.5 * noiseRmse, $"denoised RMSE {rmse:F3} against the input's {noiseRmse:F3}");

        string zip = Path.Combine(Path.GetTempPath(), $"mlext-denoise-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, train.Schema, zip);
            var loaded = new MLContext().Model.Load(zip, out _);
            CollectionAssert.AreEqual(scores.SelectMany(s => s).ToArray(), loaded.Transform(test).GetColumn<float[]>("Score").SelectMany(s => s).ToArray());
            Assert.AreEqual("StepRegression", loaded.GetNetwork().Task);
        }
        finally
        {
            File.Delete(zip);
        }
    }
}

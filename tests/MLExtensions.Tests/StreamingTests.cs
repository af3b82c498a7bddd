using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Training;
using TorchSharp;

namespace MLExtensions.Tests;

/// <summary>
/// Training data larger than <see cref="TorchTrainerOptions.MaxInMemoryBytes"/> streams through a cursor in shuffle
/// buffers: it trains as well as in memory, the same seed gives the same model, the checks still name the row, and
/// what needs all rows at once (validation split, label scaling, output bias, L-BFGS) still works.
/// </summary>
[TestClass]
public sealed class StreamingTests
{
    /// <summary>A data view that, like a text loader over a big file, does not know its row count; it counts the cursors opened.</summary>
    private sealed class UnknownCountView(IDataView inner) : IDataView
    {
        private int _cursors;

        public int CursorsOpened => _cursors;

        public bool CanShuffle => false;

        public DataViewSchema Schema => inner.Schema;

        public long? GetRowCount() => null;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            Interlocked.Increment(ref _cursors);
            return inner.GetRowCursor(columnsNeeded);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [GetRowCursor(columnsNeeded)];
    }

    /// <summary>A budget far below the data's size: 2,400 rows of 2 features take about 38 KB as tensors.</summary>
    private const long SmallBudget = 8 * 1024;

    private static List<string> Messages(MLContext ml)
    {
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        return messages;
    }

    [TestMethod]
    public void AStreamedFitOverUnknownRowCountTrainsAsWellAsInMemoryAndRepeats()
    {
        var ml = new MLContext(seed: 1);
        var messages = Messages(ml);
        var (train, test) = TestData.Split(ml, TestData.Load(ml, "binary-moons.csv", DataKind.Boolean));
        MlpOptions Options(long budget) => new()
        {
            HiddenLayerSizes = [32, 32], Epochs = 12, LearningRate = 0.01, BatchSize = 32, Device = TorchDevice.Cpu, CpuThreads = 1,
            MaxInMemoryBytes = budget, ShuffleBufferSize = 256,
        };
        (float[] Scores, double Accuracy) Fit(IDataView data, long budget)
        {
            using var model = ml.BinaryClassification.Trainers.TorchMlp(Options(budget)).Fit(data);
            var scored = model.Transform(test);
            return (TestData.Column(scored, "Score"), ml.BinaryClassification.Evaluate(scored).Accuracy);
        }

        var inMemory = Fit(train, 0);
        Assert.IsFalse(messages.Any(m => m.Contains("stream through a cursor")), "the default budget holds 2,400 rows");
        var view = new UnknownCountView(train);
        var streamed = Fit(view, SmallBudget);
        Assert.IsTrue(messages.Any(m => m.Contains("stream through a cursor")), string.Join("\n", messages.Take(5)));
        Assert.IsTrue(view.CursorsOpened >= 12 + 1, $"every epoch reads the data through a cursor ({view.CursorsOpened} cursors)");
        Assert.IsTrue(inMemory.Accuracy > 0.95 && streamed.Accuracy > 0.95, $"in memory {inMemory.Accuracy:F3}, streamed {streamed.Accuracy:F3}");
        Assert.AreEqual(inMemory.Accuracy, streamed.Accuracy, 0.03, "the same accuracy within noise");

        var again = Fit(new UnknownCountView(train), SmallBudget);
        CollectionAssert.AreEqual(streamed.Scores, again.Scores, "same seed, same streamed model bit for bit");
        var otherBuffer = ml.BinaryClassification.Trainers.TorchMlp(new MlpOptions
        {
            HiddenLayerSizes = [32, 32], Epochs = 12, LearningRate = 0.01, BatchSize = 32, Device = TorchDevice.Cpu, CpuThreads = 1,
            MaxInMemoryBytes = SmallBudget, ShuffleBufferSize = 64,
        }).Fit(new UnknownCountView(train));
        CollectionAssert.AreNotEqual(streamed.Scores, TestData.Column(otherBuffer.Transform(test), "Score"), "another buffer size shuffles differently");
    }

    [TestMethod]
    public void AStreamedValidationSplitHoldsOutTheFractionAndStopsEarly()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = TestData.Split(ml, TestData.LoadMulticlass(ml, "multiclass-spiral.csv"));
        var messages = Messages(ml);
        // 2,400 rows take about 38 KB: with 8 KB the held-out fifth (7.7 KB) streams too, with 20 KB it is read into memory once.
        foreach (long budget in new[] { SmallBudget, 20 * 1024 })
        {
            messages.Clear();
            var history = new List<TorchEpochRecord>();
            using var model = ml.MulticlassClassification.Trainers.TorchMlp(new MlpOptions
            {
                HiddenLayerSizes = [64, 64], Epochs = 60, LearningRate = 0.01, Device = TorchDevice.Cpu, CpuThreads = 1,
                ValidationFraction = 0.2, EarlyStoppingPatience = 5, MaxInMemoryBytes = budget, ShuffleBufferSize = 512, Progress = history.Add,
            }).Fit(new UnknownCountView(train));
            Assert.IsTrue(messages.Any(m => m.Contains("training rows do not fit")));
            Assert.AreEqual(budget == SmallBudget, messages.Any(m => m.Contains("validation rows do not fit")), $"budget {budget}");
            Assert.IsTrue(history.All(h => h.ValidationLoss is not null && h.ValidationMetric is not null));
            Assert.IsTrue(history.Count < 60, "early stopping");
            double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
            Assert.IsTrue(accuracy > 0.9, $"budget {budget}: held-out accuracy {accuracy:F3}");
        }

        var split = new RowSplit(seed: 1, fraction: 0.2);
        int heldOut = Enumerable.Range(0, 100_000).Count(r => split.HeldOut(r));
        Assert.AreEqual(20_000, heldOut, 600, "about a fifth of the rows");
        Assert.IsTrue(Enumerable.Range(0, 1000).All(r => split.HeldOut(r) == new RowSplit(1, 0.2).HeldOut(r)), "the same seed holds out the same rows");
        Assert.IsFalse(Enumerable.Range(0, 1000).All(r => split.HeldOut(r) == new RowSplit(2, 0.2).HeldOut(r)));
    }

    [TestMethod]
    public void StreamedChecksStillNameTheRow()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(1);
        var features = Enumerable.Range(0, 3000).Select(_ => new[] { (float)random.NextDouble(), (float)random.NextDouble() }).ToArray();
        var labels = features.Select(f => f[0] + 2 * f[1]).ToArray();
        features[2345][1] = float.NaN;
        var options = new LinearOptions { Epochs = 2, Device = TorchDevice.Cpu, MaxInMemoryBytes = SmallBudget, ShuffleBufferSize = 256 };
        var badFeature = Assert.ThrowsExactly<InvalidDataException>(() =>
            ml.Regression.Trainers.TorchLinearRegression(options).Fit(new UnknownCountView(TestData.Regression(ml, features, labels))));
        StringAssert.Contains(badFeature.Message, "row 2345, slot 1");
        StringAssert.Contains(badFeature.Message, "training data");

        features[2345][1] = 0.5f;
        labels[1777] = float.PositiveInfinity;
        var badLabel = Assert.ThrowsExactly<InvalidDataException>(() =>
            ml.Regression.Trainers.TorchLinearRegression(options).Fit(new UnknownCountView(TestData.Regression(ml, features, labels))));
        StringAssert.Contains(badLabel.Message, "row 1777");
        StringAssert.Contains(badLabel.Message, "Label");
    }

    [TestMethod]
    public void LabelScalingAndLbfgsSeeEveryStreamedRow()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(2);
        var features = Enumerable.Range(0, 2000).Select(_ => new[] { (float)random.NextDouble(), (float)random.NextDouble() }).ToArray();
        var labels = features.Select(f => 100 + 40 * f[0] - 25 * f[1] + (float)random.NextDouble()).ToArray();
        var data = TestData.Regression(ml, features, labels);
        var messages = Messages(ml);
        NetworkTransformer Fit(IDataView view, long budget) => ml.Regression.Trainers.TorchLinearRegression(new LinearOptions
        {
            Optimizer = TorchOptimizer.Lbfgs, Epochs = 30, Device = TorchDevice.Cpu, CpuThreads = 1, MaxInMemoryBytes = budget,
        }).Fit(view);
        using var inMemory = Fit(data, 0);
        using var streamed = Fit(new UnknownCountView(data), SmallBudget);
        Assert.AreEqual(1, messages.Count(m => m.Contains("stream through a cursor")));
        // Fewer rows than the label sample holds: the scale comes from every row, as in memory.
        Assert.AreEqual(inMemory.Metadata.GetDouble("label_mean"), streamed.Metadata.GetDouble("label_mean"), 1e-4);
        Assert.AreEqual(inMemory.Metadata.GetDouble("label_scale"), streamed.Metadata.GetDouble("label_scale"), 1e-5);
        // Full-batch L-BFGS sums the same loss over the streamed buffers: the same optimum.
        var a = TestData.Column(inMemory.Transform(data), "Score");
        var b = TestData.Column(streamed.Transform(data), "Score");
        Assert.IsTrue(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) < 1e-2, "streamed L-BFGS reaches the in-memory optimum");
        Assert.IsTrue(ml.Regression.Evaluate(streamed.Transform(data)).RSquared > 0.99);
    }

    [TestMethod]
    public void TokenSequencesStreamInLengthBuckets()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(RnnTrainerTests.Words(1500, 1));
        var test = ml.Data.LoadFromEnumerable(RnnTrainerTests.Words(500, 2));
        var featurizer = ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Features", "Text", useMarkerCharacters: false)
            .Append(ml.Transforms.Conversion.MapValueToKey("Label")).Fit(train);
        var messages = Messages(ml);
        using var model = ml.MulticlassClassification.Trainers.TorchRnn(new RnnOptions
        {
            HiddenSize = 32, EmbeddingSize = 16, Epochs = 8, LearningRate = 5e-3, Device = TorchDevice.Cpu, CpuThreads = 1,
            Batching = SequenceBatching.LengthBuckets, MaxInMemoryBytes = 16 * 1024, ShuffleBufferSize = 320, ValidationFraction = 0.1,
        }).Fit(new UnknownCountView(featurizer.Transform(train)));
        Assert.IsTrue(messages.Any(m => m.Contains("stream through a cursor")));
        var accuracy = ml.MulticlassClassification.Evaluate(model.Transform(featurizer.Transform(test))).MicroAccuracy;
        Assert.IsTrue(accuracy >= 0.9, $"held-out accuracy {accuracy:F3} (chance 0.5)");
    }

    public sealed class SignalRow
    {
        public float[] Features { get; set; } = [];
        public float[] Label { get; set; } = [];
    }

    [TestMethod]
    public void PerStepRegressionStreamsWithTheScaleOfAllRows()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(3);
        var rows = Enumerable.Range(0, 300).Select(_ =>
        {
            int length = random.Next(5, 30);
            double phase = 2 * Math.PI * random.NextDouble();
            var clean = Enumerable.Range(0, length).Select(t => 10 + 3 * (float)Math.Sin(0.3 * t + phase)).ToArray();
            return new SignalRow { Features = clean.Select(v => v + 3 * (float)(random.NextDouble() - 0.5)).ToArray(), Label = clean };
        }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var messages = Messages(ml);
        NetworkTransformer Fit(IDataView view, long budget) => ml.Regression.Trainers.TorchRnn(new RnnOptions
        {
            Output = SequenceOutput.PerStep, Cell = RnnCell.Gru, Bidirectional = true, HiddenSize = 12, Epochs = 8, BatchSize = 16,
            LearningRate = 0.01, Device = TorchDevice.Cpu, CpuThreads = 1, MaxInMemoryBytes = budget, ShuffleBufferSize = 64,
            ValidationFraction = 0, EarlyStoppingPatience = 0, // the scale of all rows, not of a held-out split
        }).Fit(view);
        using var inMemory = Fit(data, 0);
        using var streamed = Fit(new UnknownCountView(data), 8 * 1024);
        Assert.AreEqual(1, messages.Count(m => m.Contains("stream through a cursor")));
        Assert.AreEqual(inMemory.Metadata.GetDouble("label_mean"), streamed.Metadata.GetDouble("label_mean"), 1e-4);
        Assert.AreEqual(inMemory.Metadata.GetDouble("label_scale"), streamed.Metadata.GetDouble("label_scale"), 1e-5);
        var scores = streamed.Transform(data).GetColumn<float[]>("Score").ToArray();
        double error = 0, noise = 0;
        long count = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.AreEqual(rows[i].Label.Length, scores[i].Length);
            for (int t = 0; t < scores[i].Length; t++, count++)
            {
                error += Math.Pow(scores[i][t] - rows[i].Label[t], 2);
                noise += Math.Pow(rows[i].Features[t] - rows[i].Label[t], 2);
            }
        }
        Assert.IsTrue(Math.Sqrt(error / count) < Math.Sqrt(noise / count), $"RMSE {Math.Sqrt(error / count):F3} against the noise's {Math.Sqrt(noise / count):F3}");
    }

    [TestMethod]
    public void RowsReadWithAndWithoutAKnownCountAreTheRowsOfTheData()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(4);
        var features = Enumerable.Range(0, 3000).Select(_ => Enumerable.Range(0, 5).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        var definition = SchemaDefinition.Create(typeof(TestData.VectorRow));
        definition[nameof(TestData.VectorRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 5);
        var data = ml.Data.LoadFromEnumerable(features.Select(f => new TestData.VectorRow { Features = f, Label = f[0] }).ToArray(), definition);
        var layout = new MLExtensions.Inputs.DenseVectorLayout(5);
        var head = new MLExtensions.Tasks.RegressionHead(RegressionLoss.Mse, 1);
        var expected = features.SelectMany(f => f).ToArray();
        foreach (var view in new IDataView[] { data, new UnknownCountView(data) })
        {
            Assert.AreEqual(view == data ? 3000L : null, view.GetRowCount());
            using var all = MLExtensions.Inputs.DataReader.Read(view, "Features", layout, "Label", head, "training")!;
            CollectionAssert.AreEqual(new long[] { 3000, 5 }, all.Inputs.shape);
            CollectionAssert.AreEqual(expected, all.Inputs.data<float>().ToArray());
            Assert.IsNull(MLExtensions.Inputs.DataReader.Read(view, "Features", layout, "Label", head, "training", maxBytes: 10_000),
                "more than the budget: no data set");
        }
        using var reader = new MLExtensions.Inputs.ChunkReader(data, "Features", layout, "Label", head, "training");
        var chunks = new List<float>();
        long rows = 0;
        while (reader.Next(1000, 8_000, 256) is { } chunk)
            using (chunk)
            {
                Assert.IsTrue(chunk.Count % 256 == 0 || reader.Ended, $"a chunk of {chunk.Count} rows ends at a multiple of 256");
                Assert.IsTrue(chunk.Count <= 512, $"{chunk.Count} rows: chunks end once they hold 8,000 bytes");
                chunks.AddRange(chunk.Inputs.data<float>().ToArray());
                rows += chunk.Count;
            }
        Assert.AreEqual(3000, rows);
        CollectionAssert.AreEqual(expected, chunks.ToArray(), "chunks hold every row once, in order");
    }

    [TestMethod]
    public void TheTargetSampleIsUniformSeededAndBounded()
    {
        var values = Enumerable.Range(0, 10_000).Select(i => (float)i).ToArray();
        float[] Sample(int seed)
        {
            using var sample = new TargetSample(capacity: 500, seed);
            for (int start = 0; start < values.Length; start += 700)
            {
                using var chunk = torch.tensor(values.AsSpan(start, Math.Min(700, values.Length - start)).ToArray(), new long[] { Math.Min(700, values.Length - start), 1 });
                sample.Add(chunk);
            }
            Assert.AreEqual(10_000, sample.Offered);
            return sample.Targets.data<float>().ToArray();
        }
        var a = Sample(1);
        Assert.AreEqual(500, a.Length);
        Assert.AreEqual(500, a.Distinct().Count(), "rows are kept at most once");
        Assert.AreEqual(4999.5, a.Average(), 300, "a uniform sample's mean is near the data's");
        Assert.IsTrue(a.Count(v => v < 5000) is > 200 and < 300, "both halves of the data are sampled");
        CollectionAssert.AreEqual(a, Sample(1), "same seed, same sample");
        CollectionAssert.AreNotEqual(a, Sample(2));

        using var small = new TargetSample(capacity: 500, seed: 1);
        using var tags = torch.tensor(new long[] { 1, 2, -100, 3, -100, -100 }, new long[] { 2, 3 });
        using var longer = torch.tensor(new long[] { 4, 5, 6, 7 }, new long[] { 1, 4 });
        small.Add(tags);
        small.Add(longer);
        CollectionAssert.AreEqual(new long[] { 1, 2, -100, -100, 3, -100, -100, -100, 4, 5, 6, 7 }, small.Targets.data<long>().ToArray(),
            "per-step targets of different widths are padded as the tagging head pads them");
    }
}

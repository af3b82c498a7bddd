using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

/// <summary>
/// <c>TransformInBatches</c>: the columns of <c>Transform</c> (names, types, key values, slot names) with the same
/// values, for fitted and loaded models of every task, with batches that do not divide the rows.
/// </summary>
[TestClass]
public sealed class BatchScoringTests
{
    private static void AssertSameColumns(IDataView expected, IDataView actual, params string[] columns)
    {
        foreach (var name in columns)
        {
            var e = expected.Schema[name];
            var a = actual.Schema[name];
            Assert.AreEqual(e.Type, a.Type, name);
            CollectionAssert.AreEqual(e.Annotations.Schema.Select(c => c.Name).ToArray(), a.Annotations.Schema.Select(c => c.Name).ToArray(), $"{name} annotations");
        }
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.AreEqual(expected.Length, actual.Length, what);
        double largest = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
        Assert.IsTrue(largest <= tolerance, $"{what}: largest difference {largest}");
    }

    private static T Reload<T>(MLContext ml, ITransformer model, DataViewSchema schema, Func<ITransformer, T> use)
    {
        string zip = Path.Combine(Path.GetTempPath(), $"mlext-batch-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, schema, zip);
            return use(new MLContext(seed: 1).Model.Load(zip, out _));
        }
        finally
        {
            File.Delete(zip);
        }
    }

    [TestMethod]
    public void MulticlassBatchesGiveTheColumnsAndValuesOfTransformBeforeAndAfterSaving()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = TestData.Split(ml, TestData.LoadMulticlass(ml, "multiclass-spiral.csv"));
        var model = ml.MulticlassClassification.Trainers.TorchMlp(new MlpOptions
        {
            HiddenLayerSizes = [32, 32], Epochs = 10, LearningRate = 0.01, Device = TorchDevice.Cpu, CpuThreads = 1,
        }).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel")).Fit(train);

        void Check(ITransformer m)
        {
            var rowByRow = m.Transform(test);
            var batched = m.TransformInBatches(test, batchSize: 128); // 600 rows: four full batches and a partial one
            AssertSameColumns(rowByRow, batched, "Score", "PredictedLabel", "PredictedName", "Label");
            AssertClose(rowByRow.GetColumn<float[]>("Score").SelectMany(s => s).ToArray(),
                batched.GetColumn<float[]>("Score").SelectMany(s => s).ToArray(), 1e-5, "Score");
            CollectionAssert.AreEqual(rowByRow.GetColumn<uint>("PredictedLabel").ToArray(), batched.GetColumn<uint>("PredictedLabel").ToArray());
            CollectionAssert.AreEqual(rowByRow.GetColumn<string>("PredictedName").ToArray(), batched.GetColumn<string>("PredictedName").ToArray());
            var slots = default(VBuffer<ReadOnlyMemory<char>>);
            batched.Schema["Score"].GetSlotNames(ref slots);
            CollectionAssert.AreEquivalent(new[] { "blue", "green", "red" }, slots.DenseValues().Select(s => s.ToString()).ToArray());
            var a = ml.MulticlassClassification.Evaluate(rowByRow);
            var b = ml.MulticlassClassification.Evaluate(batched);
            Assert.AreEqual(a.MicroAccuracy, b.MicroAccuracy, 1e-12);
            Assert.AreEqual(a.LogLoss, b.LogLoss, 1e-5);
            Assert.IsTrue(b.MicroAccuracy > 0.8, $"accuracy {b.MicroAccuracy:F3}");
        }
        Check(model);
        Reload(ml, model, train.Schema, loaded => { Check(loaded); return 0; });
    }

    [TestMethod]
    public void BinaryAndRegressionBatchesMatchTransform()
    {
        var ml = new MLContext(seed: 1);
        var moons = TestData.Load(ml, "binary-moons.csv", DataKind.Boolean);
        using var binary = ml.BinaryClassification.Trainers.TorchMlp(new MlpOptions { HiddenLayerSizes = [16], Epochs = 3, Device = TorchDevice.Cpu }).Fit(moons);
        var rowByRow = binary.Transform(moons);
        var batched = binary.TransformInBatches(moons, batchSize: 1000);
        AssertSameColumns(rowByRow, batched, "Score", "Probability", "PredictedLabel");
        AssertClose(TestData.Column(rowByRow, "Score"), TestData.Column(batched, "Score"), 1e-5, "Score");
        AssertClose(TestData.Column(rowByRow, "Probability"), TestData.Column(batched, "Probability"), 1e-6, "Probability");
        CollectionAssert.AreEqual(rowByRow.GetColumn<bool>("PredictedLabel").ToArray(), batched.GetColumn<bool>("PredictedLabel").ToArray());

        var friedman = TestData.Load(ml, "friedman.csv", DataKind.Single);
        using var regression = ml.Regression.Trainers.TorchMlp(new MlpOptions { HiddenLayerSizes = [16], Epochs = 3, Device = TorchDevice.Cpu }).Fit(friedman);
        AssertClose(TestData.Column(regression.Transform(friedman), "Score"), TestData.Column(regression.TransformInBatches(friedman, 77), "Score"), 1e-4,
            "regression Score (label units)");
        Assert.AreEqual(ml.Regression.Evaluate(regression.Transform(friedman)).RootMeanSquaredError,
            ml.Regression.Evaluate(regression.TransformInBatches(friedman)).RootMeanSquaredError, 1e-4);
    }

    [TestMethod]
    public void SequenceBatchesArePaddedPerBatchAndPredictWhatEachRowPredicts()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(RnnTrainerTests.Words(400, 1));
        var featurize = ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Features", "Text", useMarkerCharacters: false)
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"));
        var model = featurize.Append(ml.MulticlassClassification.Trainers.TorchAttention(new AttentionOptions
        {
            ModelDimension = 16, Heads = 2, Layers = 1, FeedForwardSize = 16, Epochs = 2, Device = TorchDevice.Cpu, CpuThreads = 1,
        })).Fit(train);
        var test = ml.Data.LoadFromEnumerable(RnnTrainerTests.Words(300, 2)); // words of 3 to 12 characters
        AssertClose(model.Transform(test).GetColumn<float[]>("Score").SelectMany(s => s).ToArray(),
            model.TransformInBatches(test, 64).GetColumn<float[]>("Score").SelectMany(s => s).ToArray(), 1e-5, "attention on tokens");

        var data = ml.Data.TakeRows(SequenceLabelingDataTests.LoadTsv(ml, "slot-filling.tsv"), 1000);
        var tagger = ml.Transforms.TokenizeTaggedWordsAsKeys().Append(ml.MulticlassClassification.Trainers.TorchRnn(new RnnOptions
        {
            Output = SequenceOutput.PerStep, Cell = RnnCell.Gru, HiddenSize = 16, EmbeddingSize = 8, Epochs = 2, Device = TorchDevice.Cpu, CpuThreads = 1,
        })).Fit(data);
        Reload(ml, tagger, data.Schema, loaded =>
        {
            var rowByRow = loaded.Transform(data);
            var batched = loaded.TransformInBatches(data, 50);
            AssertSameColumns(rowByRow, batched, "Score", "PredictedLabel");
            var expected = rowByRow.GetColumn<float[]>("Score").ToArray();
            var actual = batched.GetColumn<float[]>("Score").ToArray();
            CollectionAssert.AreEqual(expected.Select(s => s.Length).ToArray(), actual.Select(s => s.Length).ToArray(), "steps × classes per row");
            AssertClose(expected.SelectMany(s => s).ToArray(), actual.SelectMany(s => s).ToArray(), 1e-5, "tag probabilities");
            CollectionAssert.AreEqual(rowByRow.GetColumn<uint[]>("PredictedLabel").SelectMany(s => s).ToArray(),
                batched.GetColumn<uint[]>("PredictedLabel").SelectMany(s => s).ToArray());
            return 0;
        });
    }

    [TestMethod]
    public void BadInputGetsTheMessageOfTransform()
    {
        var ml = new MLContext(seed: 1);
        var moons = TestData.Load(ml, "binary-moons.csv", DataKind.Boolean);
        using var model = ml.BinaryClassification.Trainers.TorchLogisticRegression(new LinearOptions { Epochs = 1, Device = TorchDevice.Cpu }).Fit(moons);
        var other = ml.Transforms.Concatenate("Features", "X1").Fit(moons).Transform(moons);
        var expected = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(other));
        var actual = Assert.Throws<ArgumentOutOfRangeException>(() => model.TransformInBatches(other));
        Assert.AreEqual(expected.Message, actual.Message);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.TransformInBatches(moons, batchSize: 0));
    }
}

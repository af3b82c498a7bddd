using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

[TestClass]
public sealed class BadInputTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static IDataView Rows(params (float[] Features, float Label)[] rows) =>
        TestData.Regression(Ml, rows.Select(r => r.Features).ToArray(), rows.Select(r => r.Label).ToArray());

    private static IDataView Good => Rows(([1f, 2f], 1f), ([2f, 1f], 0f), ([0f, 1f], 2f));

    private static LinearOptions Quick => new() { Epochs = 1, Device = TorchDevice.Cpu };

    private static void AssertMessage(Exception e, params string[] parts)
    {
        foreach (var part in parts)
            StringAssert.Contains(e.Message, part);
    }

    [TestMethod]
    public void MissingColumnsAreNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => Ml.Regression.Trainers.TorchLinearRegression(new LinearOptions { FeatureColumnName = "Pixels", Epochs = 1 }).Fit(Good));
        AssertMessage(e, "'Pixels'", "feature");
        e = Assert.Throws<ArgumentException>(() => Ml.Regression.Trainers.TorchLinearRegression(new LinearOptions { LabelColumnName = "Price", Epochs = 1 }).Fit(Good));
        AssertMessage(e, "'Price'", "label");
        e = Assert.Throws<ArgumentException>(() => Ml.Regression.Trainers.TorchLinearRegression(new LinearOptions { LabelColumnName = "Price" }).GetOutputSchema(TestData.Shape(Good.Schema)));
        AssertMessage(e, "'Price'");
    }

    [TestMethod]
    public void FeatureColumnMustBeAKnownSizeFloatVector()
    {
        var scalar = Ml.Data.LoadFromEnumerable([new ScalarRow { Features = 1, Label = 1 }, new ScalarRow { Features = 2, Label = 0 }]);
        var e = Assert.Throws<ArgumentException>(() => Ml.Regression.Trainers.TorchLinearRegression(Quick).Fit(scalar));
        AssertMessage(e, "'Features'", "known-size vector of Single");

        var variable = Ml.Data.LoadFromEnumerable([new VariableRow { Features = [1f, 2f], Label = 1 }, new VariableRow { Features = [1f], Label = 0 }]);
        e = Assert.Throws<ArgumentException>(() => Ml.Regression.Trainers.TorchLinearRegression(Quick).Fit(variable));
        AssertMessage(e, "'Features'", "known-size vector of Single");
    }

    [TestMethod]
    public void WrongVectorSizeAtPredictionIsReported()
    {
        using var model = Ml.Regression.Trainers.TorchLinearRegression(Quick).Fit(Good);
        var wide = TestData.Features(Ml, [[1f, 2f, 3f]]);
        var e = Assert.Throws<ArgumentException>(() => model.Transform(wide));
        AssertMessage(e, "'Features'", "3", "2");

        string zip = Path.Combine(Path.GetTempPath(), $"mlext-size-{Guid.NewGuid():N}.zip");
        try
        {
            Ml.Model.Save(model, Good.Schema, zip);
            var loaded = new MLContext().Model.Load(zip, out _);
            var ex = Assert.Throws<Exception>(() => loaded.Transform(wide).GetColumn<float>("Score").ToArray());
            StringAssert.Contains(ex.Message, "Features");
        }
        finally
        {
            File.Delete(zip);
        }
    }

    [TestMethod]
    public void NonFiniteValuesNameTheRow()
    {
        var e = Assert.Throws<InvalidDataException>(() => Ml.Regression.Trainers.TorchLinearRegression(Quick).Fit(Rows(([1f, 2f], 1f), ([float.NaN, 1f], 0f))));
        AssertMessage(e, "'Features'", "row 1", "NaN");
        e = Assert.Throws<InvalidDataException>(() => Ml.Regression.Trainers.TorchLinearRegression(Quick).Fit(Rows(([1f, 2f], 1f), ([1f, 1f], 0f), ([1f, float.PositiveInfinity], 0f))));
        AssertMessage(e, "'Features'", "row 2");
        e = Assert.Throws<InvalidDataException>(() => Ml.Regression.Trainers.TorchLinearRegression(Quick).Fit(Rows(([1f, 2f], float.NaN))));
        AssertMessage(e, "'Label'", "row 0");
    }

    [TestMethod]
    public void LabelTypesAreChecked()
    {
        var e = Assert.Throws<ArgumentException>(() => Ml.MulticlassClassification.Trainers.TorchSoftmaxRegression(Quick).Fit(Good));
        AssertMessage(e, "'Label'", "key", "MapValueToKey");
        e = Assert.Throws<ArgumentException>(() => Ml.BinaryClassification.Trainers.TorchLogisticRegression(Quick).Fit(Good));
        AssertMessage(e, "'Label'", "Boolean");
        var boolLabels = Ml.Data.LoadFromEnumerable([new BoolRow { Features = [1f, 2f], Label = true }]);
        e = Assert.Throws<ArgumentException>(() => Ml.Regression.Trainers.TorchLinearRegression(Quick).Fit(boolLabels));
        AssertMessage(e, "'Label'", "Single");
        e = Assert.Throws<ArgumentException>(() => Ml.MulticlassClassification.Trainers.TorchSoftmaxRegression(Quick).GetOutputSchema(TestData.Shape(Good.Schema)));
        AssertMessage(e, "'Label'", "key");
    }

    [TestMethod]
    public void EmptyDataIsRejected()
    {
        var empty = Ml.Data.FilterRowsByColumn(Good, "Label", lowerBound: 100, upperBound: 200);
        var e = Assert.Throws<InvalidOperationException>(() => Ml.Regression.Trainers.TorchLinearRegression(Quick).Fit(empty));
        AssertMessage(e, "no rows");
    }

    [TestMethod]
    public void BadOptionsAreRejected()
    {
        var batch = Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Regression.Trainers.TorchLinearRegression(new LinearOptions { BatchSize = -1 }).Fit(Good));
        AssertMessage(batch, "BatchSize", "0 to choose it");
        Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Regression.Trainers.TorchLinearRegression(new LinearOptions { Epochs = 0 }).Fit(Good));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Regression.Trainers.TorchLinearRegression(new LinearOptions { LearningRate = -0.1 }).Fit(Good));
        AssertMessage(e, "LearningRate");
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Regression.Trainers.TorchLinearRegression(new LinearOptions { Device = (TorchDevice)42 }).Fit(Good));
        AssertMessage(e, "Unknown device");
        Assert.Throws<ArgumentException>(() => Ml.Regression.Trainers.TorchLinearRegression(new LinearOptions { EarlyStoppingPatience = 2 }).Fit(Good));
        // Turning validation off while the default patience stays: the message says which setting to change as well.
        var patience = Assert.Throws<ArgumentException>(() => Ml.Regression.Trainers.TorchMlp(new MlpOptions { ValidationFraction = 0 }).Fit(Good));
        AssertMessage(patience, "EarlyStoppingPatience (10) needs validation data", "EarlyStoppingPatience = 0");
        // Too few rows for the default validation fraction: the message says how to train on them.
        var few = Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Regression.Trainers.TorchMlp(new MlpOptions()).Fit(Good));
        AssertMessage(few, "ValidationFraction 0.1 of 3 rows", "ValidationFraction = 0 and EarlyStoppingPatience = 0");
        Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Regression.Trainers.TorchMlp(new MlpOptions { HiddenLayerSizes = [4, 0] }).Fit(Good));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Regression.Trainers.TorchMlp(new MlpOptions { Dropout = 1.0 }).Fit(Good));
    }

    [TestMethod]
    public void CudaWithoutCudaIsAClearError()
    {
        if (TorchSharp.torch.cuda.is_available())
            Assert.Inconclusive("This machine has CUDA.");
        var e = Assert.Throws<InvalidOperationException>(() => Ml.Regression.Trainers.TorchLinearRegression(new LinearOptions { Device = TorchDevice.Cuda, Epochs = 1 }).Fit(Good));
        AssertMessage(e, "CUDA is not available", "TorchSharp-cuda");
    }

    public sealed class ScalarRow
    {
        public float Features { get; set; }
        public float Label { get; set; }
    }

    public sealed class VariableRow
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    public sealed class BoolRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }
}

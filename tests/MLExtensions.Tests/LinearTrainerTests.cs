using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

[TestClass]
public sealed class LinearTrainerTests
{
    /// <summary>The classic "linear regression from scratch" run: y = 2·x1 − 3.4·x2 + 4.2 + noise, SGD lr 0.03, batch 10, 3 epochs.</summary>
    [TestMethod]
    public void LinearRegressionRecoversTheGeneratingWeights()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Load(ml, "linear.csv", DataKind.Single);
        var trainer = ml.Regression.Trainers.TorchLinearRegression(new LinearOptions
        {
            Optimizer = TorchOptimizer.Sgd, LearningRate = 0.03, BatchSize = 10, Epochs = 3, WeightDecay = 0, // the recipe has no L2 penalty
            WeightInitialization = WeightInitialization.Normal, InitScale = 0.01, Device = TorchDevice.Cpu,
        });
        using var model = trainer.Fit(data);

        var probe = TestData.Features(ml, [[0f, 0f], [1f, 0f], [0f, 1f]]);
        var scores = TestData.Column(model.Transform(probe), "Score");
        double b = scores[0], w1 = scores[1] - b, w2 = scores[2] - b;
        Assert.AreEqual(4.2, b, 0.002, "bias");
        Assert.AreEqual(2.0, w1, 0.002, "w1");
        Assert.AreEqual(-3.4, w2, 0.002, "w2");
        Assert.AreEqual(3, model.History.Count);
        Assert.IsTrue(model.History[^1].TrainLoss < 1e-3, $"final MSE {model.History[^1].TrainLoss}");
    }

    [TestMethod]
    [DataRow(RegressionLoss.Mae)]
    [DataRow(RegressionLoss.Huber)]
    public void RobustLossesFitTheLinearData(RegressionLoss loss)
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Load(ml, "linear.csv", DataKind.Single);
        var (train, test) = TestData.Split(ml, data);
        using var model = ml.Regression.Trainers.TorchLinearRegression(new LinearOptions
        {
            Loss = loss, HuberDelta = 0.5, Optimizer = TorchOptimizer.Adam, LearningRate = 0.01, Epochs = 30, BatchSize = 32, Device = TorchDevice.Cpu,
        }).Fit(train);
        var metrics = ml.Regression.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.RSquared > 0.999, $"R² {metrics.RSquared}");
        Assert.IsTrue(metrics.RootMeanSquaredError < 0.05, $"RMSE {metrics.RootMeanSquaredError}");
    }

    [TestMethod]
    public void LogisticRegressionMatchesLbfgsLogisticRegression()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = TestData.Split(ml, TestData.Load(ml, "binary-linear.csv", DataKind.Boolean));
        var reference = ml.BinaryClassification.Evaluate(
            ml.BinaryClassification.Trainers.LbfgsLogisticRegression().Fit(train).Transform(test));
        using var model = ml.BinaryClassification.Trainers.TorchLogisticRegression(new LinearOptions
        {
            Epochs = 20, BatchSize = 64, LearningRate = 0.01, Device = TorchDevice.Cpu,
        }).Fit(train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        Assert.AreEqual(reference.Accuracy, metrics.Accuracy, 0.01, $"ours {metrics.Accuracy:F4} vs L-BFGS {reference.Accuracy:F4}");
        Assert.AreEqual(reference.AreaUnderRocCurve, metrics.AreaUnderRocCurve, 0.01);
        Assert.IsTrue(metrics.LogLoss < reference.LogLoss + 0.02, $"log-loss {metrics.LogLoss} vs {reference.LogLoss}");
        Assert.IsTrue(metrics.F1Score > 0.8, $"F1 {metrics.F1Score}");
    }

    [TestMethod]
    public void SoftmaxRegressionMatchesLbfgsMaximumEntropy()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = TestData.Split(ml, TestData.LoadMulticlass(ml, "multiclass-blobs.csv"));
        var reference = ml.MulticlassClassification.Evaluate(
            ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy().Fit(train).Transform(test));
        using var model = ml.MulticlassClassification.Trainers.TorchSoftmaxRegression(new LinearOptions
        {
            Epochs = 20, BatchSize = 64, LearningRate = 0.01, Device = TorchDevice.Cpu,
        }).Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Assert.AreEqual(reference.MicroAccuracy, metrics.MicroAccuracy, 0.01, $"ours {metrics.MicroAccuracy:F4} vs L-BFGS {reference.MicroAccuracy:F4}");
        Assert.AreEqual(reference.MacroAccuracy, metrics.MacroAccuracy, 0.015);
        Assert.IsTrue(metrics.LogLoss < reference.LogLoss + 0.03, $"log-loss {metrics.LogLoss} vs {reference.LogLoss}");
        Assert.AreEqual(5, metrics.ConfusionMatrix.NumberOfClasses);
    }

    [TestMethod]
    public void PredictedLabelMapsBackToTheOriginalClassNames()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = TestData.Split(ml, TestData.LoadMulticlass(ml, "multiclass-blobs.csv"));
        using var model = ml.MulticlassClassification.Trainers.TorchSoftmaxRegression(epochs: 5, learningRate: 0.02).Fit(train);
        var output = model.Transform(test);
        var scored = ml.Transforms.Conversion.MapKeyToValue("PredictedText", "PredictedLabel")
            .Append(ml.Transforms.Conversion.MapKeyToValue("LabelText", "Label"))
            .Fit(output).Transform(output);
        var predicted = scored.GetColumn<ReadOnlyMemory<char>>("PredictedText").Select(v => v.ToString()).ToArray();
        var truth = scored.GetColumn<ReadOnlyMemory<char>>("LabelText").Select(v => v.ToString()).ToArray();
        var names = new HashSet<string> { "alpha", "beta", "gamma", "delta", "epsilon" };
        Assert.IsTrue(predicted.All(names.Contains), "predicted labels are class names");
        double agreement = predicted.Zip(truth).Count(p => p.First == p.Second) / (double)truth.Length;
        var metrics = ml.MulticlassClassification.Evaluate(output);
        Assert.AreEqual(metrics.MicroAccuracy, agreement, 1e-9, "text-level accuracy equals key-level accuracy");

        // Score's slot names are the class names in key order, as the label's key values.
        var slotNames = default(VBuffer<ReadOnlyMemory<char>>);
        output.Schema["Score"].GetSlotNames(ref slotNames);
        var labelValues = default(VBuffer<ReadOnlyMemory<char>>);
        test.Schema["Label"].GetKeyValues(ref labelValues);
        CollectionAssert.AreEqual(labelValues.DenseValues().Select(v => v.ToString()).ToArray(),
            slotNames.DenseValues().Select(v => v.ToString()).ToArray());
        Assert.IsTrue(agreement > 0.7, $"text-level accuracy {agreement}");
    }
}

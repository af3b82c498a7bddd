using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

[TestClass]
public sealed class MlpTrainerTests
{
    [TestMethod]
    public void MlpBeatsLogisticRegressionOnTheMoons()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = TestData.Split(ml, TestData.Load(ml, "binary-moons.csv", DataKind.Boolean));
        var linear = ml.BinaryClassification.Evaluate(
            ml.BinaryClassification.Trainers.LbfgsLogisticRegression().Fit(train).Transform(test));
        using var model = ml.BinaryClassification.Trainers.TorchMlp(new MlpOptions
        {
            HiddenLayerSizes = [32, 32], Activation = Activation.Tanh, Epochs = 40, BatchSize = 32, LearningRate = 0.01, Device = TorchDevice.Cpu,
        }).Fit(train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.Accuracy >= 0.95, $"MLP accuracy {metrics.Accuracy:F4}");
        Assert.IsTrue(metrics.Accuracy > linear.Accuracy + 0.05, $"MLP {metrics.Accuracy:F4} vs linear {linear.Accuracy:F4}");
        Assert.IsTrue(metrics.AreaUnderRocCurve > 0.98, $"AUC {metrics.AreaUnderRocCurve:F4}");
    }

    [TestMethod]
    public void MlpBeatsMaximumEntropyOnTheSpiral()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = TestData.Split(ml, TestData.LoadMulticlass(ml, "multiclass-spiral.csv"));
        var linear = ml.MulticlassClassification.Evaluate(
            ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy().Fit(train).Transform(test));
        using var model = ml.MulticlassClassification.Trainers.TorchMlp(new MlpOptions
        {
            HiddenLayerSizes = [64, 64], Epochs = 60, BatchSize = 32, LearningRate = 0.01, Device = TorchDevice.Cpu,
        }).Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.MicroAccuracy >= 0.9, $"MLP accuracy {metrics.MicroAccuracy:F4}");
        Assert.IsTrue(metrics.MicroAccuracy > linear.MicroAccuracy + 0.2, $"MLP {metrics.MicroAccuracy:F4} vs linear {linear.MicroAccuracy:F4}");
    }

    [TestMethod]
    public void MlpRegressionBeatsLinearRegressionOnFriedman()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = TestData.Split(ml, TestData.Load(ml, "friedman.csv", DataKind.Single));
        using var linear = ml.Regression.Trainers.TorchLinearRegression(new LinearOptions { Epochs = 30, LearningRate = 0.05, Device = TorchDevice.Cpu }).Fit(train);
        using var mlp = ml.Regression.Trainers.TorchMlp(new MlpOptions
        {
            HiddenLayerSizes = [64, 64], Epochs = 60, LearningRate = 0.005, Device = TorchDevice.Cpu,
        }).Fit(train);
        var linearMetrics = ml.Regression.Evaluate(linear.Transform(test));
        var mlpMetrics = ml.Regression.Evaluate(mlp.Transform(test));
        Assert.IsTrue(mlpMetrics.RSquared > 0.85, $"MLP R² {mlpMetrics.RSquared:F4}");
        Assert.IsTrue(mlpMetrics.RSquared > linearMetrics.RSquared + 0.05, $"MLP R² {mlpMetrics.RSquared:F4} vs linear {linearMetrics.RSquared:F4}");
    }

    [TestMethod]
    [DataRow(Activation.Sigmoid)]
    [DataRow(Activation.Tanh)]
    [DataRow(Activation.Relu)]
    [DataRow(Activation.LeakyRelu)]
    [DataRow(Activation.Elu)]
    [DataRow(Activation.Selu)]
    [DataRow(Activation.Relu6)]
    [DataRow(Activation.Softplus)]
    [DataRow(Activation.Softsign)]
    public void EveryActivationLearnsTheMoons(Activation activation)
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = TestData.Split(ml, TestData.Load(ml, "binary-moons.csv", DataKind.Boolean));
        using var model = ml.BinaryClassification.Trainers.TorchMlp(new MlpOptions
        {
            HiddenLayerSizes = [32, 32], Activation = activation, Epochs = 25, BatchSize = 32, LearningRate = 0.01,
            Dropout = 0.05, Device = TorchDevice.Cpu,
        }).Fit(train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.Accuracy >= 0.9, $"{activation}: accuracy {metrics.Accuracy:F4}");
    }

    [TestMethod]
    public void CrossValidateWorksWithTorchTrainers()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Load(ml, "binary-moons.csv", DataKind.Boolean);
        var results = ml.BinaryClassification.CrossValidate(data,
            ml.BinaryClassification.Trainers.TorchMlp(new MlpOptions { HiddenLayerSizes = [16], Epochs = 10, LearningRate = 0.02, Device = TorchDevice.Cpu }),
            numberOfFolds: 3);
        Assert.AreEqual(3, results.Count);
        Assert.IsTrue(results.All(r => r.Metrics.Accuracy > 0.85), string.Join(", ", results.Select(r => r.Metrics.Accuracy)));
    }
}

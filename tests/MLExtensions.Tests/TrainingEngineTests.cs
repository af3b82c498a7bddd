using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

[TestClass]
public sealed class TrainingEngineTests
{
    [TestMethod]
    public void SameSeedGivesIdenticalPredictionsAndAnotherSeedDoesNot()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Load(ml, "binary-moons.csv", DataKind.Boolean);
        float[] Train(int seed)
        {
            using var model = ml.BinaryClassification.Trainers.TorchMlp(new MlpOptions
            {
                HiddenLayerSizes = [16], Dropout = 0.2, Epochs = 3, Seed = seed, ValidationFraction = 0.2, Device = TorchDevice.Cpu,
            }).Fit(data);
            return TestData.Column(model.Transform(data), "Score");
        }
        var a = Train(7);
        var b = Train(7);
        var c = Train(8);
        CollectionAssert.AreEqual(a, b, "same seed, same predictions bit for bit");
        CollectionAssert.AreNotEqual(a, c, "another seed, other predictions");
    }

    [TestMethod]
    public void EarlyStoppingRestoresTheBestEpoch()
    {
        var ml = new MLContext(seed: 1);
        var (train, validation) = TestData.Split(ml, TestData.Load(ml, "linear.csv", DataKind.Single));
        // The learning rate grows 2.5x per epoch, so SGD first converges and then diverges: the best epoch is not the last.
        using var model = ml.Regression.Trainers.TorchLinearRegression(new LinearOptions
        {
            Optimizer = TorchOptimizer.Sgd, LearningRate = 0.01, LearningRateSchedule = LearningRateSchedule.Exponential,
            LearningRateDecay = 2.5, Epochs = 30, BatchSize = 16, ValidationSet = validation, EarlyStoppingPatience = 3, Device = TorchDevice.Cpu,
        }).Fit(train);

        var history = model.History;
        Assert.IsTrue(history.Count < 30, "training stopped early");
        var best = history.MinBy(h => h.ValidationLoss!.Value)!;
        Assert.AreNotEqual(history[^1].Epoch, best.Epoch, "the last epoch is not the best");
        Assert.AreEqual(history.Count - 3, best.Epoch, "stopped after patience epochs without improvement");
        var metrics = ml.Regression.Evaluate(model.Transform(validation));
        Assert.AreEqual(best.ValidationLoss!.Value, metrics.MeanSquaredError, 1e-4 * Math.Max(1, best.ValidationLoss.Value),
            "the model's validation MSE is the best epoch's, not the last epoch's");
        Assert.IsTrue(history[^1].ValidationLoss > best.ValidationLoss * 1.5);
    }

    [TestMethod]
    public void HistoryRecordsTheLearningRateSchedule()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Load(ml, "linear.csv", DataKind.Single);
        double[] Rates(LinearOptions o)
        {
            o.Epochs = 6;
            o.Device = TorchDevice.Cpu;
            o.Optimizer = TorchOptimizer.Sgd; // schedules apply to mini-batch optimizers (L-BFGS chooses its own steps)
            using var model = ml.Regression.Trainers.TorchLinearRegression(o).Fit(data);
            return model.History.Select(h => h.LearningRate).ToArray();
        }
        CollectionAssert.AreEqual(new[] { 0.1, 0.1, 0.05, 0.05, 0.025, 0.025 },
            Rates(new LinearOptions { LearningRate = 0.1, LearningRateSchedule = LearningRateSchedule.Step, LearningRateStepSize = 2, LearningRateDecay = 0.5 }));
        var exponential = Rates(new LinearOptions { LearningRate = 0.1, LearningRateSchedule = LearningRateSchedule.Exponential, LearningRateDecay = 0.5 });
        for (int i = 0; i < 6; i++)
            Assert.AreEqual(0.1 * Math.Pow(0.5, i), exponential[i], 1e-12);
        var warmCosine = Rates(new LinearOptions { LearningRate = 0.1, WarmupEpochs = 2, LearningRateSchedule = LearningRateSchedule.Cosine, MinLearningRate = 0.0 });
        Assert.AreEqual(0.1 / 3, warmCosine[0], 1e-12);
        Assert.AreEqual(0.2 / 3, warmCosine[1], 1e-12);
        Assert.AreEqual(0.1, warmCosine[2], 1e-12);
        Assert.AreEqual(0.1 * (1 + Math.Cos(Math.PI / 4)) / 2, warmCosine[3], 1e-12);
        Assert.IsTrue(warmCosine[5] < warmCosine[4] && warmCosine[4] < warmCosine[3]);
    }

    [TestMethod]
    public void ProgressCallbackAndMlContextLogSeeEveryEpoch()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        var data = TestData.Load(ml, "linear.csv", DataKind.Single);
        var seen = new List<TorchEpochRecord>();
        using var model = ml.Regression.Trainers.TorchLinearRegression(new LinearOptions
        {
            Epochs = 4, ValidationFraction = 0.25, Progress = seen.Add, Device = TorchDevice.Cpu, Optimizer = TorchOptimizer.Adam,
        }).Fit(data);
        Assert.AreEqual(4, seen.Count);
        CollectionAssert.AreEqual(model.History.ToList(), seen);
        Assert.IsTrue(seen.All(r => r.ValidationLoss is not null && r.ValidationMetricName == "RMSE" && r.Seconds >= 0));
        Assert.IsTrue(seen[^1].TrainLoss < seen[0].TrainLoss, "loss decreases");
        Assert.IsTrue(messages.Count(m => m.Contains("epoch")) >= 4, string.Join("\n", messages.Take(20)));
    }

    [TestMethod]
    public void CancellationStopsTraining()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Load(ml, "linear.csv", DataKind.Single);
        using var cts = new CancellationTokenSource();
        var trainer = ml.Regression.Trainers.TorchLinearRegression(new LinearOptions
        {
            Epochs = 100, CancellationToken = cts.Token, Progress = r => { if (r.Epoch == 2) cts.Cancel(); }, Device = TorchDevice.Cpu,
        });
        Assert.ThrowsExactly<OperationCanceledException>(() => trainer.Fit(data));

    }

    [TestMethod]
    [DataRow(TorchOptimizer.Sgd, 0.05, 0.0, false)]
    [DataRow(TorchOptimizer.Sgd, 0.02, 0.9, false)]
    [DataRow(TorchOptimizer.Sgd, 0.02, 0.9, true)]
    [DataRow(TorchOptimizer.Adagrad, 0.5, 0.0, false)]
    [DataRow(TorchOptimizer.Adadelta, 10.0, 0.0, false)]
    [DataRow(TorchOptimizer.RmsProp, 0.01, 0.0, false)]
    [DataRow(TorchOptimizer.Adam, 0.05, 0.0, false)]
    [DataRow(TorchOptimizer.AdamW, 0.05, 0.0, false)]
    public void EveryOptimizerFitsTheLinearData(TorchOptimizer optimizer, double learningRate, double momentum, bool nesterov)
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = TestData.Split(ml, TestData.Load(ml, "linear.csv", DataKind.Single));
        using var model = ml.Regression.Trainers.TorchLinearRegression(new LinearOptions
        {
            Optimizer = optimizer, LearningRate = learningRate, Momentum = momentum, Nesterov = nesterov, Epochs = 15, BatchSize = 16, Device = TorchDevice.Cpu,
        }).Fit(train);
        var metrics = ml.Regression.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.RSquared > 0.99, $"{optimizer}: R² {metrics.RSquared:F5}");
    }

    [TestMethod]
    public void GradientClippingBoundsEachStep()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Load(ml, "linear.csv", DataKind.Single);
        const double lr = 0.1, clip = 0.001;
        using var model = ml.Regression.Trainers.TorchLinearRegression(new LinearOptions
        {
            Optimizer = TorchOptimizer.Sgd, LearningRate = lr, GradientClipNorm = clip, Epochs = 1, BatchSize = 100,
            WeightInitialization = WeightInitialization.Constant, InitScale = 0, Device = TorchDevice.Cpu,
            LabelScaling = false, InformedOutputBias = false, FeatureScaling = false, // the bound is on the raw parameters
        }).Fit(data);
        // 10 steps, each moving the parameter vector (w1, w2, b) by at most lr·clip.
        var scores = TestData.Column(model.Transform(TestData.Features(ml, [[0f, 0f], [1f, 0f], [0f, 1f]])), "Score");
        double b = scores[0], w1 = scores[1] - b, w2 = scores[2] - b;
        double moved = Math.Sqrt(b * b + w1 * w1 + w2 * w2);
        Assert.IsTrue(moved <= 10 * lr * clip * 1.0001, $"moved {moved}");
        Assert.IsTrue(moved > 0.5 * 10 * lr * clip, $"moved {moved}: clipping, not stalling");
    }

    [TestMethod]
    public void WeightDecayShrinksTheWeights()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Load(ml, "linear.csv", DataKind.Single);
        double Norm(double decay)
        {
            using var model = ml.Regression.Trainers.TorchLinearRegression(new LinearOptions
            {
                Optimizer = TorchOptimizer.Sgd, LearningRate = 0.03, WeightDecay = decay, Epochs = 5, BatchSize = 10, Device = TorchDevice.Cpu,
                LabelScaling = false, FeatureScaling = false, // the decay acts on the weights in data units
            }).Fit(data);
            var s = TestData.Column(model.Transform(TestData.Features(ml, [[0f, 0f], [1f, 0f], [0f, 1f]])), "Score");
            return Math.Sqrt(Math.Pow(s[1] - s[0], 2) + Math.Pow(s[2] - s[0], 2));
        }
        double plain = Norm(0), decayed = Norm(0.5);
        Assert.AreEqual(Math.Sqrt(2 * 2 + 3.4 * 3.4), plain, 0.01);
        Assert.IsTrue(decayed < plain * 0.8, $"decayed {decayed} vs plain {plain}");
    }
}

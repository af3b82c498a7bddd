using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

/// <summary>
/// The trainers with their default options on tabular data as users bring it: a few hundred rows, features on very
/// different scales, a regression target whose mean is far from zero. The bars are ML.NET's own trainers and the
/// closed-form least-squares fit.
/// </summary>
[TestClass]
public sealed class DefaultsTests
{
    private const int FeatureCount = 8;
    private static readonly double[] Scales = [1, 10, 100, 1000, 0.01, 5, 0.2, 50];

    public sealed class Row
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
        public bool Positive { get; set; }
        public uint Class { get; set; }
    }

    /// <summary>
    /// Features x_i = s_i·u_i (u_i ~ N(0, 1), s_i from 0.01 to 1000). Regression: y = 22 + Σ w_i u_i + ε (σ_y ≈ 9).
    /// Binary: sign of a linear score with label noise; classes: the largest of three linear scores; with
    /// <paramref name="nonlinear"/> the scores use u² and products instead, which no linear model separates.
    /// </summary>
    internal static Row[] Rows(int count, int seed, bool nonlinear = false)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        double[] w = [4, -3, 2.5, -2, 1.5, 3, -4, 1];
        return Enumerable.Range(0, count).Select(_ =>
        {
            var u = Enumerable.Range(0, FeatureCount).Select(_ => Normal()).ToArray();
            double linear = u.Select((v, i) => v * w[i]).Sum();
            double a = nonlinear ? u[0] * u[0] + u[1] * u[1] - 2 : u[0] + 0.5 * u[1] - u[2];
            double b = nonlinear ? u[0] * u[1] : u[3] - u[4] + 0.3 * u[5];
            double c = nonlinear ? -a : u[6] - u[7] - 0.5 * u[0];
            double[] scores = [a + 0.3 * Normal(), b + 0.3 * Normal(), c + 0.3 * Normal()];
            return new Row
            {
                Features = u.Select((v, i) => (float)(v * Scales[i])).ToArray(),
                Label = (float)(22 + (nonlinear ? 3 * (u[0] * u[0] - 1) + 4 * Math.Sin(2 * u[1]) + 2 * u[2] * u[3] : linear) + 3 * Normal()),
                Positive = (nonlinear ? u[0] * u[1] + 0.5 * (u[2] * u[2] - 1) : linear) + 2 * Normal() > 0,
                Class = (uint)Array.IndexOf(scores, scores.Max()),
            };
        }).ToArray();
    }

    private static (IDataView Train, IDataView Test, Row[] TrainRows, Row[] TestRows) Split(MLContext ml, bool nonlinear = false)
    {
        var train = Rows(400, 11, nonlinear);
        var test = Rows(400, 12, nonlinear);
        return (ml.Data.LoadFromEnumerable(train), ml.Data.LoadFromEnumerable(test), train, test);
    }

    /// <summary>R² of the least-squares fit (normal equations in double precision) on the training rows, scored on the test rows.</summary>
    private static double LeastSquaresRSquared(Row[] train, Row[] test)
    {
        int p = FeatureCount + 1;
        var a = new double[p, p];
        var b = new double[p];
        foreach (var r in train)
        {
            var x = r.Features.Select(v => (double)v).Append(1).ToArray();
            for (int i = 0; i < p; i++)
            {
                b[i] += x[i] * r.Label;
                for (int j = 0; j < p; j++)
                    a[i, j] += x[i] * x[j];
            }
        }
        var beta = Solve(a, b);
        double mean = test.Average(r => r.Label), total = 0, residual = 0;
        foreach (var r in test)
        {
            double predicted = r.Features.Select((v, i) => v * beta[i]).Sum() + beta[^1];
            residual += Math.Pow(r.Label - predicted, 2);
            total += Math.Pow(r.Label - mean, 2);
        }
        return 1 - residual / total;
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int k = 0; k < n; k++)
        {
            int pivot = Enumerable.Range(k, n - k).MaxBy(i => Math.Abs(m[i, k]));
            for (int j = 0; j < n; j++)
                (m[k, j], m[pivot, j]) = (m[pivot, j], m[k, j]);
            (x[k], x[pivot]) = (x[pivot], x[k]);
            for (int i = k + 1; i < n; i++)
            {
                double f = m[i, k] / m[k, k];
                for (int j = k; j < n; j++)
                    m[i, j] -= f * m[k, j];
                x[i] -= f * x[k];
            }
        }
        for (int i = n - 1; i >= 0; i--)
        {
            for (int j = i + 1; j < n; j++)
                x[i] -= m[i, j] * x[j];
            x[i] /= m[i, i];
        }
        return x;
    }

    [TestMethod]
    public void LinearRegressionWithDefaultsMatchesLeastSquares()
    {
        var ml = new MLContext(seed: 1);
        var (train, test, trainRows, testRows) = Split(ml);
        double exact = LeastSquaresRSquared(trainRows, testRows);
        var model = ml.Regression.Trainers.TorchLinearRegression().Fit(train);
        double ours = ml.Regression.Evaluate(model.Transform(test)).RSquared;
        Console.WriteLine($"R²: least squares {exact:F6}, TorchLinearRegression {ours:F6}");
        Assert.AreEqual(exact, ours, 0.001, $"R² {ours:F6} vs least squares {exact:F6}");

        // Score is in label units after saving and loading.
        string zip = Path.Combine(Path.GetTempPath(), $"mlext-defaults-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, train.Schema, zip);
            var loaded = new MLContext().Model.Load(zip, out _);
            var scores = loaded.Transform(test).GetColumn<float>("Score").ToArray();
            CollectionAssert.AreEqual(model.Transform(test).GetColumn<float>("Score").ToArray(), scores);
            Assert.AreEqual(testRows.Average(r => r.Label), scores.Average(), 1.0, "scores in label units (mean ≈ 22)");
        }
        finally
        {
            File.Delete(zip);
        }
    }

    [TestMethod]
    public void LogisticAndSoftmaxRegressionWithDefaultsMatchMlNetsLbfgs()
    {
        var ml = new MLContext(seed: 1);
        var (train, test, _, _) = Split(ml);
        var binaryData = ml.Transforms.CopyColumns("Label", "Positive");
        var trainBinary = binaryData.Fit(ml.Transforms.DropColumns("Label").Fit(train).Transform(train)).Transform(ml.Transforms.DropColumns("Label").Fit(train).Transform(train));
        var testBinary = binaryData.Fit(ml.Transforms.DropColumns("Label").Fit(test).Transform(test)).Transform(ml.Transforms.DropColumns("Label").Fit(test).Transform(test));
        // ML.NET's trainer with and without a normalizer in front; the bar is the better of the two.
        var normalize = ml.Transforms.NormalizeMeanVariance("Features");
        double reference = Math.Max(
            ml.BinaryClassification.Evaluate(ml.BinaryClassification.Trainers.LbfgsLogisticRegression().Fit(trainBinary).Transform(testBinary)).Accuracy,
            ml.BinaryClassification.Evaluate(normalize.Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()).Fit(trainBinary).Transform(testBinary)).Accuracy);
        double ours = ml.BinaryClassification.Evaluate(ml.BinaryClassification.Trainers.TorchLogisticRegression().Fit(trainBinary).Transform(testBinary)).Accuracy;
        Console.WriteLine($"binary accuracy: LbfgsLogisticRegression {reference:F4}, TorchLogisticRegression {ours:F4}");
        Assert.IsTrue(ours >= reference - 0.005, $"logistic {ours:F4} vs L-BFGS {reference:F4}");

        var keys = ml.Transforms.Conversion.MapValueToKey("Label", "Class");
        var mapping = keys.Fit(ml.Transforms.DropColumns("Label").Fit(train).Transform(train));
        var trainClasses = mapping.Transform(ml.Transforms.DropColumns("Label").Fit(train).Transform(train));
        var testClasses = mapping.Transform(ml.Transforms.DropColumns("Label").Fit(test).Transform(test));
        double referenceMulti = Math.Max(
            ml.MulticlassClassification.Evaluate(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy().Fit(trainClasses).Transform(testClasses)).MicroAccuracy,
            ml.MulticlassClassification.Evaluate(normalize.Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()).Fit(trainClasses).Transform(testClasses)).MicroAccuracy);
        double oursMulti = ml.MulticlassClassification.Evaluate(ml.MulticlassClassification.Trainers.TorchSoftmaxRegression().Fit(trainClasses).Transform(testClasses)).MicroAccuracy;
        Console.WriteLine($"multiclass accuracy: LbfgsMaximumEntropy {referenceMulti:F4}, TorchSoftmaxRegression {oursMulti:F4}");
        Assert.IsTrue(oursMulti >= referenceMulti - 0.005, $"softmax {oursMulti:F4} vs L-BFGS {referenceMulti:F4}");
    }

    [TestMethod]
    public void MlpWithDefaultsBeatsTheLinearModelsOnNonlinearData()
    {
        var ml = new MLContext(seed: 1);
        var (train, test, _, _) = Split(ml, nonlinear: true);
        var normalize = ml.Transforms.NormalizeMeanVariance("Features");
        double linear = ml.Regression.Evaluate(normalize.Append(ml.Regression.Trainers.Sdca()).Fit(train).Transform(test)).RSquared;
        // No normalizer in front: the network standardizes its features itself.
        double mlp = ml.Regression.Evaluate(ml.Regression.Trainers.TorchMlp().Fit(train).Transform(test)).RSquared;
        Console.WriteLine($"nonlinear regression R²: Sdca {linear:F4}, TorchMlp {mlp:F4}");
        Assert.IsTrue(mlp >= 0.55 && mlp > linear + 0.5, $"TorchMlp {mlp:F4} vs Sdca {linear:F4}");

        var drop = ml.Transforms.DropColumns("Label").Fit(train);
        var mapping = ml.Transforms.Conversion.MapValueToKey("Label", "Class").Fit(drop.Transform(train));
        var trainClasses = mapping.Transform(drop.Transform(train));
        var testClasses = mapping.Transform(drop.Transform(test));
        double Accuracy(ITransformer model) => ml.MulticlassClassification.Evaluate(model.Transform(testClasses)).MicroAccuracy;
        double lbfgs = Accuracy(normalize.Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()).Fit(trainClasses));
        double mlpClasses = Accuracy(ml.MulticlassClassification.Trainers.TorchMlp().Fit(trainClasses));
        Console.WriteLine($"nonlinear classes accuracy: LbfgsMaximumEntropy {lbfgs:F4}, TorchMlp {mlpClasses:F4}");
        Assert.IsTrue(mlpClasses >= 0.78 && mlpClasses > lbfgs + 0.2, $"TorchMlp {mlpClasses:F4} vs LbfgsMaximumEntropy {lbfgs:F4}");
    }

    [TestMethod]
    public void TheAutomaticBatchSizeFollowsTheTrainingRowsAndIsRecorded()
    {
        Assert.AreEqual(32, TrainerDefaults.AutomaticBatchSize(10));
        Assert.AreEqual(32, TrainerDefaults.AutomaticBatchSize(1_600));
        Assert.AreEqual(68, TrainerDefaults.AutomaticBatchSize(3_440));
        Assert.AreEqual(512, TrainerDefaults.AutomaticBatchSize(60_000));

        var ml = new MLContext(seed: 1);
        var options = new MlpOptions { Epochs = 2 };
        var model = ml.Regression.Trainers.TorchMlp(options).Fit(ml.Data.LoadFromEnumerable(Rows(2_000, 13)));
        Assert.AreEqual(0, options.BatchSize, "the caller's options stay automatic");
        // 10 % of the 2,000 rows validate; the other 1,800 train in batches of 1,800 / 50 = 36.
        Assert.AreEqual(36, model.TrainingOptions["BatchSize"].GetInt32());
        Assert.AreEqual(0.1, model.TrainingOptions["ValidationFraction"].GetDouble());
        Assert.IsTrue(model.History.All(h => h.ValidationLoss is not null), "validation after every epoch by default");
    }

    [TestMethod]
    public void ADivergingRunThrowsAndReturnsNoModel()
    {
        var ml = new MLContext(seed: 1);
        var (train, _, _, _) = Split(ml);
        var trainer = ml.Regression.Trainers.TorchMlp(new MlpOptions { Optimizer = TorchOptimizer.Sgd, LearningRate = 5, Epochs = 5 });
        NetworkTransformer? model = null;
        var e = Assert.Throws<TrainingDivergedException>(() => model = trainer.Fit(train));
        Assert.IsNull(model);
        Assert.AreEqual(1, e.Epoch);
        Assert.IsNotNull(e.Batch);
        StringAssert.Contains(e.Message, "TorchMlp diverged");
        StringAssert.Contains(e.Message, $"epoch 1, batch {e.Batch}");
        StringAssert.Contains(e.Message, "LearningRate");
        StringAssert.Contains(e.Message, "GradientClipNorm");
        StringAssert.Contains(e.Message, "NormalizeMeanVariance");
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.LoadCheck;

namespace MLExtensions.Tests;

/// <summary>
/// A model loaded from its .zip is a full citizen: in a fresh process its network gives the same history, the same
/// standalone ONNX bytes, the same attention weights and the same input-check message as the fitted model.
/// </summary>
[TestClass]
public sealed class LoadedModelTests
{
    public sealed class StepRow
    {
        [VectorType(12)]
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    /// <summary>Sequences of 4 steps of 3 values; the label says whether the first step's sum is positive.</summary>
    private static StepRow[] Steps(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var f = Enumerable.Range(0, 12).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            return new StepRow { Features = f, Label = f[0] + f[1] + f[2] > 0 };
        }).ToArray();
    }

    public static IEnumerable<object[]> Trainers => [["mlp"], ["attention"]];

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void LoadedModelKeepsHistoryOnnxAttentionAndInputChecks(string trainer)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Steps(200, 3));
        IEstimator<ITransformer> estimator = trainer == "mlp"
            ? ml.BinaryClassification.Trainers.TorchMlp(new MlpOptions { Epochs = 3, ValidationFraction = 0.2 })
            : ml.BinaryClassification.Trainers.TorchAttention(new AttentionOptions
            {
                StepSize = 3, ModelDimension = 8, Heads = 2, Layers = 1, FeedForwardSize = 8, Epochs = 3, ValidationFraction = 0.2,
            });
        var model = estimator.Fit(data);
        var fitted = model.GetNetwork();
        Assert.AreEqual(3, fitted.History.Count);
        Assert.AreEqual(3, fitted.TrainingOptions["Epochs"].GetInt32());

        string dir = Directory.CreateTempSubdirectory("mlext-loaded-").FullName;
        try
        {
            string zip = Path.Combine(dir, "model.zip");
            ml.Model.Save(model, data.Schema, zip);
            var rows = data.GetColumn<float[]>("Features").Take(5).ToArray();
            string csv = Path.Combine(dir, "features.csv");
            File.WriteAllLines(csv, rows.Select(r => string.Join(",", r.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
            string output = Directory.CreateDirectory(Path.Combine(dir, "out")).FullName;
            RunLoadCheck("--inspect", zip, csv, output);

            Assert.AreEqual(JsonSerializer.Serialize(fitted.History), File.ReadAllText(Path.Combine(output, "history.json")), "history");
            var fittedOnnx = new MemoryStream();
            fitted.SaveOnnx(fittedOnnx);
            CollectionAssert.AreEqual(fittedOnnx.ToArray(), File.ReadAllBytes(Path.Combine(output, "model.onnx")), "standalone ONNX bytes");

            var wrong = Inspect.Features(ml, rows.Select(r => r.Append(0f).ToArray()).ToArray(), 13);
            var fittedError = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(wrong));
            Assert.AreEqual(fittedError.Message, File.ReadAllText(Path.Combine(output, "wrong-size.txt")), "input check");
            StringAssert.Contains(fittedError.Message, "13 values per row");

            string attention = Path.Combine(output, "attention.txt");
            if (trainer == "attention")
                Assert.AreEqual(Inspect.Format(fitted.GetAttentionWeights(Inspect.Features(ml, rows, 12))), File.ReadAllText(attention), "attention weights");
            else
                Assert.IsFalse(File.Exists(attention));
        }
        finally
        {
            (model as IDisposable)?.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void RestoredChainPredictsLikeTheLoadedOne()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Steps(100, 4));
        var model = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.BinaryClassification.Trainers.TorchMlp(new MlpOptions { Epochs = 2 })).Fit(data);
        string zip = Path.Combine(Path.GetTempPath(), $"mlext-restore-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, zip);
            var loaded = ml.Model.Load(zip, out _);
            var restored = NetworkTransformer.Restore(loaded);
            Assert.IsInstanceOfType<TransformerChain<ITransformer>>(restored);
            Assert.IsInstanceOfType<NetworkTransformer>(((TransformerChain<ITransformer>)restored).Last());
            CollectionAssert.AreEqual(loaded.Transform(data).GetColumn<float>("Score").ToArray(), restored.Transform(data).GetColumn<float>("Score").ToArray());
            Assert.AreEqual("TorchMlp", loaded.GetNetwork().Trainer);
            Assert.AreEqual("BinaryClassification", loaded.GetNetwork().Task);
            Assert.Throws<InvalidOperationException>(() => ml.Transforms.NormalizeMeanVariance("Features").Fit(data).GetNetwork());
        }
        finally
        {
            File.Delete(zip);
        }
    }

    [TestMethod]
    public void EveryMlNetInternalMemberIsStillThere() => MlNetInternals.Check(new MLContext());

    internal static string LoadCheckDirectory => AppContext.BaseDirectory.Replace("MLExtensions.Tests", "MLExtensions.LoadCheck");

    internal static string[] RunLoadCheck(params string[] arguments)
    {
        string dll = Path.Combine(LoadCheckDirectory, "MLExtensions.LoadCheck.dll");
        Assert.IsTrue(File.Exists(dll), $"{dll} not built");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.IsTrue(process.WaitForExit(120_000), "load check timed out");
        Assert.AreEqual(0, process.ExitCode, stderr.Result);
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.LoadCheck;

namespace MLExtensions.Tests;

[TestClass]
public sealed class PersistenceTests
{
    public static IEnumerable<object[]> Cases =>
    [
        ["linear-regression", "linear.csv"],
        ["mlp-regression", "friedman.csv"],
        ["logistic", "binary-moons.csv"],
        ["mlp-binary", "binary-moons.csv"],
        ["softmax", "multiclass-spiral.csv"],
        ["mlp-multiclass", "multiclass-spiral.csv"],
    ];

    /// <summary>Train, save with ml.Model.Save, load in a new MLContext and in a separate process without libtorch: the predictions are identical.</summary>
    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void SavedModelPredictsIdenticallyInProcessAndInAFreshProcess(string trainer, string file)
    {
        var ml = new MLContext(seed: 1);
        var data = Load(ml, file, trainer);
        var pipeline = Trainer(ml, trainer);
        var model = pipeline.Fit(data);

        var rows = FeatureRows(data, 50);
        var before = PredictionDump.Score(ml, model, rows);

        string dir = Directory.CreateTempSubdirectory("mlext-persist-").FullName;
        try
        {
            string zip = Path.Combine(dir, "model.zip");
            ml.Model.Save(model, data.Schema, zip);

            var fresh = new MLContext();
            var loaded = fresh.Model.Load(zip, out var inputSchema);
            Assert.IsNotNull(inputSchema.GetColumnOrNull("Features"));
            var after = PredictionDump.Score(fresh, loaded, rows);
            (loaded as IDisposable)?.Dispose();
            CollectionAssert.AreEqual(before.ToList(), after.ToList(), "in-process reload");

            string csv = Path.Combine(dir, "features.csv");
            File.WriteAllLines(csv, rows.Select(r => string.Join(",", r.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
            var output = RunLoadCheck(zip, csv);
            Assert.AreEqual("libtorch-loaded: false", output[^1], "the separate process must not load libtorch");
            AssertClose(before, output[..^1]);
        }
        finally
        {
            (model as IDisposable)?.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void PredictionEngineMatchesTransform()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Load(ml, "binary-moons.csv", DataKind.Boolean);
        using var model = ml.BinaryClassification.Trainers.TorchMlp(new MlpOptions { Epochs = 3, Device = TorchDevice.Cpu }).Fit(data);
        var scored = model.Transform(data);
        var scores = scored.GetColumn<float>("Score").Take(20).ToArray();
        var probabilities = scored.GetColumn<float>("Probability").Take(20).ToArray();
        var inputs = ml.Data.CreateEnumerable<MoonRow>(data, reuseRowObject: false).Take(20).ToArray();

        var engine = ml.Model.CreatePredictionEngine<MoonRow, BinaryPrediction>(model);
        for (int i = 0; i < inputs.Length; i++)
        {
            var p = engine.Predict(inputs[i]);
            Assert.AreEqual(scores[i], p.Score, 1e-6f);
            Assert.AreEqual(probabilities[i], p.Probability, 1e-6f);
            Assert.AreEqual(scores[i] > 0, p.PredictedLabel);
        }
    }

    [TestMethod]
    public void CorruptOrTruncatedZipFailsWithAnException()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Load(ml, "linear.csv", DataKind.Single);
        using var model = ml.Regression.Trainers.TorchLinearRegression(epochs: 1).Fit(data);
        string dir = Directory.CreateTempSubdirectory("mlext-corrupt-").FullName;
        try
        {
            string zip = Path.Combine(dir, "model.zip");
            ml.Model.Save(model, data.Schema, zip);
            var bytes = File.ReadAllBytes(zip);

            string truncated = Path.Combine(dir, "truncated.zip");
            File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
            Assert.Throws<Exception>(() => new MLContext().Model.Load(truncated, out _), "truncated");

            string garbage = Path.Combine(dir, "garbage.zip");
            var noise = new byte[bytes.Length];
            new Random(1).NextBytes(noise);
            File.WriteAllBytes(garbage, noise);
            Assert.Throws<Exception>(() => new MLContext().Model.Load(garbage, out _), "random bytes");

            // A well-formed zip whose largest entry (the ONNX network) is damaged: a managed exception, not a native crash.
            string damaged = Path.Combine(dir, "damaged.zip");
            File.Copy(zip, damaged);
            using (var archive = System.IO.Compression.ZipFile.Open(damaged, System.IO.Compression.ZipArchiveMode.Update))
            {
                var entry = archive.Entries.MaxBy(e => e.Length)!;
                byte[] content;
                using (var s = entry.Open()) { using var m = new MemoryStream(); s.CopyTo(m); content = m.ToArray(); }
                for (int i = content.Length / 4; i < content.Length; i++)
                    content[i] = (byte)(i * 37);
                string name = entry.FullName;
                entry.Delete();
                using var w = archive.CreateEntry(name).Open();
                w.Write(content);
            }
            Assert.Throws<Exception>(() =>
            {
                var loaded = new MLContext().Model.Load(damaged, out _);
                loaded.Transform(data).GetColumn<float>("Score").ToArray();
            }, "damaged ONNX entry");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void ExportedOnnxFileIsWrittenAndBatched()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.LoadMulticlass(ml, "multiclass-spiral.csv");
        using var model = ml.MulticlassClassification.Trainers.TorchMlp(new MlpOptions { Epochs = 2, Device = TorchDevice.Cpu }).Fit(data);
        var rows = FeatureRows(data, 7);
        using var stream = new MemoryStream();
        model.SaveOnnx(stream);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(stream.ToArray());
        var input = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(rows.SelectMany(r => r).ToArray(), [rows.Length, 2]);
        using var results = session.Run([Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("features", input)]);
        var probabilities = results.First(r => r.Name == "probabilities").AsTensor<float>();
        var index = results.First(r => r.Name == "predicted_index").AsTensor<long>();

        var expected = PredictionDump.Score(ml, model, rows);
        for (int i = 0; i < rows.Length; i++)
        {
            var scores = expected[i].Split(';')[0].Split(',').Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            for (int k = 0; k < 3; k++)
                Assert.AreEqual(scores[k], probabilities[i, k], 1e-5f);
            Assert.AreEqual(Array.IndexOf(scores, scores.Max()), (int)index[i]);
        }
    }

    internal static IDataView Load(MLContext ml, string file, string trainer) => trainer switch
    {
        "softmax" or "mlp-multiclass" => TestData.LoadMulticlass(ml, file),
        "logistic" or "mlp-binary" => TestData.Load(ml, file, DataKind.Boolean),
        _ => TestData.Load(ml, file, DataKind.Single),
    };

    internal static IEstimator<ITransformer> Trainer(MLContext ml, string name)
    {
        var mlp = new MlpOptions { HiddenLayerSizes = [16, 8], Epochs = 3, Device = TorchDevice.Cpu };
        var linear = new LinearOptions { Epochs = 3, LearningRate = 0.01, Device = TorchDevice.Cpu };
        return name switch
        {
            "linear-regression" => ml.Regression.Trainers.TorchLinearRegression(linear),
            "mlp-regression" => ml.Regression.Trainers.TorchMlp(mlp),
            "logistic" => ml.BinaryClassification.Trainers.TorchLogisticRegression(linear),
            "mlp-binary" => ml.BinaryClassification.Trainers.TorchMlp(mlp),
            "softmax" => ml.MulticlassClassification.Trainers.TorchSoftmaxRegression(linear),
            _ => ml.MulticlassClassification.Trainers.TorchMlp(mlp),
        };
    }

    internal static float[][] FeatureRows(IDataView data, int count) =>
        data.GetColumn<float[]>("Features").Take(count).ToArray();

    [TestMethod]
    public void TrainingWithoutANativeBackendSaysWhichPackageToAdd()
    {
        // TorchSharp falls back to copying libtorch out of the NuGet package cache when the application references no
        // backend; hide the cache (and any earlier copy) so the process really has no backend.
        string copied = Path.Combine(LoadCheckDirectory, "cpu");
        if (Directory.Exists(copied))
            Directory.Delete(copied, recursive: true);
        string emptyCache = Directory.CreateTempSubdirectory("mlext-nocache-").FullName;
        string[] output;
        try
        {
            output = RunLoadCheck(new Dictionary<string, string> { ["NUGET_PACKAGES"] = emptyCache }, "--train");
        }
        finally
        {
            Directory.Delete(emptyCache, recursive: true);
        }
        var message = string.Join("\n", output);
        StringAssert.Contains(message, "TorchSharp-cpu");
        StringAssert.Contains(message, "TorchSharp-cuda-linux");
        StringAssert.Contains(message, "not part of this application");
    }

    private static string LoadCheckDirectory => AppContext.BaseDirectory.Replace("MLExtensions.Tests", "MLExtensions.LoadCheck");

    private static string[] RunLoadCheck(params string[] arguments) => RunLoadCheck(new Dictionary<string, string>(), arguments);

    private static string[] RunLoadCheck(Dictionary<string, string> environment, params string[] arguments)
    {
        string dll = Path.Combine(LoadCheckDirectory, "MLExtensions.LoadCheck.dll");
        Assert.IsTrue(File.Exists(dll), $"{dll} not built");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.IsTrue(process.WaitForExit(120_000), "load check timed out");
        Assert.AreEqual(0, process.ExitCode, stderr.Result);
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    }

    /// <summary>Same lines; numbers within 1e-5, text equal.</summary>
    private static void AssertClose(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        Assert.AreEqual(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var e = expected[i].Split(';', ',');
            var a = actual[i].Split(';', ',');
            Assert.AreEqual(e.Length, a.Length, $"row {i}");
            for (int j = 0; j < e.Length; j++)
            {
                if (float.TryParse(e[j], NumberStyles.Float, CultureInfo.InvariantCulture, out var x))
                    Assert.AreEqual(x, float.Parse(a[j], CultureInfo.InvariantCulture), 1e-5f, $"row {i} value {j}");
                else
                    Assert.AreEqual(e[j], a[j], $"row {i} value {j}");
            }
        }
    }

    public sealed class MoonRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    public sealed class BinaryPrediction
    {
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }
}

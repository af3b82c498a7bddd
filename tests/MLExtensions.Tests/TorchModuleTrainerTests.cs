using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.LoadCheck;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Tests;

/// <summary>
/// TorchModule trains a network the user builds in TorchSharp with the shared loop: the same layers, seed and options
/// give exactly TorchMlp's model; the network is checked against the task before any row is read; the saved zip
/// predicts identically without libtorch; a CNN reads pixels through InputShape; PyTorch state_dicts start (or, with
/// Epochs = 0, are) the model.
/// </summary>
[TestClass]
public sealed class TorchModuleTrainerTests
{
    private static ModuleOptions Quick(int epochs = 3) => new() { Epochs = epochs, Device = TorchDevice.Cpu };

    /// <summary>The loop options both trainers get: every kind of option the loop reads, away from its default.</summary>
    private static T LoopOptions<T>(T o) where T : TorchTrainerOptions
    {
        o.Epochs = 6;
        o.BatchSize = 48;
        o.LearningRate = 0.02;
        o.Optimizer = TorchOptimizer.AdamW;
        o.WeightDecay = 1e-3;
        o.LearningRateSchedule = LearningRateSchedule.Cosine;
        o.MinLearningRate = 1e-4;
        o.WarmupEpochs = 1;
        o.GradientClipNorm = 1.0;
        o.WeightInitialization = WeightInitialization.Xavier;
        o.ValidationFraction = 0.2;
        o.EarlyStoppingPatience = 3;
        o.Seed = 7;
        o.Device = TorchDevice.Cpu;
        if (o is MlpOptions mlp)
        {
            mlp.HiddenLayerSizes = [16, 8];
            mlp.Activation = Activation.Tanh;
            mlp.Dropout = 0.1;
            mlp.FeatureScaling = false; // the user's Sequential has no standardization layer
        }
        return o;
    }

    public static IEnumerable<object[]> Tasks =>
    [
        ["regression", "friedman.csv"],
        ["binary", "binary-moons.csv"],
        ["multiclass", "multiclass-spiral.csv"],
    ];

    [TestMethod]
    [DynamicData(nameof(Tasks))]
    public void SequentialOfTheSameLayersPredictsExactlyLikeTorchMlp(string task, string file)
    {
        var ml = new MLContext(seed: 1);
        var data = PersistenceTests.Load(ml, file, task == "regression" ? "mlp-regression" : task == "binary" ? "mlp-binary" : "mlp-multiclass");
        var (train, test) = TestData.Split(ml, data);
        int inputs = PersistenceTests.FeatureRows(data, 1)[0].Length;
        int outputs = task == "multiclass" ? 3 : 1;
        nn.Module<Tensor, Tensor> Network() => nn.Sequential(
            nn.Linear(inputs, 16), nn.Tanh(), nn.Dropout(0.1),
            nn.Linear(16, 8), nn.Tanh(), nn.Dropout(0.1),
            nn.Linear(8, outputs));

        var mlpOptions = LoopOptions(new MlpOptions());
        var moduleOptions = LoopOptions(new ModuleOptions());
        using NetworkTransformer mlp = task switch
        {
            "regression" => ml.Regression.Trainers.TorchMlp(mlpOptions).Fit(train),
            "binary" => ml.BinaryClassification.Trainers.TorchMlp(mlpOptions).Fit(train),
            _ => ml.MulticlassClassification.Trainers.TorchMlp(mlpOptions).Fit(train),
        };
        using NetworkTransformer module = task switch
        {
            "regression" => ml.Regression.Trainers.TorchModule(Network, moduleOptions).Fit(train),
            "binary" => ml.BinaryClassification.Trainers.TorchModule(Network, moduleOptions).Fit(train),
            _ => ml.MulticlassClassification.Trainers.TorchModule(Network, moduleOptions).Fit(train),
        };

        Assert.AreEqual("TorchModule", module.Trainer);
        CollectionAssert.AreEqual(mlp.History.Select(h => h.TrainLoss).ToArray(), module.History.Select(h => h.TrainLoss).ToArray(), "train losses");
        CollectionAssert.AreEqual(mlp.History.Select(h => h.ValidationLoss).ToArray(), module.History.Select(h => h.ValidationLoss).ToArray(), "validation losses");
        var expected = PredictionDump.Score(ml, mlp, PersistenceTests.FeatureRows(test, 300));
        var actual = PredictionDump.Score(ml, module, PersistenceTests.FeatureRows(test, 300));
        CollectionAssert.AreEqual(expected.ToArray(), actual.ToArray(), "predictions (every digit)");
    }

    // ---- checks before any row is read ----

    public sealed class KeyRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];

        [KeyType(3)]
        public uint Label { get; set; }
    }

    /// <summary>Three-class rows whose enumeration fails: a Fit that gets past the schema checks would read them and fail with this message.</summary>
    private static IDataView Unreadable(MLContext ml) => ml.Data.LoadFromEnumerable(Rows());

    private const string ReadMessage = "the rows were read";

    private static IEnumerable<KeyRow> Rows()
    {
        throw new InvalidOperationException(ReadMessage);
#pragma warning disable CS0162 // the iterator only needs to be one
        yield break;
#pragma warning restore CS0162
    }

    [TestMethod]
    public void OutputSizeIsCheckedAgainstTheTaskBeforeAnyRowIsRead()
    {
        var ml = new MLContext(seed: 1);
        var multiclass = Assert.Throws<InvalidOperationException>(() => ml.MulticlassClassification.Trainers
            .TorchModule(() => nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 4)), Quick()).Fit(Unreadable(ml)));
        StringAssert.Contains(multiclass.Message, "gives 4 outputs per row");
        StringAssert.Contains(multiclass.Message, "label column 'Label' has 3 classes, so multiclass classification needs 3 outputs per row");
        StringAssert.Contains(multiclass.Message, "nn.Linear(…, 3)");

        var data = TestData.Load(ml, "friedman.csv", DataKind.Single);
        var regression = Assert.Throws<InvalidOperationException>(() =>
            ml.Regression.Trainers.TorchModule(() => nn.Sequential(nn.Linear(10, 2)), Quick()).Fit(data));
        StringAssert.Contains(regression.Message, "gives 2 outputs per row");
        StringAssert.Contains(regression.Message, "regression needs 1 output per row");

        // [N] instead of [N, 1]: MSE would broadcast it silently against the [N, 1] labels.
        var flat = Assert.Throws<InvalidOperationException>(() =>
            ml.Regression.Trainers.TorchModule(() => nn.Sequential(nn.Linear(10, 1), nn.Flatten(0)), Quick()).Fit(data));
        StringAssert.Contains(flat.Message, "returns shape [2] for a batch of 2 rows");
        StringAssert.Contains(flat.Message, "must return [N, 1]");

        var channels = Assert.Throws<InvalidOperationException>(() => ml.Regression.Trainers.TorchModule(
            () => nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten(), nn.Linear(4 * 3 * 3, 1)),
            new ModuleOptions { InputShape = [2, 5, 1] }).Fit(data));
        StringAssert.Contains(channels.Message, "given to it as [N, 2, 5, 1] (ModuleOptions.InputShape) (tried with zeros of shape [2, 2, 5, 1])");

        var input = Assert.Throws<InvalidOperationException>(() => ml.MulticlassClassification.Trainers
            .TorchModule(() => nn.Sequential(nn.Linear(5, 3)), Quick()).Fit(Unreadable(ml)));
        StringAssert.Contains(input.Message, "feature column 'Features', given to it as [N, 2]");
        StringAssert.Contains(input.Message, "Its first layer must take 2 inputs");
    }

    /// <summary>x · 2, a module the exporter does not know.</summary>
    private sealed class Doubler() : nn.Module<Tensor, Tensor>(nameof(Doubler))
    {
        public override Tensor forward(Tensor x) => x * 2;
    }

    [TestMethod]
    public void BadFactoriesFailWithTheirCause()
    {
        var ml = new MLContext(seed: 1);
        var catalog = ml.MulticlassClassification.Trainers;
        var none = Assert.Throws<ArgumentNullException>(() => catalog.TorchModule(null!, Quick()));
        Assert.AreEqual("createNetwork", none.ParamName);

        var throws = Assert.Throws<InvalidOperationException>(() =>
            catalog.TorchModule(() => throw new FileNotFoundException("vocabulary.txt is missing"), Quick()).Fit(Unreadable(ml)));
        StringAssert.Contains(throws.Message, "createNetwork threw FileNotFoundException while building the network: vocabulary.txt is missing");
        Assert.IsInstanceOfType<FileNotFoundException>(throws.InnerException);

        var returnsNull = Assert.Throws<InvalidOperationException>(() => catalog.TorchModule(() => null!, Quick()).Fit(Unreadable(ml)));
        StringAssert.Contains(returnsNull.Message, "createNetwork returned null");

        // A reused module passes the first check; the second call, which builds the network to train, finds it.
        var spiral = TestData.LoadMulticlass(ml, "multiclass-spiral.csv");
        var shared = nn.Sequential(nn.Linear(2, 3));
        var same = Assert.Throws<InvalidOperationException>(() => catalog.TorchModule(() => shared, Quick()).Fit(spiral));
        StringAssert.Contains(same.Message, "returned a module it had returned before");
        var hidden = nn.Linear(2, 8);
        var layer = Assert.Throws<InvalidOperationException>(() =>
            catalog.TorchModule(() => nn.Sequential(("hidden", hidden), ("out", nn.Linear(8, 3))), Quick()).Fit(spiral));
        StringAssert.Contains(layer.Message, "whose layer 'hidden' is one it had returned before");

        var unexportable = Assert.Throws<TorchOnnxExportException>(() => catalog.TorchModule(
            () => nn.Sequential(("features", nn.Sequential(nn.Linear(2, 8), nn.ReLU(), new Doubler())), ("out", nn.Linear(8, 3))),
            Quick()).Fit(Unreadable(ml)));
        Assert.AreEqual("features.2", unexportable.ModulePath);
        StringAssert.StartsWith(unexportable.Message, "features.2: ");
        StringAssert.Contains(unexportable.Message, "is not exportable");
        StringAssert.Contains(unexportable.Message, "ITorchOnnxExportable");
    }

    [TestMethod]
    public void OptionsAreCheckedUpFront()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.LoadMulticlass(ml, "multiclass-spiral.csv");
        var catalog = ml.MulticlassClassification.Trainers;
        nn.Module<Tensor, Tensor> Network() => nn.Sequential(nn.Linear(2, 3));

        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => catalog.TorchModule(Network, new ModuleOptions { Epochs = -1 }).Fit(data));
        StringAssert.Contains(negative.Message, "Epochs must not be negative");
        // Zero epochs stays an error for the built-in networks, which would be saved untrained.
        var mlp = Assert.Throws<ArgumentOutOfRangeException>(() => catalog.TorchMlp(new MlpOptions { Epochs = 0 }).Fit(data));
        StringAssert.Contains(mlp.Message, "Epochs must be positive");

        var shape = Assert.Throws<ArgumentOutOfRangeException>(() =>
            catalog.TorchModule(Network, new ModuleOptions { InputShape = [1, 3] }).Fit(data));
        StringAssert.Contains(shape.Message, "Feature column 'Features' has 2 values per row, but ModuleOptions.InputShape [1, 3] holds 3");
        Assert.Throws<ArgumentOutOfRangeException>(() => catalog.TorchModule(Network, new ModuleOptions { InputShape = [2, 0] }).Fit(data));

        var missing = Assert.Throws<FileNotFoundException>(() =>
            catalog.TorchModule(Network, new ModuleOptions { InitialWeights = "no-such-weights.pt" }).Fit(data));
        StringAssert.Contains(missing.Message, "no-such-weights.pt");
        var entry = Assert.Throws<ArgumentException>(() =>
            catalog.TorchModule(Network, new ModuleOptions { InitialWeightsEntry = "model" }).Fit(data));
        StringAssert.Contains(entry.Message, "InitialWeights is not set");

        var text = ml.Data.LoadFromEnumerable(new[] { new { Features = "abc", Label = 1f } });
        var wrongType = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.TorchModule(Network).Fit(text));
        StringAssert.Contains(wrongType.Message, "must be a known-size vector of Single (features or pixels");
        StringAssert.Contains(wrongType.Message, "or a vector of keys (tokens)");
    }

    // ---- persistence ----

    [TestMethod]
    public void SavedModelPredictsIdenticallyInAFreshProcessWithoutLibtorch()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.LoadMulticlass(ml, "multiclass-spiral.csv");
        var (train, test) = TestData.Split(ml, data);
        var pipeline = ml.MulticlassClassification.Trainers.TorchModule(() => nn.Sequential(
                ("hidden", nn.Linear(2, 32)), ("norm", nn.BatchNorm1d(32)), ("act", nn.GELU()), ("drop", nn.Dropout(0.1)),
                ("out", nn.Linear(32, 3))),
                new ModuleOptions { Epochs = 4, LearningRate = 0.01, Device = TorchDevice.Cpu })
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(train);
        var rows = PersistenceTests.FeatureRows(test, 60);
        var before = PredictionDump.Score(ml, model, rows);

        string dir = Directory.CreateTempSubdirectory("mlext-module-").FullName;
        try
        {
            string zip = Path.Combine(dir, "model.zip");
            ml.Model.Save(model, data.Schema, zip);
            var loaded = new MLContext().Model.Load(zip, out _);
            CollectionAssert.AreEqual(before.ToArray(), PredictionDump.Score(ml, loaded, rows).ToArray(), "in this process");
            Assert.AreEqual("TorchModule", loaded.GetNetwork().Trainer);
            (loaded as IDisposable)?.Dispose();

            string csv = Path.Combine(dir, "features.csv");
            File.WriteAllLines(csv, rows.Select(r => string.Join(",", r.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
            var output = LoadedModelTests.RunLoadCheck(zip, csv);
            Assert.AreEqual("libtorch-loaded: false", output[^1], "the separate process must not load libtorch");
            CollectionAssert.AreEqual(before.ToArray(), output[..^1], "in a fresh process");
        }
        finally
        {
            (model as IDisposable)?.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    // ---- images ----

    [TestMethod]
    public void ConvolutionalModuleWithACustomBlockReadsPixelsThroughInputShapeAndClassifiesTheShapes()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = ImageData.Shapes(ml);
        using var model = ml.MulticlassClassification.Trainers.TorchModule(() => nn.Sequential(
                nn.Conv2d(3, 8, 5), nn.ReLU(), nn.MaxPool2d(2),      // 3×32×32 → 8×14×14
                new ResidualBlock(8),                                // writes its own ONNX nodes
                nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2),     // → 16×5×5
                nn.Flatten(), nn.Linear(16 * 5 * 5, 64), nn.ReLU(), nn.Linear(64, 4)),
            new ModuleOptions { InputShape = [3, ImageData.Size, ImageData.Size], Epochs = 15, LearningRate = 2e-3, Device = TorchDevice.Cpu })
            .Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.MicroAccuracy >= 0.9, $"held-out accuracy {metrics.MicroAccuracy:F4} (chance is about 0.25)");

        // The standalone ONNX model reshapes the pixel vector as forward does.
        using var stream = new MemoryStream();
        model.SaveOnnx(stream);
        var pixels = PersistenceTests.FeatureRows(test, 5);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(stream.ToArray());
        var input = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(pixels.SelectMany(p => p).ToArray(), [5, pixels[0].Length]);
        using var results = session.Run([Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("features", input)]);
        var probabilities = results.First(r => r.Name == "probabilities").AsTensor<float>();
        var expected = PredictionDump.Score(ml, model, pixels);
        for (int i = 0; i < 5; i++)
        {
            var scores = expected[i].Split(';')[0].Split(',').Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            for (int k = 0; k < 4; k++)
                Assert.AreEqual(scores[k], probabilities[i, k], 1e-5f);
        }
    }

    // ---- tokens ----

    public sealed class TokenRow
    {
        [VectorType(6), KeyType(4)]
        public uint[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    /// <summary>Six tokens of four kinds (keys 1–4); the label: token 1 occurs at least twice.</summary>
    private static TokenRow[] Tokens(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var keys = Enumerable.Range(0, 6).Select(_ => (uint)random.Next(1, 5)).ToArray();
            return new TokenRow { Features = keys, Label = keys.Count(k => k == 1) >= 2 };
        }).ToArray();
    }

    [TestMethod]
    public void TokenKeysReachTheNetworkAsInt64Indices()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Tokens(1200, 1));
        var test = ml.Data.LoadFromEnumerable(Tokens(300, 2));
        var model = ml.BinaryClassification.Trainers.TorchModule(() => nn.Sequential(
                nn.Embedding(4 + 2, 4), nn.Flatten(), nn.Linear(6 * 4, 16), nn.ReLU(), nn.Linear(16, 1)),
            new ModuleOptions { Epochs = 15, LearningRate = 0.01, Device = TorchDevice.Cpu }).Fit(train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.Accuracy >= 0.95, $"held-out accuracy {metrics.Accuracy:F4}");

        string zip = Path.Combine(Path.GetTempPath(), $"mlext-module-tokens-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, train.Schema, zip);
            using var loaded = (IDisposable)new MLContext().Model.Load(zip, out _);
            CollectionAssert.AreEqual(model.Transform(test).GetColumn<float>("Score").ToArray(),
                ((ITransformer)loaded).Transform(test).GetColumn<float>("Score").ToArray());
        }
        finally
        {
            model.Dispose();
            File.Delete(zip);
        }
    }

    // ---- weights from PyTorch ----

    private static Sequential SpiralNetwork() => nn.Sequential(
        ("hidden", nn.Linear(2, 16)), ("norm", nn.BatchNorm1d(16)), ("act", nn.ReLU()), ("out", nn.Linear(16, 3)));

    /// <summary>A network whose weights and batch-norm statistics are not a fresh module's: a few steps on the spiral.</summary>
    private static Sequential TrainedElsewhere(float[][] features, uint[] labels)
    {
        torch.manual_seed(123);
        var network = SpiralNetwork();
        using var optimizer = torch.optim.Adam(network.parameters(), 0.05);
        using var x = torch.tensor(features.SelectMany(f => f).ToArray(), [features.Length, 2]);
        using var y = torch.tensor(labels.Select(l => (long)l - 1).ToArray());
        network.train();
        for (int step = 0; step < 20; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(network.forward(x), y);
            loss.backward();
            optimizer.step();
        }
        network.eval();
        return network;
    }

    [TestMethod]
    [DataRow("weights.pt")]
    [DataRow("weights.safetensors")]
    public void PyTorchWeightsWithZeroEpochsPredictAsTheModuleDoes(string fileName)
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.LoadMulticlass(ml, "multiclass-spiral.csv");
        var features = PersistenceTests.FeatureRows(data, 400);
        var labels = data.GetColumn<uint>("Label").Take(400).ToArray();
        string dir = Directory.CreateTempSubdirectory("mlext-module-weights-").FullName;
        try
        {
            using var reference = TrainedElsewhere(features, labels);
            string path = Path.Combine(dir, fileName);
            TorchWeights.Save(reference, path);

            using var model = ml.MulticlassClassification.Trainers.TorchModule(SpiralNetwork,
                new ModuleOptions { InitialWeights = path, Epochs = 0, Device = TorchDevice.Cpu }).Fit(data);
            Assert.AreEqual(0, model.History.Count);

            float[] expected;
            using (torch.no_grad())
            using (var x = torch.tensor(features.SelectMany(f => f).ToArray(), [features.Length, 2]))
            using (var probabilities = nn.functional.softmax(reference.forward(x), 1))
                expected = probabilities.data<float>().ToArray();
            var scores = model.Transform(ml.Data.TakeRows(data, 400)).GetColumn<float[]>("Score").SelectMany(s => s).ToArray();
            Assert.AreEqual(expected.Length, scores.Length);
            for (int i = 0; i < expected.Length; i++)
                Assert.AreEqual(expected[i], scores[i], 1e-5f, $"value {i}");

            // Training from those weights starts where they are: the first epoch's loss is the trained network's, not a fresh one's.
            using var fromWeights = ml.MulticlassClassification.Trainers.TorchModule(SpiralNetwork,
                new ModuleOptions { InitialWeights = path, Epochs = 1, LearningRate = 1e-6, Device = TorchDevice.Cpu }).Fit(data);
            using var fresh = ml.MulticlassClassification.Trainers.TorchModule(SpiralNetwork,
                new ModuleOptions { Epochs = 1, LearningRate = 1e-6, Device = TorchDevice.Cpu }).Fit(data);
            Assert.IsTrue(fromWeights.History[0].TrainLoss < fresh.History[0].TrainLoss * 0.8,
                $"from the weights {fromWeights.History[0].TrainLoss:F4}, fresh {fresh.History[0].TrainLoss:F4}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void WeightsThatDoNotFitFailKeyByKeyBeforeAnyRowIsRead()
    {
        var ml = new MLContext(seed: 1);
        string dir = Directory.CreateTempSubdirectory("mlext-module-mismatch-").FullName;
        try
        {
            string path = Path.Combine(dir, "other.pt");
            using (var other = nn.Sequential(("hidden", nn.Linear(2, 8)), ("act", nn.ReLU()), ("head", nn.Linear(8, 3))))
                TorchWeights.Save(other, path);

            var mismatch = Assert.Throws<StateDictMismatchException>(() => ml.MulticlassClassification.Trainers.TorchModule(SpiralNetwork,
                new ModuleOptions { InitialWeights = path, Epochs = 0 }).Fit(Unreadable(ml)));
            StringAssert.Contains(mismatch.Message, "other.pt");
            CollectionAssert.AreEquivalent(new[] { "norm.weight", "norm.bias", "norm.running_mean", "norm.running_var", "norm.num_batches_tracked", "out.weight", "out.bias" },
                mismatch.MissingKeys.ToArray());
            CollectionAssert.AreEquivalent(new[] { "head.weight", "head.bias" }, mismatch.UnexpectedKeys.ToArray());
            CollectionAssert.AreEquivalent(new[] { "hidden.weight: file [8, 2], module [16, 2]", "hidden.bias: file [8], module [16]" },
                mismatch.ShapeMismatches.ToArray());

            // Without strict matching the keys both have still must have the same shapes.
            var shapes = Assert.Throws<StateDictMismatchException>(() => ml.MulticlassClassification.Trainers.TorchModule(SpiralNetwork,
                new ModuleOptions { InitialWeights = path, StrictWeights = false }).Fit(Unreadable(ml)));
            Assert.AreEqual(2, shapes.ShapeMismatches.Count);
            StringAssert.Contains(shapes.Message, "wrong shapes: hidden.weight: file [8, 2], module [16, 2]");

            var both = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.TorchModule(SpiralNetwork,
                new ModuleOptions { InitialWeights = path, WeightInitialization = WeightInitialization.Kaiming }).Fit(Unreadable(ml)));
            StringAssert.Contains(both.Message, "InitialWeights and WeightInitialization = Kaiming both set the network's weights");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLExtensions.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Tests;

/// <summary>
/// TorchOnnx exports TorchSharp modules built from standard layers (and custom modules through ITorchOnnxExportable):
/// ONNX Runtime's outputs equal TorchSharp's in evaluation mode to 1e-4, after a few training steps (so batch norm's
/// running statistics and the weights have moved), for a batch of one and batches of several.
/// </summary>
[TestClass]
public sealed class TorchOnnxExportTests
{
    /// <summary>A module to export, how to call it, the export shape and a maker of random inputs of a batch size.</summary>
    private sealed record Case(nn.Module Module, Func<Tensor, Tensor> Forward, long[] Shape, Func<int, Tensor> Input);

    private static Case Dense(nn.Module<Tensor, Tensor> module, int features, float scale = 2) =>
        new(module, module.forward, [-1, features], n => torch.randn(n, features) * scale + 0.3);

    private static Case Image(nn.Module<Tensor, Tensor> module, int channels, int height, int width, bool dynamicSize = false) =>
        new(module, module.forward, dynamicSize ? [-1, channels, -1, -1] : [-1, channels, height, width],
            n => torch.randn(n, channels, height, width) + 0.5);

    private static Case Build(string name) => name switch
    {
        "Linear" => Dense(nn.Sequential(nn.Linear(6, 4)), 6),
        "LinearWithoutBias" => Dense(nn.Sequential(nn.Linear(6, 4, hasBias: false)), 6),
        "LinearOnSequence" => new(nn.Sequential(nn.Linear(5, 3), nn.Tanh()), null!, [-1, 4, 5], n => torch.randn(n, 4, 5)),
        "Identity" => Dense(nn.Sequential(nn.Identity(), nn.Linear(3, 2), nn.Identity()), 3),
        "ReLU" => Dense(nn.Sequential(nn.Linear(6, 8), nn.ReLU()), 6),
        "LeakyReLU" => Dense(nn.Sequential(nn.Linear(6, 8), nn.LeakyReLU(0.2)), 6),
        "ELU" => Dense(nn.Sequential(nn.Linear(6, 8), nn.ELU(0.7)), 6),
        "SELU" => Dense(nn.Sequential(nn.Linear(6, 8), nn.SELU()), 6),
        "GELU" => Dense(nn.Sequential(nn.Linear(6, 8), nn.GELU()), 6),
        "GELUTanh" => Dense(nn.Sequential(nn.Linear(6, 8), nn.GELU(GELU.Approximate.tanh)), 6),
        "Sigmoid" => Dense(nn.Sequential(nn.Linear(6, 8), nn.Sigmoid()), 6),
        "Tanh" => Dense(nn.Sequential(nn.Linear(6, 8), nn.Tanh()), 6),
        "Softplus" => Dense(nn.Sequential(nn.Linear(6, 8), nn.Softplus()), 6),
        "SoftplusBetaThreshold" => Dense(nn.Sequential(nn.Linear(6, 8), nn.Softplus(beta: 2, threshold: 1)), 6, scale: 4),
        "Softsign" => Dense(nn.Sequential(nn.Linear(6, 8), nn.Softsign()), 6),
        "ReLU6" => Dense(nn.Sequential(nn.Linear(6, 8), nn.ReLU6()), 6, scale: 8),
        "SiLU" => Dense(nn.Sequential(nn.Linear(6, 8), nn.SiLU()), 6),
        "Mish" => Dense(nn.Sequential(nn.Linear(6, 8), nn.Mish()), 6),
        "Softmax" => Dense(nn.Sequential(nn.Linear(6, 8), nn.Softmax(1)), 6),
        "LogSoftmax" => Dense(nn.Sequential(nn.Linear(6, 8), nn.LogSoftmax(-1)), 6),
        "MlpWithBatchNormAndDropout" => Dense(nn.Sequential(
            nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(16, 8), nn.BatchNorm1d(8, affine: false), nn.ELU(), nn.AlphaDropout(0.2), nn.Linear(8, 3)), 6),
        "LayerNorm" => Dense(nn.Sequential(nn.Linear(6, 8), nn.LayerNorm(8), nn.GELU(), nn.Linear(8, 2)), 6),
        "LayerNormTwoDims" => new(nn.Sequential(nn.LayerNorm([4, 5], eps: 1e-3), nn.Flatten(), nn.Linear(20, 3)), null!, [-1, 4, 5],
            n => torch.randn(n, 4, 5) * 3),
        "Conv1dStack" => new(nn.Sequential(
            nn.Conv1d(3, 6, 3, stride: 2, padding: 1), nn.BatchNorm1d(6), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(6, 4, 2, dilation: 2, bias: false), nn.AvgPool1d(2, stride: 1), nn.AdaptiveAvgPool1d(3), nn.Flatten(), nn.Linear(12, 2)),
            null!, [-1, 3, 30], n => torch.randn(n, 3, 30)),
        "Conv2dStack" => Image(nn.Sequential(
            nn.Conv2d(3, 6, 3, padding: 1), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 8, (3, 2), stride: (2, 1), dilation: (1, 2), groups: 2), nn.BatchNorm2d(8), nn.LeakyReLU(0.1),
            nn.AvgPool2d(2, stride: 1, padding: 1, count_include_pad: false), nn.Dropout2d(0.3),
            nn.AdaptiveAvgPool2d([3, 2]), nn.Flatten(), nn.Dropout(0.2), nn.Linear(48, 5)), 3, 16, 14),
        "Conv2dPaddingModes" => Image(nn.Sequential(
            nn.Conv2d(2, 3, 3, padding: 1, padding_mode: PaddingModes.Reflect), nn.Tanh(),
            nn.Conv2d(3, 3, 3, padding: 2, padding_mode: PaddingModes.Replicate), nn.Sigmoid(),
            nn.Conv2d(3, 2, 4, Padding.Same), nn.Conv2d(2, 2, 3, Padding.Valid),
            nn.AvgPool2d(2, padding: 1), nn.MaxPool2d(3, stride: 2, padding: 1, ceil_mode: true)), 2, 11, 11),
        "Conv2dDynamicSize" => Image(nn.Sequential(
            nn.Conv2d(3, 4, 3, stride: 2), nn.BatchNorm2d(4), nn.ReLU6(), nn.MaxPool2d(2), nn.AdaptiveAvgPool2d(1), nn.Flatten(1),
            nn.Linear(4, 2)), 3, 13, 17, dynamicSize: true),
        "Conv3dStack" => new(nn.Sequential(
            nn.Conv3d(2, 3, 2, padding: 1), nn.BatchNorm3d(3), nn.SELU(), nn.Dropout3d(0.3), nn.FeatureAlphaDropout(0.2),
            nn.Conv3d(3, 2, (2, 3, 1), stride: (1, 2, 1)), nn.Flatten(2), nn.Dropout1d(0.1), nn.Flatten(), nn.Linear(2 * 4 * 2 * 5, 2)),
            null!, [-1, 2, 4, 4, 4], n => torch.randn([n, 2, 4, 4, 4])),
        "AdaptiveAvgPoolTiling" => Image(nn.Sequential(nn.AdaptiveAvgPool2d([4, 3]), nn.Flatten(), nn.Softsign()), 2, 8, 9),
        "FlattenAndUnflatten" => new(nn.Sequential(nn.Flatten(2), nn.Unflatten(1, [2, 3]), nn.Flatten(0, 1)), null!, [-1, 6, 4, 5],
            n => torch.randn(n, 6, 4, 5)),
        "EmbeddingFirst" => new(nn.Sequential(nn.Embedding(20, 6), nn.Flatten(), nn.Linear(42, 3)), null!, [-1, 7],
            n => torch.randint(0, 20, [n, 7], dtype: ScalarType.Int64)),
        "EmbeddingDynamicLength" => new(nn.Sequential(nn.Embedding(15, 4, padding_idx: 0), nn.LayerNorm(4), nn.Linear(4, 2)), null!,
            [-1, -1], n => torch.randint(0, 15, [n, 3 + n], dtype: ScalarType.Int64)),
        _ => throw new ArgumentException(name),
    };

    [TestMethod]
    [DataRow("Linear")]
    [DataRow("LinearWithoutBias")]
    [DataRow("LinearOnSequence")]
    [DataRow("Identity")]
    [DataRow("ReLU")]
    [DataRow("LeakyReLU")]
    [DataRow("ELU")]
    [DataRow("SELU")]
    [DataRow("GELU")]
    [DataRow("GELUTanh")]
    [DataRow("Sigmoid")]
    [DataRow("Tanh")]
    [DataRow("Softplus")]
    [DataRow("SoftplusBetaThreshold")]
    [DataRow("Softsign")]
    [DataRow("ReLU6")]
    [DataRow("SiLU")]
    [DataRow("Mish")]
    [DataRow("Softmax")]
    [DataRow("LogSoftmax")]
    [DataRow("MlpWithBatchNormAndDropout")]
    [DataRow("LayerNorm")]
    [DataRow("LayerNormTwoDims")]
    [DataRow("Conv1dStack")]
    [DataRow("Conv2dStack")]
    [DataRow("Conv2dPaddingModes")]
    [DataRow("Conv2dDynamicSize")]
    [DataRow("Conv3dStack")]
    [DataRow("AdaptiveAvgPoolTiling")]
    [DataRow("FlattenAndUnflatten")]
    [DataRow("EmbeddingFirst")]
    [DataRow("EmbeddingDynamicLength")]
    public void StandardLayersMatchOnnxRuntimeAfterTraining(string name)
    {
        torch.manual_seed(11);
        var c = Build(name);
        var forward = c.Forward ?? ((nn.Module<Tensor, Tensor>)c.Module).forward;
        TrainThenCompare(c.Module, forward, c.Shape, c.Input);
        c.Module.Dispose();
    }

    [TestMethod]
    [DataRow("LSTM", 1, false, true)]
    [DataRow("LSTM", 2, true, true)]
    [DataRow("LSTM", 2, true, false)]
    [DataRow("GRU", 1, true, true)]
    [DataRow("GRU", 3, false, true)]
    [DataRow("GRU", 2, true, false)]
    [DataRow("RNN", 2, true, true)]
    [DataRow("RNN", 1, false, false)]
    [DataRow("RNNRelu", 2, true, true)]
    public void RecurrentLayersMatchOnnxRuntime(string cell, int layers, bool bidirectional, bool batchFirst)
    {
        torch.manual_seed(5);
        const int features = 3, hidden = 4;
        nn.Module module = cell switch
        {
            "LSTM" => nn.LSTM(features, hidden, layers, batchFirst: batchFirst, bidirectional: bidirectional, dropout: 0.3),
            "GRU" => nn.GRU(features, hidden, layers, batchFirst: batchFirst, bidirectional: bidirectional),
            "RNN" => nn.RNN(features, hidden, layers, batchFirst: batchFirst, bidirectional: bidirectional),
            _ => nn.RNN(features, hidden, layers, nn.NonLinearities.ReLU, batchFirst: batchFirst, bidirectional: bidirectional),
        };
        Func<Tensor, Tensor> forward = module switch
        {
            LSTM lstm => x => lstm.forward(x).Item1,
            GRU gru => x => gru.forward(x).Item1,
            _ => x => ((RNN)module).forward(x, null).Item1,
        };
        // Batch and sequence length both dynamic; lengths 1 and 6.
        Func<int, Tensor> input = n => batchFirst ? torch.randn(n, n == 1 ? 1 : 6, features) : torch.randn(n == 1 ? 1 : 6, n, features);
        TrainThenCompare(module, forward, [-1, -1, features], input);
        module.Dispose();
    }

    [TestMethod]
    [DataRow("LSTM", 2, true)]
    [DataRow("GRU", 1, false)]
    [DataRow("RNN", 2, false)]
    public void CustomSequenceModuleReadingTheFinalStateMatches(string cell, int layers, bool bidirectional)
    {
        torch.manual_seed(8);
        using var module = new SequenceClassifier(cell, 12, 5, layers, bidirectional, 3);
        TrainThenCompare(module, module.forward, [-1, -1], n => torch.randint(0, 12, [n, n == 1 ? 2 : 5], dtype: ScalarType.Int64));
    }

    [TestMethod]
    public void ResidualBlockWritesItsOwnNodesAndMatches()
    {
        torch.manual_seed(2);
        using var network = nn.Sequential(
            ("stem", nn.Conv2d(3, 8, 3, padding: 1)),
            ("block1", new ResidualBlock(8)),
            ("block2", new ResidualBlock(8)),
            ("pool", nn.AdaptiveAvgPool2d(1)),
            ("flatten", nn.Flatten()),
            ("head", nn.Linear(8, 4)));
        TrainThenCompare(network, network.forward, [-1, 3, 10, 10], n => torch.randn(n, 3, 10, 10));

        // Initializers are named after the module path.
        var names = InitializerNames(TorchOnnx.ToBytes(network, [-1, 3, 10, 10]));
        CollectionAssert.Contains(names, "block1.body.0.weight");
        CollectionAssert.Contains(names, "block2.body.4.running_var");
    }

    [TestMethod]
    public void ExportUsesEvaluationModeAndRestoresEachModulesMode()
    {
        torch.manual_seed(3);
        using var network = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Dropout(0.5), nn.Linear(8, 2));
        network.train();
        ((nn.Module)network.named_children().ElementAt(2).module).eval();
        TorchOnnx.ToBytes(network, [-1, 4]);
        var modes = network.named_children().Select(c => c.module.training).ToArray();
        Assert.IsTrue(network.training);
        CollectionAssert.AreEqual(new[] { true, true, false, true }, modes);
    }

    [TestMethod]
    public void UnknownModuleIsRefusedWithItsPathAndHowToExportIt()
    {
        using var network = nn.Sequential(
            ("features", nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 4), new Doubler())),
            ("head", nn.Linear(4, 2)));
        var e = Assert.ThrowsExactly<TorchOnnxExportException>(() => TorchOnnx.ToBytes(network, [-1, 4]));
        StringAssert.StartsWith(e.Message, "features.3: MLExtensions.Tests.Doubler is not exportable");
        StringAssert.Contains(e.Message, "ITorchOnnxExportable");
        Assert.AreEqual("features.3", e.ModulePath);

        using var shrink = nn.Sequential(nn.Linear(4, 4), nn.Softshrink());
        e = Assert.ThrowsExactly<TorchOnnxExportException>(() => TorchOnnx.ToBytes(shrink, [-1, 4]));
        StringAssert.StartsWith(e.Message, "1: TorchSharp.Modules.Softshrink is not exportable");

        using var root = new Doubler();
        e = Assert.ThrowsExactly<TorchOnnxExportException>(() => TorchOnnx.ToBytes(root, [-1, 4]));
        StringAssert.StartsWith(e.Message, "(root): MLExtensions.Tests.Doubler is not exportable");
    }

    [TestMethod]
    public void SettingsOnnxCannotExpressAreRefusedNotExportedWrongly()
    {
        using var circular = nn.Sequential(nn.Conv2d(2, 2, 3, padding: 1, padding_mode: PaddingModes.Circular));
        var e = Assert.ThrowsExactly<TorchOnnxExportException>(() => TorchOnnx.ToBytes(circular, [-1, 2, 8, 8]));
        StringAssert.StartsWith(e.Message, "0: padding_mode Circular is not exportable");

        torch.manual_seed(1);
        using var maxNorm = nn.Sequential(nn.Embedding(10, 4, max_norm: 0.5));
        var weights = maxNorm.state_dict()["0.weight"].clone();
        e = Assert.ThrowsExactly<TorchOnnxExportException>(() => TorchOnnx.ToBytes(maxNorm, [-1, 3]));
        StringAssert.Contains(e.Message, "max_norm");
        Assert.IsTrue(weights.equal(maxNorm.state_dict()["0.weight"]).all().item<bool>(), "the probe must leave the weights as they were");

        using var noStats = nn.Sequential(nn.BatchNorm1d(3, track_running_stats: false));
        e = Assert.ThrowsExactly<TorchOnnxExportException>(() => TorchOnnx.ToBytes(noStats, [-1, 3]));
        StringAssert.Contains(e.Message, "track_running_stats");

        using var wrong = nn.Sequential(nn.Linear(3, 3), new WrongExport());
        e = Assert.ThrowsExactly<TorchOnnxExportException>(() => TorchOnnx.ToBytes(wrong, [-1, 3]));
        StringAssert.Contains(e.Message, "give shape [-1, 3], but its forward returns [2, 1]");
    }

    [TestMethod]
    public void InputShapesTheModuleRejectsGiveAClearError()
    {
        using var network = nn.Sequential(nn.Linear(6, 3));
        var e = Assert.ThrowsExactly<TorchOnnxExportException>(() => TorchOnnx.ToBytes(network, [-1, 5]));
        StringAssert.Contains(e.Message, "[-1, 5]");
        Assert.ThrowsExactly<ArgumentException>(() => TorchOnnx.ToBytes(network, [-1, 0]));

        using var image = nn.Sequential(nn.Conv2d(3, 4, 3));
        e = Assert.ThrowsExactly<TorchOnnxExportException>(() => TorchOnnx.ToBytes(image, [-1, 3, 5, 5], new TorchOnnxOptions { InputType = OnnxTensorType.Int64 }));
        StringAssert.Contains(e.Message, "rejects an input of shape [-1, 3, 5, 5]");

        using var tokens = nn.Sequential(nn.Linear(4, 4), nn.Embedding(5, 2));
        e = Assert.ThrowsExactly<TorchOnnxExportException>(() => TorchOnnx.ToBytes(tokens, [-1, 4]));
        StringAssert.StartsWith(e.Message, "(root): Sequential rejects an input of shape [-1, 4]");
    }

    [TestMethod]
    public void AppendPutsTheModuleInsideALargerGraphWithCallerChosenNames()
    {
        torch.manual_seed(4);
        using var network = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2));
        network.eval();
        var graph = new OnnxGraph("composed");
        graph.AddInput("features", OnnxTensorType.Float, -1, 3);
        string scaled = graph.AddNode("Mul", ["features", graph.AddInitializer("scale", [2f])], "scaled");
        var output = TorchOnnx.Append(graph, network, scaled, [-1, 3]);
        CollectionAssert.AreEqual(new long[] { -1, 2 }, output.Shape);
        graph.AddNode("Softmax", [output.Name], "probabilities", OnnxAttribute.Int("axis", 1));
        graph.AddOutput("probabilities", OnnxTensorType.Float, -1, 2);

        using var session = new InferenceSession(graph.ToModelBytes());
        using var x = torch.randn(4, 3);
        using var expected = torch.softmax(network.forward(x * 2), 1);
        OnnxExportTests.AssertClose(expected, Run(session, "features", x), 1e-5);
    }

    [TestMethod]
    public void ExportWritesFilesAndStreamsThatOnnxRuntimeLoads()
    {
        torch.manual_seed(6);
        using var network = nn.Sequential(nn.Embedding(9, 3), nn.Flatten(), nn.Linear(12, 2));
        network.eval();
        string path = Path.Combine(Path.GetTempPath(), $"torchonnx-{Guid.NewGuid():N}.onnx");
        try
        {
            TorchOnnx.Export(network, [-1, 4], path, new TorchOnnxOptions { InputName = "tokens", OutputName = "scores" });
            using var session = new InferenceSession(path);
            Assert.AreEqual("tokens", session.InputMetadata.Keys.Single());
            Assert.AreEqual(typeof(long), session.InputMetadata["tokens"].ElementType);
            Assert.AreEqual("scores", session.OutputMetadata.Keys.Single());
            using var x = torch.randint(0, 9, [3, 4], dtype: ScalarType.Int64);
            OnnxExportTests.AssertClose(network.forward(x), Run(session, "tokens", x), 1e-5);

            using var stream = new MemoryStream();
            TorchOnnx.Export(network, [-1, 4], stream, new TorchOnnxOptions { InputName = "tokens", OutputName = "scores" });
            CollectionAssert.AreEqual(File.ReadAllBytes(path), stream.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// A few Adam steps in training mode (dropout on, batch norm updating its running statistics), then export with the
    /// module still in training mode and compare with the module's evaluation-mode output on batches of 1 and 5.
    /// </summary>
    private static void TrainThenCompare(nn.Module module, Func<Tensor, Tensor> forward, long[] shape, Func<int, Tensor> input)
    {
        module.train();
        var parameters = module.parameters().ToArray();
        if (parameters.Length > 0)
        {
            using var optimizer = torch.optim.Adam(parameters, 0.01);
            for (int step = 0; step < 4; step++)
            {
                using var scope = torch.NewDisposeScope();
                optimizer.zero_grad();
                var y = forward(input(6));
                (y - 0.5).pow(2).mean().backward();
                optimizer.step();
            }
        }

        byte[] model = TorchOnnx.ToBytes(module, shape);
        Assert.IsTrue(module.training, "the export must leave the module in the mode it found it");
        module.eval();
        using var session = new InferenceSession(model);
        foreach (int batch in new[] { 1, 5 })
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var x = input(batch);
            var expected = forward(x);
            OnnxExportTests.AssertClose(expected, Run(session, "input", x), 1e-4);
        }
    }

    internal static float[] Run(InferenceSession session, string inputName, Tensor x)
    {
        using var contiguous = x.contiguous();
        int[] dims = x.shape.Select(d => (int)d).ToArray();
        var value = x.dtype == ScalarType.Int64
            ? NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<long>(contiguous.data<long>().ToArray(), dims))
            : NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<float>(contiguous.data<float>().ToArray(), dims));
        using var results = session.Run([value]);
        return ((DenseTensor<float>)results.Single().Value).ToArray();
    }

    /// <summary>The initializer names of an ONNX model, read from the protobuf (ModelProto.graph → GraphProto.initializer → TensorProto.name).</summary>
    private static List<string> InitializerNames(byte[] model)
    {
        var names = new List<string>();
        var input = new Google.Protobuf.CodedInputStream(model);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag >> 3 == 7) // ModelProto.graph
            {
                var graph = new Google.Protobuf.CodedInputStream(input.ReadBytes().ToByteArray());
                uint graphTag;
                while ((graphTag = graph.ReadTag()) != 0)
                {
                    if (graphTag >> 3 == 5) // GraphProto.initializer
                    {
                        var tensor = new Google.Protobuf.CodedInputStream(graph.ReadBytes().ToByteArray());
                        uint tensorTag;
                        while ((tensorTag = tensor.ReadTag()) != 0)
                        {
                            if (tensorTag >> 3 == 8) // TensorProto.name
                                names.Add(tensor.ReadString());
                            else
                                tensor.SkipLastField();
                        }
                    }
                    else
                    {
                        graph.SkipLastField();
                    }
                }
            }
            else
            {
                input.SkipLastField();
            }
        }

        return names;
    }
}

using MLExtensions.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace MLExtensions.Tests;

/// <summary>
/// Builds small models with <see cref="OnnxGraph"/>, runs them with ONNX Runtime and compares the results with
/// values computed independently in plain C#.
/// </summary>
[TestClass]
public sealed class OnnxGraphTests
{
    [TestMethod]
    public void GemmReluSoftmaxMatchesManualComputation()
    {
        // y = softmax(relu(x · Wᵀ + b)) for a batch of 4 rows of 3 features and 4 outputs.
        float[] w =
        [
            0.5f, -1.0f, 0.25f,
            -0.3f, 0.8f, 1.2f,
            1.5f, 0.1f, -0.7f,
            -2.0f, -0.5f, 0.3f,
        ];
        float[] b = [0.1f, -0.2f, 0.05f, 0.3f];
        float[] x =
        [
            1.0f, 2.0f, 3.0f,
            -1.0f, 0.5f, 0.25f,
            0.0f, 0.0f, 0.0f,
            2.5f, -1.5f, 0.75f,
        ];

        var graph = new OnnxGraph("mlp");
        graph.AddInput("x", OnnxTensorType.Float, -1, 3);
        string gemm = graph.AddNode(
            "Gemm",
            ["x", graph.AddInitializer("W", w, 4, 3), graph.AddInitializer("b", b, 4)],
            graph.UniqueName("gemm"),
            OnnxAttribute.Int("transB", 1));
        string relu = graph.AddNode("Relu", [gemm], graph.UniqueName("relu"));
        graph.AddNode("Softmax", [relu], "y", OnnxAttribute.Int("axis", -1));
        graph.AddOutput("y", OnnxTensorType.Float, -1, 4);

        using var session = new InferenceSession(graph.ToModelBytes());
        var inputMeta = session.InputMetadata["x"];
        CollectionAssert.AreEqual(new[] { -1, 3 }, inputMeta.Dimensions);
        Assert.AreEqual("N", inputMeta.SymbolicDimensions[0]);

        var (actual, shape) = RunFloat(session, "x", x, [4, 3], "y");
        CollectionAssert.AreEqual(new long[] { 4, 4 }, shape);

        for (int row = 0; row < 4; row++)
        {
            var h = new double[4];
            for (int j = 0; j < 4; j++)
            {
                double sum = b[j];
                for (int k = 0; k < 3; k++)
                {
                    sum += x[row * 3 + k] * w[j * 3 + k];
                }

                h[j] = Math.Max(0, sum);
            }

            double max = h.Max();
            double denominator = h.Sum(v => Math.Exp(v - max));
            for (int j = 0; j < 4; j++)
            {
                double expected = Math.Exp(h[j] - max) / denominator;
                Assert.AreEqual(expected, actual[row * 4 + j], 1e-5, $"row {row}, column {j}");
            }
        }
    }

    [TestMethod]
    public void ReshapeArgMaxCastFindsTheLargestElement()
    {
        var graph = new OnnxGraph("argmax");
        graph.AddInput("x", OnnxTensorType.Float, -1, 3);
        string flat = graph.AddNode("Reshape", ["x", graph.AddInitializer("shape", new long[] { -1 }, 1)], "flat");
        string index = graph.AddNode("ArgMax", [flat], "index", OnnxAttribute.Int("axis", 0), OnnxAttribute.Int("keepdims", 1));
        graph.AddNode("Cast", [index], "y", OnnxAttribute.Int("to", (long)OnnxTensorType.Float));
        graph.AddOutput("y", OnnxTensorType.Float, 1);
        graph.AddOutput("index", OnnxTensorType.Int64, 1);

        using var session = new InferenceSession(graph.ToModelBytes());
        float[][] cases =
        [
            [0.1f, 0.2f, 0.3f, 0.4f, 9.0f, 0.6f],
            [5.0f, 7.5f, -1.0f, 2.0f, 3.0f, 7.4f],
            [-3.0f, -2.0f, -8.0f, -1.0f, -5.0f, -0.5f, -9.0f, -4.0f, -6.0f],
        ];
        foreach (float[] x in cases)
        {
            int expected = Array.IndexOf(x, x.Max());
            var (y, shape) = RunFloat(session, "x", x, [x.Length / 3, 3], "y");
            CollectionAssert.AreEqual(new long[] { 1 }, shape);
            Assert.AreEqual((float)expected, y[0]);
        }
    }

    [TestMethod]
    public void GatherOverStringInitializerReturnsLabels()
    {
        string[] labels = ["cat", "dog", "oiseau à plumes", "鳥"];
        var graph = new OnnxGraph("labels");
        graph.AddInput("index", OnnxTensorType.Int64, -1);
        graph.AddNode("Gather", [graph.AddInitializer("labels", labels, 4), "index"], "label", OnnxAttribute.Int("axis", 0));
        graph.AddOutput("label", OnnxTensorType.String, -1);

        using var session = new InferenceSession(graph.ToModelBytes());
        long[] indices = [3, 0, 2, 1, 3];
        using var input = OrtValue.CreateTensorValueFromMemory(indices, [indices.Length]);
        using var options = new RunOptions();
        using var results = session.Run(options, ["index"], [input], ["label"]);
        string[] actual = results[0].GetStringTensorAsArray();

        CollectionAssert.AreEqual(indices.Select(i => labels[i]).ToArray(), actual);
    }

    [TestMethod]
    public void ConstantTensorTransposeAndLeakyReluAttributesAreApplied()
    {
        // y = LeakyRelu(x + Transpose(C, perm = [1, 0]), alpha = 0.1) * F, where C is a Constant [2, 3] tensor and
        // F a Constant built from value_floats, broadcast over the last axis.
        float[] c = [1f, -2f, 3f, -4f, 5f, -6f];
        float[] f = [2f, -3f];
        float[] x = [0.5f, 1f, -1.5f, 2f, 2.5f, -3f];

        var graph = new OnnxGraph("constants");
        graph.AddInput("x", OnnxTensorType.Float, 3, 2);
        string constant = graph.AddNode("Constant", [], "C", OnnxAttribute.Tensor("value", c, 2, 3));
        string transposed = graph.AddNode("Transpose", [constant], "CT", OnnxAttribute.Ints("perm", 1, 0));
        string sum = graph.AddNode("Add", ["x", transposed], "sum");
        string leaky = graph.AddNode("LeakyRelu", [sum], "leaky", OnnxAttribute.Float("alpha", 0.1f));
        string factor = graph.AddNode("Constant", [], "F", OnnxAttribute.Floats("value_floats", f));
        graph.AddNode("Mul", [leaky, factor], "y");
        graph.AddOutput("y", OnnxTensorType.Float, 3, 2);

        using var session = new InferenceSession(graph.ToModelBytes());
        var (actual, shape) = RunFloat(session, "x", x, [3, 2], "y");
        CollectionAssert.AreEqual(new long[] { 3, 2 }, shape);

        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                double s = x[i * 2 + j] + c[j * 3 + i]; // transposed: CT[i, j] = C[j, i]
                double expected = (s >= 0 ? s : 0.1 * s) * f[j];
                Assert.AreEqual(expected, actual[i * 2 + j], 1e-5, $"y[{i}, {j}]");
            }
        }
    }

    [TestMethod]
    public void EveryAttributeKindReachesTheRuntime()
    {
        // Constant has an attribute for each kind; a graph of Constants needs no inputs.
        var graph = new OnnxGraph("attribute_kinds");
        graph.AddNode("Constant", [], "i", OnnxAttribute.Int("value_int", -42));
        graph.AddNode("Constant", [], "ints", OnnxAttribute.Ints("value_ints", 7, -8, 1L << 40));
        graph.AddNode("Constant", [], "f", OnnxAttribute.Float("value_float", 3.25f));
        graph.AddNode("Constant", [], "s", OnnxAttribute.String("value_string", "héllo"));
        graph.AddNode("Constant", [], "ss", OnnxAttribute.Strings("value_strings", "a", "", "ünï"));
        graph.AddNode("Constant", [], "t", OnnxAttribute.Tensor("value", [1.5f]));
        graph.AddOutput("i", OnnxTensorType.Int64);
        graph.AddOutput("ints", OnnxTensorType.Int64, 3);
        graph.AddOutput("f", OnnxTensorType.Float);
        graph.AddOutput("s", OnnxTensorType.String);
        graph.AddOutput("ss", OnnxTensorType.String, 3);
        graph.AddOutput("t", OnnxTensorType.Float);

        using var session = new InferenceSession(graph.ToModelBytes());
        using var options = new RunOptions();
        using var results = session.Run(options, Array.Empty<string>(), Array.Empty<OrtValue>(), ["i", "ints", "f", "s", "ss", "t"]);

        CollectionAssert.AreEqual(new long[] { -42 }, results[0].GetTensorDataAsSpan<long>().ToArray());
        Assert.IsEmpty(results[0].GetTensorTypeAndShape().Shape);
        CollectionAssert.AreEqual(new long[] { 7, -8, 1L << 40 }, results[1].GetTensorDataAsSpan<long>().ToArray());
        CollectionAssert.AreEqual(new[] { 3.25f }, results[2].GetTensorDataAsSpan<float>().ToArray());
        CollectionAssert.AreEqual(new[] { "héllo" }, results[3].GetStringTensorAsArray());
        CollectionAssert.AreEqual(new[] { "a", "", "ünï" }, results[4].GetStringTensorAsArray());
        CollectionAssert.AreEqual(new[] { 1.5f }, results[5].GetTensorDataAsSpan<float>().ToArray());
    }

    [TestMethod]
    public void EmptyOptionalInputIsTreatedAsMissing()
    {
        // Clip(x, min = <omitted>, max = 1): only the upper bound applies.
        var graph = new OnnxGraph("clip");
        graph.AddInput("x", OnnxTensorType.Float, -1);
        graph.AddNode("Clip", ["x", "", graph.AddInitializer("max", [1f])], "y");
        graph.AddOutput("y", OnnxTensorType.Float, -1);

        using var session = new InferenceSession(graph.ToModelBytes());
        float[] x = [-5f, 0.5f, 1f, 3f];
        var (actual, _) = RunFloat(session, "x", x, [x.Length], "y");

        CollectionAssert.AreEqual(x.Select(v => Math.Min(v, 1f)).ToArray(), actual);
    }

    [TestMethod]
    public void MetadataAndProducerRoundTrip()
    {
        var graph = new OnnxGraph("with_metadata");
        graph.AddInput("x", OnnxTensorType.Double, -1, -1);
        graph.AddNode("Identity", ["x"], "y");
        graph.AddOutput("y", OnnxTensorType.Double, -1, -1);
        var metadata = new Dictionary<string, string>
        {
            ["mlextensions.task"] = "multiclass",
            ["labels"] = "cat,dog,鳥",
            ["empty"] = "",
        };

        byte[] bytes = graph.ToModelBytes(metadata: metadata);
        using (var stream = new MemoryStream())
        {
            graph.WriteTo(stream, metadata: metadata);
            CollectionAssert.AreEqual(bytes, stream.ToArray(), "WriteTo and ToModelBytes must produce the same bytes.");
        }

        using var session = new InferenceSession(bytes);
        var meta = session.ModelMetadata;
        Assert.AreEqual("MLExtensions", meta.ProducerName);
        Assert.AreEqual("with_metadata", meta.GraphName);
        Assert.HasCount(metadata.Count, meta.CustomMetadataMap);
        foreach (var (key, value) in metadata)
        {
            Assert.AreEqual(value, meta.CustomMetadataMap[key], key);
        }

        // Two symbolic dims in one input get distinct names.
        CollectionAssert.AreEqual(new[] { "N", "N1" }, session.InputMetadata["x"].SymbolicDimensions);
    }

    [TestMethod]
    public void UniqueNameNeverCollides()
    {
        var graph = new OnnxGraph("names");
        graph.AddInput("x", OnnxTensorType.Float, -1);
        graph.AddInitializer("x_2", [1f]);

        Assert.AreEqual("x_1", graph.UniqueName("x"));
        Assert.AreEqual("x_3", graph.UniqueName("x"), "x_2 is taken by an initializer");
        Assert.AreEqual("y", graph.UniqueName("y"));
        Assert.AreEqual("y_1", graph.UniqueName("y"));

        // Names defined after being skipped over, node outputs and node names all count as used.
        graph.AddNode("Relu", ["x"], "x_4");
        string relu = graph.AddNode("Relu", ["x_4"], graph.UniqueName("Relu"));
        Assert.AreNotEqual("Relu", relu, "the first Relu node is named 'Relu'");
        Assert.AreEqual("x_5", graph.UniqueName("x"));
        Assert.AreEqual("x_4_1", graph.UniqueName("x_4"));

        var all = new HashSet<string> { "x", "x_1", "x_2", "x_3", "x_4", "x_5", "x_4_1", "y", "y_1", relu };
        for (int i = 0; i < 500; i++)
        {
            string name = graph.UniqueName(i % 2 == 0 ? "x" : "y_1");
            Assert.IsTrue(all.Add(name), $"'{name}' was handed out twice");
        }

        // A value cannot be defined twice, whether by hand or by a node.
        Assert.ThrowsExactly<ArgumentException>(() => graph.AddInitializer("x_4", [0f]));
        Assert.ThrowsExactly<ArgumentException>(() => graph.AddNode("Relu", ["x"], "x"));

        // The graph is still valid and runnable.
        graph.AddOutput(relu, OnnxTensorType.Float, -1);
        using var session = new InferenceSession(graph.ToModelBytes());
        var (actual, _) = RunFloat(session, "x", [-1f, 2f], [2], relu);
        CollectionAssert.AreEqual(new[] { 0f, 2f }, actual);
    }

    [TestMethod]
    public void UndefinedOrOutOfOrderValuesAreRejected()
    {
        var graph = new OnnxGraph("broken");
        graph.AddInput("x", OnnxTensorType.Float, -1);
        graph.AddNode("Relu", ["later"], "y");
        graph.AddNode("Relu", ["x"], "later");
        graph.AddOutput("y", OnnxTensorType.Float, -1);
        Assert.ThrowsExactly<InvalidOperationException>(() => graph.ToModelBytes());

        var missingOutput = new OnnxGraph("missing");
        missingOutput.AddInput("x", OnnxTensorType.Float, -1);
        missingOutput.AddOutput("nowhere", OnnxTensorType.Float, -1);
        Assert.ThrowsExactly<InvalidOperationException>(() => missingOutput.ToModelBytes());

        Assert.ThrowsExactly<ArgumentException>(() => graph.AddInitializer("w", [1f, 2f, 3f], 2, 2));
    }

    private static (float[] Values, long[] Shape) RunFloat(InferenceSession session, string inputName, float[] input, long[] shape, string outputName)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var options = new RunOptions();
        using var results = session.Run(options, [inputName], [value], [outputName]);
        return (results[0].GetTensorDataAsSpan<float>().ToArray(), results[0].GetTensorTypeAndShape().Shape);
    }
}

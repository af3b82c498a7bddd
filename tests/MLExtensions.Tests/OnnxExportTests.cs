using Microsoft.ML.OnnxRuntime;
using MLExtensions.Networks;
using MLExtensions.Prediction;
using MLExtensions.Training;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Tests;

/// <summary>The exported ONNX graph computes what the TorchSharp module computes, to 1e-4, for every architecture option.</summary>
[TestClass]
public sealed class OnnxExportTests
{
    private static readonly Dictionary<string, string> NoMetadata = new();

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
    public void MlpMatchesOnnxRuntimeForEveryActivation(Activation activation)
    {
        torch.manual_seed(3);
        using var network = new MlpNetwork(6, [12, 7], 3, new ActivationLayer(activation, 0.2, 0.7), 0.3,
            WeightInitialization.Normal, 1.0);
        network.eval();
        using var x = torch.randn(9, 6) * 3;
        CompareRegression(network, x, 3);
    }

    [TestMethod]
    public void LinearModelMatchesOnnxRuntimeForEveryTaskHead()
    {
        torch.manual_seed(4);
        using var network = new MlpNetwork(5, [], 4, new ActivationLayer(Activation.Relu), 0, WeightInitialization.Default, 0);
        network.eval();
        using var x = torch.randn(8, 5);
        using var logits = network.forward(x);
        var bytes = OnnxModelComposer.Portable(network, PredictionKind.MulticlassClassification, new DenseVectorLayout(5), 4, NoMetadata);
        var outputs = Run(bytes, x);
        using var expected = torch.softmax(logits, 1);
        AssertClose(expected, outputs["probabilities"], 1e-5);
        var index = outputs["predicted_index"].Cast<long>().ToArray();
        CollectionAssert.AreEqual(logits.argmax(1).data<long>().ToArray(), index);

        using var binary = new MlpNetwork(5, [], 1, new ActivationLayer(Activation.Relu), 0, WeightInitialization.Default, 0);
        binary.eval();
        using var logit = binary.forward(x);
        var binaryOutputs = Run(OnnxModelComposer.Portable(binary, PredictionKind.BinaryClassification, new DenseVectorLayout(5), 1, NoMetadata), x);
        AssertClose(logit, binaryOutputs["logit"], 1e-5);
        using var probability = torch.sigmoid(logit);
        AssertClose(probability, binaryOutputs["probability"], 1e-5);
    }

    private static void CompareRegression(nn.Module<Tensor, Tensor> network, Tensor x, int outputs)
    {
        using var expected = network.forward(x);
        var bytes = OnnxModelComposer.Portable((IOnnxExportable)network, PredictionKind.Regression, new DenseVectorLayout((int)x.shape[1]), outputs, NoMetadata);
        var actual = Run(bytes, x);
        AssertClose(expected, actual["score"], 1e-4);
    }

    internal static Dictionary<string, System.Array> Run(byte[] model, Tensor x)
    {
        using var session = new InferenceSession(model);
        var input = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(x.contiguous().data<float>().ToArray(), x.shape.Select(d => (int)d).ToArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), input)]);
        var map = new Dictionary<string, System.Array>();
        foreach (var r in results)
            map[r.Name] = r.Value is Microsoft.ML.OnnxRuntime.Tensors.Tensor<float> f ? f.ToArray() : ((Microsoft.ML.OnnxRuntime.Tensors.Tensor<long>)r.Value).ToArray();
        return map;
    }

    internal static void AssertClose(Tensor expected, System.Array actual, double tolerance)
    {
        var e = expected.detach().contiguous().data<float>().ToArray();
        var a = actual.Cast<float>().ToArray();
        Assert.AreEqual(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
            Assert.AreEqual(e[i], a[i], tolerance * Math.Max(1, Math.Abs(e[i])), $"element {i}");
    }
}

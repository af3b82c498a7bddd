using MLExtensions.Inputs;
using MLExtensions.Networks;
using MLExtensions.Onnx;
using MLExtensions.Persistence;
using MLExtensions.Tasks;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Tests;

/// <summary>Dense networks and the task heads' standalone outputs: the ONNX export computes what TorchSharp computes.</summary>
[TestClass]
public sealed class OnnxExportTests
{
    /// <summary>The MLP with every activation (and dropout, which is the identity in evaluation mode), and the linear network.</summary>
    internal static IEnumerable<ParityCase> Cases =>
        Enum.GetValues<Activation>().Select(a => new ParityCase($"Mlp-{a}",
            () => (new MlpNetwork(6, [12, 7], 3, new ActivationLayer(a, 0.2, 0.7), 0.3), new DenseVectorLayout(6)),
            () => torch.randn(9, 6) * 3))
        .Append(new ParityCase("Linear", () => (new LinearNetwork(5, 4), new DenseVectorLayout(5)), () => torch.randn(1, 5)));

    [TestMethod]
    public void StandaloneModelHasEveryTaskHeadsOutputs()
    {
        torch.manual_seed(4);
        using var x = torch.randn(8, 5);

        using var multiclass = new LinearNetwork(5, 4);
        multiclass.eval();
        using var logits = multiclass.forward(x);
        var outputs = NetworkParityTests.Run(Standalone(multiclass, new DenseVectorLayout(5), Head(MulticlassClassificationHead.TaskName, classes: 4)), x);
        using var expected = torch.softmax(logits, 1);
        AssertClose(expected, outputs["probabilities"], 1e-5);
        CollectionAssert.AreEqual(logits.argmax(1).data<long>().ToArray(), outputs["predicted_index"].Cast<long>().ToArray());

        using var binary = new LinearNetwork(5, 1);
        binary.eval();
        using var logit = binary.forward(x);
        var binaryOutputs = NetworkParityTests.Run(Standalone(binary, new DenseVectorLayout(5), Head(BinaryClassificationHead.TaskName)), x);
        AssertClose(logit, binaryOutputs["logit"], 1e-5);
        using var probability = torch.sigmoid(logit);
        AssertClose(probability, binaryOutputs["probability"], 1e-5);

        var regressionOutputs = NetworkParityTests.Run(Standalone(binary, new DenseVectorLayout(5), Head(RegressionHead.TaskName)), x);
        AssertClose(logit, regressionOutputs["score"], 1e-5);
    }

    /// <summary>A bound head as a saved model would restore it.</summary>
    internal static TaskHead Head(string task, int classes = 0)
    {
        var m = Metadata(task);
        m.Set("classes", classes);
        m["loss"] = nameof(RegressionLoss.Mse);
        m.Set("huber_delta", 1.0);
        return TaskHeads.Restore(m);
    }

    private static ModelMetadata Metadata(string task)
    {
        var m = new ModelMetadata();
        m["trainer"] = "Test";
        m["task"] = task;
        m["feature_column"] = "Features";
        m["label_column"] = "Label";
        return m;
    }

    /// <summary>The standalone model of a network, made the way a fitted model makes it: written as a scoring model, then cut.</summary>
    internal static byte[] Standalone(NetworkModule network, InputLayout layout, TaskHead task)
    {
        var m = Metadata(task.Name);
        layout.WriteMetadata(m);
        m.AddRange(task.Metadata);
        var scoring = OnnxModelView.Parse(ScoringModel.Write(network, layout, task, m));
        return ScoringModel.Standalone(scoring, new ModelMetadata(scoring.Metadata), layout, task);
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

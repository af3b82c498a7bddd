using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLExtensions.Inputs;
using MLExtensions.Networks;
using MLExtensions.Onnx;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Tests;

/// <summary>One network to check: how to build it (with its input layout) and a batch of inputs.</summary>
internal sealed record ParityCase(string Name, Func<(NetworkModule Network, InputLayout Layout)> Build, Func<Tensor> Input, bool HasBatchNorm = false, int OutputRank = 2)
{
    public override string ToString() => Name;
}

/// <summary>
/// The one harness every network registers with: the network's ONNX export (read through its input layout's batch
/// input) must compute what its TorchSharp <c>forward</c> computes in evaluation mode, to 1e-4. Batch norm layers get
/// non-trivial running statistics first.
/// </summary>
[TestClass]
public sealed class NetworkParityTests
{
    /// <summary>Every registered case: one line per network family.</summary>
    internal static IEnumerable<ParityCase> Cases =>
        OnnxExportTests.Cases
            .Concat(CnnOnnxExportTests.Cases)
            .Concat(RnnOnnxExportTests.Cases)
            .Concat(AttentionOnnxExportTests.Cases)
            .Concat(VisionOnnxExportTests.Cases);

    public static IEnumerable<object[]> CaseNames => Cases.Select(c => new object[] { c.Name });

    [TestMethod]
    [DynamicData(nameof(CaseNames))]
    public void NetworkMatchesOnnxRuntime(string name)
    {
        var c = Cases.Single(c => c.Name == name);
        torch.manual_seed(17);
        var (network, layout) = c.Build();
        using (network)
        {
            if (c.HasBatchNorm)
                WarmUpBatchNorm(network, c.Input);
            using var x = c.Input();
            AssertMatches(network, layout, x, outputRank: c.OutputRank);
        }
    }

    [TestMethod]
    public void CaseNamesAreUnique() =>
        Assert.AreEqual(Cases.Count(), Cases.Select(c => c.Name).Distinct().Count(), "two parity cases share a name");

    /// <summary>Checks <paramref name="network"/>'s ONNX export against its forward on <paramref name="x"/> in evaluation mode.</summary>
    internal static void AssertMatches(NetworkModule network, InputLayout layout, Tensor x, double tolerance = 1e-4, int outputRank = 2)
    {
        network.eval();
        using var expected = torch.no_grad().Let(_ => network.forward(x));
        var g = new OnnxGraph("parity");
        var raw = network.WriteOnnx(g, layout.WriteBatchInput(g, "features"));
        g.AddNode("Identity", [raw], "raw");
        g.AddOutput("raw", OnnxTensorType.Float, Enumerable.Repeat(-1L, outputRank).ToArray());
        OnnxExportTests.AssertClose(expected, Run(g.ToModelBytes(), x)["raw"], tolerance);
    }

    /// <summary>A few training-mode passes so that batch norm layers hold running statistics other than 0 and 1.</summary>
    internal static void WarmUpBatchNorm(NetworkModule network, Func<Tensor> input)
    {
        network.train();
        using var _ = torch.no_grad();
        for (int i = 0; i < 3; i++)
        {
            using var x = input();
            using var shifted = x.dtype == ScalarType.Float32 ? x * 2 + i : x.clone();
            network.forward(shifted).Dispose();
        }
        network.eval();
    }

    /// <summary>Runs a one-input model with ONNX Runtime on a float or int64 tensor; outputs by name as flat arrays.</summary>
    public static Dictionary<string, System.Array> Run(byte[] model, Tensor x)
    {
        using var session = new InferenceSession(model);
        var dims = x.shape.Select(d => (int)d).ToArray();
        string name = session.InputMetadata.Keys.First();
        var input = x.dtype == ScalarType.Float32
            ? NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(x.contiguous().data<float>().ToArray(), dims))
            : NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(x.contiguous().data<long>().ToArray(), dims));
        using var results = session.Run([input]);
        var map = new Dictionary<string, System.Array>();
        foreach (var r in results)
            map[r.Name] = r.Value is Tensor<float> f ? f.ToArray() : ((Tensor<long>)r.Value).ToArray();
        return map;
    }
}

internal static class FunctionalExtensions
{
    /// <summary>Runs <paramref name="body"/> inside a disposable scope (for example no_grad) and returns its result.</summary>
    public static T Let<T>(this IDisposable scope, Func<IDisposable, T> body)
    {
        using (scope)
            return body(scope);
    }
}

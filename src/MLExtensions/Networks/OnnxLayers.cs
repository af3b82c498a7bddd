using MLExtensions.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>ONNX writers for TorchSharp layers shared by several networks.</summary>
internal static class OnnxLayers
{
    /// <summary>Copies a tensor's values to a float array (on the CPU).</summary>
    public static float[] Values(Tensor t)
    {
        using var cpu = t.detach().cpu().contiguous();
        return cpu.data<float>().ToArray();
    }

    /// <summary>x·Wᵀ + b as a Gemm node.</summary>
    public static string Dense(OnnxGraph g, string input, Linear layer, string name)
    {
        var w = g.AddInitializer(g.UniqueName(name + ".weight"), Values(layer.weight), layer.weight.shape);
        var inputs = new List<string> { input, w };
        if (layer.bias is not null)
            inputs.Add(g.AddInitializer(g.UniqueName(name + ".bias"), Values(layer.bias), layer.bias.shape));
        return g.AddNode("Gemm", inputs.ToArray(), g.UniqueName(name), OnnxAttribute.Int("transB", 1));
    }
}

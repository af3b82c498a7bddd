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

    /// <summary>A 2-D convolution (square kernel, symmetric padding) as a Conv node.</summary>
    public static string Conv(OnnxGraph g, string input, Conv2d conv, string name)
    {
        var inputs = new List<string> { input, g.AddInitializer(g.UniqueName(name + ".weight"), Values(conv.weight), conv.weight.shape) };
        if (conv.bias is not null)
            inputs.Add(g.AddInitializer(g.UniqueName(name + ".bias"), Values(conv.bias), conv.bias.shape));
        long p = conv.padding![0];
        return g.AddNode("Conv", inputs.ToArray(), g.UniqueName(name),
            OnnxAttribute.Ints("kernel_shape", conv.kernel_size),
            OnnxAttribute.Ints("strides", conv.stride),
            OnnxAttribute.Ints("pads", p, p, p, p));
    }

    /// <summary>Batch normalization with the running statistics (inference mode).</summary>
    public static string BatchNorm(OnnxGraph g, string input, BatchNorm2d bn, string name)
    {
        string Init(string suffix, Tensor t) => g.AddInitializer(g.UniqueName(name + suffix), Values(t), t.shape);
        return g.AddNode("BatchNormalization",
            [input, Init(".weight", bn.weight!), Init(".bias", bn.bias!), Init(".running_mean", bn.running_mean!), Init(".running_var", bn.running_var!)],
            g.UniqueName(name), OnnxAttribute.Float("epsilon", (float)bn.eps));
    }

    /// <summary>Max or average pooling with a square window and symmetric padding.</summary>
    public static string Pool(OnnxGraph g, string input, Pooling pooling, int kernel, int stride, int padding = 0) =>
        g.AddNode(pooling == Pooling.Max ? "MaxPool" : "AveragePool", [input], g.UniqueName(pooling == Pooling.Max ? "maxpool" : "avgpool"),
            OnnxAttribute.Ints("kernel_shape", kernel, kernel),
            OnnxAttribute.Ints("strides", stride, stride),
            OnnxAttribute.Ints("pads", padding, padding, padding, padding));

    /// <summary>[N, C·H·W] → [N, C, H, W].</summary>
    public static string ToImage(OnnxGraph g, string input, ImageShape shape) =>
        g.AddNode("Reshape", [input, g.AddInitializer(g.UniqueName("image_shape"), new long[] { -1, shape.Channels, shape.Height, shape.Width }, 4)], g.UniqueName("image"));

    /// <summary>[N, C, H, W] → [N, C·H·W].</summary>
    public static string Flatten(OnnxGraph g, string input) =>
        g.AddNode("Flatten", [input], g.UniqueName("flatten"), OnnxAttribute.Int("axis", 1));

    /// <summary>[N, C, H, W] → [N, C]: the mean of each channel.</summary>
    public static string GlobalAveragePool(OnnxGraph g, string input) =>
        Flatten(g, g.AddNode("GlobalAveragePool", [input], g.UniqueName("global_pool")));

    /// <summary>x·Wᵀ + b for inputs of any rank ≥ 2 (MatMul + Add), the last dimension being the features.</summary>
    public static string DenseNd(OnnxGraph g, string input, Linear layer, string name)
    {
        using var transposed = layer.weight.detach().t().contiguous();
        var w = g.AddInitializer(g.UniqueName(name + ".weight_t"), Values(transposed), transposed.shape);
        var y = g.AddNode("MatMul", [input, w], g.UniqueName(name + ".matmul"));
        return layer.bias is null ? y : g.AddNode("Add", [y, g.AddInitializer(g.UniqueName(name + ".bias"), Values(layer.bias), layer.bias.shape)], g.UniqueName(name));
    }

    /// <summary>Layer normalization over the last dimension.</summary>
    public static string LayerNorm(OnnxGraph g, string input, LayerNorm norm, string name, double epsilon = 1e-5) =>
        g.AddNode("LayerNormalization",
            [input, g.AddInitializer(g.UniqueName(name + ".weight"), Values(norm.weight!), norm.weight!.shape),
                g.AddInitializer(g.UniqueName(name + ".bias"), Values(norm.bias!), norm.bias!.shape)],
            g.UniqueName(name), OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", (float)epsilon));

    /// <summary>A 1-D int64 constant.</summary>
    public static string Longs(OnnxGraph g, string name, params long[] values) => g.Longs(name, values);

    /// <summary>The size of dimension <paramref name="axis"/> of <paramref name="input"/> as a 1-element int64 vector.</summary>
    public static string Dim(OnnxGraph g, string input, int axis) =>
        g.AddNode("Slice", [g.AddNode("Shape", [input], g.UniqueName("shape")), Longs(g, "start", axis), Longs(g, "end", axis + 1)], g.UniqueName("dim"));
}

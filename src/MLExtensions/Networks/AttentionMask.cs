using MLExtensions.Onnx;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// Which keys a query may attend to: not padded keys and, with a window w, only keys within ±w positions. Both the
/// TorchSharp forms (full and banded) and the ONNX form are here, so they cannot drift apart. Masked scores get
/// <see cref="Masked"/> added, which makes their softmax weight exactly 0 in float32.
/// </summary>
internal static class AttentionMask
{
    /// <summary>Added to the scores of masked positions.</summary>
    public const float Masked = -1e9f;

    /// <summary>[N, 1, T, T] additive bias for the full form: padded keys, and keys outside the window.</summary>
    /// <param name="mask">[N, T] booleans, true for real positions.</param>
    /// <param name="t">The sequence length T.</param>
    /// <param name="window">Keys further than this from the query are masked; 0 keeps every key.</param>
    public static Tensor FullBias(Tensor mask, long t, int window)
    {
        var bias = (1 - mask.to(float32)).view(mask.shape[0], 1, 1, t) * Masked;
        if (window > 0)
        {
            var positions = arange(t, device: mask.device);
            var distance = (positions.unsqueeze(0) - positions.unsqueeze(1)).abs();
            bias = bias + distance.gt(window).to(float32).view(1, 1, t, t) * Masked;
        }
        return bias;
    }

    /// <summary>[N, 1, T, 2w+1] additive bias for the banded form, key j of query i being position i − w + j.</summary>
    public static Tensor BandBias(Tensor mask, int window)
    {
        int span = 2 * window + 1;
        var valid = nn.functional.pad(mask.to(float32), [window, window]).unfold(1, span, 1).unsqueeze(1);
        return (1 - valid) * Masked;
    }

    /// <summary>The ONNX form of <see cref="FullBias"/>: <paramref name="mask"/> is [N, T] floats (1 = real), <paramref name="h"/> any [N, T, …] value.</summary>
    public static string WriteOnnx(OnnxGraph g, string h, string mask, int window)
    {
        var inverted = g.AddNode("Sub", [g.AddInitializer(g.UniqueName("one_f"), [1f]), mask], g.UniqueName("padding"));
        var keyBias = g.AddNode("Mul", [g.AddNode("Reshape", [inverted, OnnxLayers.Longs(g, "key_shape", 0, 1, 1, -1)], g.UniqueName("padding4")),
            g.AddInitializer(g.UniqueName("masked"), [Masked])], g.UniqueName("key_bias"));
        if (window <= 0)
            return keyBias;
        var t = g.AddNode("Squeeze", [OnnxLayers.Dim(g, h, 1), OnnxLayers.Longs(g, "axis0", 0)], g.UniqueName("t"));
        var range = g.AddNode("Range", [g.AddInitializer(g.UniqueName("start"), new long[] { 0 }), t, g.AddInitializer(g.UniqueName("delta"), new long[] { 1 })], g.UniqueName("window_positions"));
        var distance = g.AddNode("Abs", [g.AddNode("Sub", [g.AddNode("Unsqueeze", [range, OnnxLayers.Longs(g, "axis0", 0)], g.UniqueName("pos_row")),
            g.AddNode("Unsqueeze", [range, OnnxLayers.Longs(g, "axis1", 1)], g.UniqueName("pos_col"))], g.UniqueName("offset"))], g.UniqueName("distance"));
        var outside = g.AddNode("Cast", [g.AddNode("Greater", [distance, g.AddInitializer(g.UniqueName("window"), new long[] { window })], g.UniqueName("outside"))],
            g.UniqueName("outside_f"), OnnxAttribute.Int("to", (long)OnnxTensorType.Float));
        var windowBias = g.AddNode("Mul", [outside, g.AddInitializer(g.UniqueName("masked"), [Masked])], g.UniqueName("window_bias"));
        return g.AddNode("Add", [keyBias, windowBias], g.UniqueName("bias"));
    }
}

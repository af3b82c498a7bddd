using MLExtensions.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// Multi-head self-attention written from matrix products and a softmax, with a key-padding mask and an optional
/// window (each position attends to positions within ±window). With a window, training computes only the band
/// (time and memory linear in the length); the ONNX export uses the equivalent masked full form.
/// </summary>
internal sealed class MultiHeadSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear query, key, value, output;
    private readonly int _heads, _window;
    private readonly long _headSize;

    public MultiHeadSelfAttention(string name, int dimension, int heads, int window) : base(name)
    {
        query = nn.Linear(dimension, dimension);
        key = nn.Linear(dimension, dimension);
        value = nn.Linear(dimension, dimension);
        output = nn.Linear(dimension, dimension);
        _heads = heads;
        _window = window;
        _headSize = dimension / heads;
        RegisterComponents();
    }

    /// <param name="x">[N, T, D]</param>
    /// <param name="mask">[N, T] booleans, true for real positions.</param>
    public override Tensor forward(Tensor x, Tensor mask)
    {
        long n = x.shape[0], t = x.shape[1];
        Tensor Split(Linear layer) => layer.forward(x).view(n, t, _heads, _headSize).transpose(1, 2); // [N, h, T, dk]
        var q = Split(query) / Math.Sqrt(_headSize);
        var k = Split(key);
        var v = Split(value);
        var attended = _window > 0 ? Banded(q, k, v, mask) : Full(q, k, v, mask, t);
        return output.forward(attended.transpose(1, 2).reshape(n, t, _heads * _headSize));
    }

    private Tensor Full(Tensor q, Tensor k, Tensor v, Tensor mask, long t)
    {
        var scores = q.matmul(k.transpose(2, 3)) + AttentionMask.FullBias(mask, t, _window);
        return scores.softmax(-1).matmul(v);
    }

    /// <summary>Only the 2·window + 1 keys around each query: [N, h, T, 2w+1] scores instead of [N, h, T, T].</summary>
    private Tensor Banded(Tensor q, Tensor k, Tensor v, Tensor mask)
    {
        int w = _window, span = 2 * w + 1;
        var keys = nn.functional.pad(k, [0, 0, w, w]).unfold(2, span, 1);     // [N, h, T, dk, span]
        var values = nn.functional.pad(v, [0, 0, w, w]).unfold(2, span, 1);   // [N, h, T, dk, span]
        var scores = (q.unsqueeze(-1) * keys).sum(-2);                        // [N, h, T, span]
        scores = scores + AttentionMask.BandBias(mask, w);
        var weights = scores.softmax(-1);
        return (weights.unsqueeze(-2) * values).sum(-1);                      // [N, h, T, dk]
    }

    /// <summary>The masked full form in ONNX. <paramref name="bias"/> is the [N, 1, T, T] additive mask; <paramref name="weights"/> the [N, h, T, T] attention weights.</summary>
    public string WriteOnnx(OnnxGraph g, string x, string bias, string name, out string weights)
    {
        var shape = OnnxLayers.Longs(g, "head_shape", 0, 0, _heads, _headSize);
        string Split(Linear layer, string part) =>
            g.AddNode("Transpose", [g.AddNode("Reshape", [OnnxLayers.DenseNd(g, x, layer, name + part), shape], g.UniqueName(name + part + ".heads"))],
                g.UniqueName(name + part + ".t"), OnnxAttribute.Ints("perm", 0, 2, 1, 3));
        var q = g.AddNode("Mul", [Split(query, ".q"), g.AddInitializer(g.UniqueName("scale"), [(float)(1 / Math.Sqrt(_headSize))])], g.UniqueName(name + ".q_scaled"));
        var kT = g.AddNode("Transpose", [Split(key, ".k")], g.UniqueName(name + ".k_t"), OnnxAttribute.Ints("perm", 0, 1, 3, 2));
        var v = Split(value, ".v");
        var scores = g.AddNode("Add", [g.AddNode("MatMul", [q, kT], g.UniqueName(name + ".scores")), bias], g.UniqueName(name + ".masked_scores"));
        weights = g.AddNode("Softmax", [scores], g.UniqueName(name + ".weights"), OnnxAttribute.Int("axis", -1));
        var attended = g.AddNode("Transpose", [g.AddNode("MatMul", [weights, v], g.UniqueName(name + ".attended"))], g.UniqueName(name + ".attended_t"),
            OnnxAttribute.Ints("perm", 0, 2, 1, 3));
        var merged = g.AddNode("Reshape", [attended, OnnxLayers.Longs(g, "merge_shape", 0, 0, _heads * _headSize)], g.UniqueName(name + ".merged"));
        return OnnxLayers.DenseNd(g, merged, output, name + ".out");
    }
}

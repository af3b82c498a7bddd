using MLExtensions.Onnx;
using MLExtensions.Inputs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// Turns a padded batch of sequences into per-step feature vectors and a validity mask: token indices through an
/// embedding (or one-hot), or NaN-padded dense steps. Padding positions are masked out by the networks that use it.
/// </summary>
internal sealed class SequenceInput : nn.Module
{
    private readonly int _vocabulary;   // token index count (padding and unknown included), 0 for dense steps
    private readonly int _stepSize;
    private readonly bool _oneHot;
    private readonly Embedding? embedding;

    private SequenceInput(int indexCount, int stepSize, bool oneHot, int embeddingSize) : base("SequenceInput")
    {
        _vocabulary = indexCount;
        _stepSize = stepSize;
        _oneHot = oneHot;
        if (indexCount > 0 && !oneHot)
        {
            // N(0, 1/size) rather than N(0, 1): a token's vector starts at unit length, like a dense layer's output on
            // standardized features, so rare and unseen tokens add little noise to pooled or recurrent states
            // (docs/defaults.md: 3–4 points of accuracy on short texts). The padding row stays zero.
            embedding = nn.Embedding(indexCount, embeddingSize, padding_idx: 0);
            using (torch.no_grad())
            using (NewDisposeScope())
                embedding.weight!.normal_(0, 1 / Math.Sqrt(embeddingSize))[0].zero_();
        }
        FeatureSize = indexCount == 0 ? stepSize : oneHot ? indexCount : embeddingSize;
        RegisterComponents();
    }

    public static SequenceInput For(InputLayout layout, bool oneHot, int embeddingSize) => layout switch
    {
        TokenSequenceLayout tokens => new SequenceInput(tokens.IndexCount, 0, oneHot, embeddingSize),
        DenseSequenceLayout dense => new SequenceInput(0, dense.StepSize, false, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(layout), "Sequence networks read token or step sequences."),
    };

    /// <summary>Width of each step's feature vector.</summary>
    public int FeatureSize { get; }

    /// <summary>[N, T] int64 tokens or [N, T·S] floats → steps [N, T, F] (zeros at padding) and mask [N, T] (true = real step).</summary>
    public (Tensor Steps, Tensor Mask) Encode(Tensor x)
    {
        if (_vocabulary > 0)
        {
            var mask = x.gt(0);
            var steps = embedding is not null
                ? embedding.forward(x)
                : nn.functional.one_hot(x, _vocabulary).to(float32);
            return (steps, mask);
        }
        var dense = x.reshape(x.shape[0], -1, _stepSize);
        var missing = dense.isnan();
        return (torch.where(missing, torch.zeros_like(dense), dense), missing.select(2, 0).logical_not());
    }

    /// <summary>The ONNX counterpart of <see cref="Encode"/>: steps [N, T, F], the mask as floats [N, T], lengths as int32 [N].</summary>
    public (string Steps, string Mask, string Lengths) WriteOnnx(OnnxGraph g, string input)
    {
        string steps, valid;
        if (_vocabulary > 0)
        {
            valid = g.AddNode("Greater", [input, g.AddInitializer(g.UniqueName("zero"), new long[] { 0 })], g.UniqueName("valid"));
            var table = embedding is not null
                ? g.AddInitializer(g.UniqueName("embedding.weight"), OnnxLayers.Values(embedding.weight!), embedding.weight!.shape)
                : g.AddInitializer(g.UniqueName("one_hot"), Identity(_vocabulary), _vocabulary, _vocabulary);
            steps = g.AddNode("Gather", [table, input], g.UniqueName("token_steps"));
        }
        else
        {
            var dense = g.AddNode("Reshape", [input, g.AddInitializer(g.UniqueName("step_shape"), new long[] { 0, -1, _stepSize }, 3)], g.UniqueName("steps3"));
            var missing = g.AddNode("IsNaN", [dense], g.UniqueName("missing"));
            steps = g.AddNode("Where", [missing, g.AddInitializer(g.UniqueName("zero"), [0f]), dense], g.UniqueName("dense_steps"));
            var first = g.AddNode("Gather", [missing, g.AddInitializer(g.UniqueName("first"), new long[] { 0 }, [])], g.UniqueName("first_missing"), OnnxAttribute.Int("axis", 2));
            valid = g.AddNode("Not", [first], g.UniqueName("valid"));
        }
        var mask = g.AddNode("Cast", [valid], g.UniqueName("mask"), OnnxAttribute.Int("to", (long)OnnxTensorType.Float));
        var sum = g.AddNode("ReduceSum", [mask, g.AddInitializer(g.UniqueName("axis1"), new long[] { 1 }, 1)], g.UniqueName("length_sum"), OnnxAttribute.Int("keepdims", 0));
        var lengths = g.AddNode("Cast", [sum], g.UniqueName("lengths"), OnnxAttribute.Int("to", (long)OnnxTensorType.Int32));
        return (steps, mask, lengths);
    }

    private static float[] Identity(int n)
    {
        var values = new float[n * n];
        for (int i = 0; i < n; i++)
            values[i * n + i] = 1;
        return values;
    }
}

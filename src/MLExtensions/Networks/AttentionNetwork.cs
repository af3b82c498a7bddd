using MLExtensions.Onnx;
using MLExtensions.Inputs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// A transformer encoder classifier/regressor: tokens, dense steps or image patches projected to the model width,
/// positional encodings, encoder layers with padding (and window) masks, pooling, and a dense output layer.
/// </summary>
internal sealed class AttentionNetwork : NetworkModule
{
    private readonly SequenceInput? input;
    private readonly Linear? projection;
    private readonly Parameter? positions;
    private readonly Parameter? classToken;
    private readonly ModuleList<EncoderLayer> layers = new();
    private readonly LayerNorm? finalNorm;
    private readonly Linear head;
    private readonly float[]? _frequencies;
    private readonly int _dimension, _window;
    private readonly AttentionPooling _pooling;
    private readonly (ImageShape Image, int Patch)? _patches;
    private readonly bool _perStep;

    public AttentionNetwork(InputLayout layout, AttentionOptions o, int outputs) : base("Attention")
    {
        _dimension = o.ModelDimension;
        _window = o.AttentionWindow;
        _perStep = o.Output == SequenceOutput.PerStep;
        _pooling = _perStep ? AttentionPooling.Mean : o.Pooling; // per-step output reads every position: no class token
        if (o.PatchSize > 0)
        {
            var image = new ImageShape(o.ImageChannels, o.ImageHeight, o.ImageWidth);
            _patches = (image, o.PatchSize);
            projection = nn.Linear(image.Channels * o.PatchSize * o.PatchSize, _dimension);
        }
        else
        {
            input = SequenceInput.For(layout, oneHot: false, embeddingSize: _dimension);
            if (layout is DenseSequenceLayout)
                projection = nn.Linear(input.FeatureSize, _dimension);
        }

        if (o.PositionalEncoding == PositionalEncoding.Learned)
            positions = nn.Parameter(torch.randn(o.MaxSequenceLength, _dimension) * 0.02);
        else if (o.PositionalEncoding == PositionalEncoding.Sinusoidal)
            _frequencies = Enumerable.Range(0, _dimension / 2).Select(i => (float)Math.Exp(-Math.Log(10000.0) * 2 * i / _dimension)).ToArray();
        if (_pooling == AttentionPooling.ClassToken)
            classToken = nn.Parameter(torch.randn(1, 1, _dimension) * 0.02);
        for (int l = 0; l < o.Layers; l++)
            layers.Add(new EncoderLayer($"layer{l}", _dimension, o.Heads, o.FeedForwardSize, o.Dropout, o.PreLayerNorm, o.AttentionWindow));
        if (o.PreLayerNorm)
            finalNorm = nn.LayerNorm(_dimension);
        head = nn.Linear(_dimension, outputs);
        RegisterComponents();
    }

    public IList<EncoderLayer> Layers => layers;

    public override Linear OutputLayer => head;

    /// <summary>The encoder's output per position and its mask, before pooling: [N, T, D] and [N, T].</summary>
    public (Tensor Hidden, Tensor Mask) Encode(Tensor x)
    {
        Tensor h, mask;
        if (_patches is var (image, p))
        {
            long n = x.shape[0];
            h = x.reshape(n, image.Channels, image.Height / p, p, image.Width / p, p)
                .permute(0, 2, 4, 1, 3, 5)
                .reshape(n, (image.Height / p) * (image.Width / p), image.Channels * p * p);
            h = projection!.forward(h);
            mask = torch.ones(n, h.shape[1], dtype: ScalarType.Bool, device: x.device);
        }
        else
        {
            (h, mask) = input!.Encode(x);
            if (projection is not null)
                h = projection.forward(h);
        }

        long t = h.shape[1];
        if (_frequencies is not null)
        {
            var angles = torch.arange(t, dtype: float32, device: h.device).unsqueeze(1) * torch.tensor(_frequencies, device: h.device).unsqueeze(0);
            h = h + torch.stack([angles.sin(), angles.cos()], 2).reshape(t, _dimension);
        }
        else if (positions is not null)
            h = h + positions.narrow(0, 0, t);

        if (classToken is not null)
        {
            h = torch.cat([classToken.expand(h.shape[0], 1, _dimension), h], 1);
            mask = torch.cat([torch.ones(mask.shape[0], 1, dtype: ScalarType.Bool, device: mask.device), mask], 1);
        }
        foreach (var layer in layers)
            h = layer.forward(h, mask);
        if (finalNorm is not null)
            h = finalNorm.forward(h);
        return (h, mask);
    }

    public override Tensor forward(Tensor x)
    {
        var (h, mask) = Encode(x);
        if (_perStep) // padded positions read zeros, so they output the bias in TorchSharp and ONNX alike
            return head.forward(h * mask.to(h.dtype).unsqueeze(2));
        var m = mask.to(h.dtype);
        Tensor pooled = _pooling switch
        {
            AttentionPooling.ClassToken => h.select(1, 0),
            AttentionPooling.Last => (h * LastPosition(m).unsqueeze(2)).sum(1),
            _ => (h * m.unsqueeze(2)).sum(1) / m.sum(1, keepdim: true),
        };
        return head.forward(pooled);
    }

    private static Tensor LastPosition(Tensor m)
    {
        var last = m.sum(1, keepdim: true) - 1;
        var index = torch.arange(m.shape[1], dtype: m.dtype, device: m.device).unsqueeze(0);
        return index.eq(last).to(m.dtype);
    }

    /// <summary>The role under which <see cref="NetworkModule.WrittenValues"/> names encoder layer <paramref name="layer"/>'s
    /// attention weights [N, heads, T, T].</summary>
    public static string AttentionWeightsRole(int layer) =>
        "attention_weights." + layer.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override string WriteOnnx(OnnxGraph g, string inputName)
    {
        var (h, mask) = WriteInput(g, inputName);
        h = WritePositions(g, h);
        if (classToken is not null)
            (h, mask) = WriteClassToken(g, h, mask);

        var bias = AttentionMask.WriteOnnx(g, h, mask, _window);
        for (int l = 0; l < layers.Count; l++)
        {
            h = layers[l].WriteOnnx(g, h, bias, out var weights);
            RecordValue(AttentionWeightsRole(l), weights);
        }
        if (finalNorm is not null)
            h = OnnxLayers.LayerNorm(g, h, finalNorm, "final_norm");

        if (_perStep)
            return OnnxLayers.DenseNd(g, g.Node("Mul", [h, g.Node("Unsqueeze", [mask, g.Longs("axis2", 2)])]), head, "head");
        return OnnxLayers.Dense(g, WritePooling(g, h, mask), head, "head");
    }

    private static OnnxAttribute Axis(long axis) => OnnxAttribute.Int("axis", axis);

    private static OnnxAttribute ToFloat => OnnxAttribute.Int("to", (long)OnnxTensorType.Float);

    /// <summary>Steps [N, T, D] and the float mask [N, T]: image patches, or the token/step input.</summary>
    private (string Steps, string Mask) WriteInput(OnnxGraph g, string inputName)
    {
        if (_patches is not var (image, p))
        {
            var (steps, mask, _) = input!.WriteOnnx(g, inputName);
            return (projection is null ? steps : OnnxLayers.DenseNd(g, steps, projection, "step_projection"), mask);
        }
        long rows = image.Height / p, columns = image.Width / p, count = rows * columns;
        var grid = g.Node("Reshape", [inputName, g.Longs("patch_grid", -1, image.Channels, rows, p, columns, p)]);
        var moved = g.Node("Transpose", [grid], OnnxAttribute.Ints("perm", 0, 2, 4, 1, 3, 5));
        var flat = g.Node("Reshape", [moved, g.Longs("patch_shape", 0, count, image.Channels * p * p)]);
        var shape = g.Node("Concat", [OnnxLayers.Dim(g, inputName, 0), g.Longs("patch_count", count)], Axis(0));
        return (OnnxLayers.DenseNd(g, flat, projection!, "patch_projection"),
            g.Node("ConstantOfShape", [shape], OnnxAttribute.Tensor("value", [1f], 1)));
    }

    /// <summary>Adds the sinusoidal or learned positional encodings to [N, T, D].</summary>
    private string WritePositions(OnnxGraph g, string h)
    {
        var length = OnnxLayers.Dim(g, h, 1);
        if (_frequencies is not null)
        {
            var t = g.Node("Squeeze", [length, g.Longs("axis0", 0)]);
            var range = g.Node("Range", [g.AddInitializer(g.UniqueName("start"), new long[] { 0 }), t, g.AddInitializer(g.UniqueName("delta"), new long[] { 1 })]);
            var column = g.Node("Unsqueeze", [g.Node("Cast", [range], ToFloat), g.Longs("axis1", 1)]);
            var angles = g.Node("Mul", [column, g.AddInitializer(g.UniqueName("frequencies"), _frequencies, 1, _frequencies.Length)]);
            var axis2 = g.Longs("axis2", 2);
            var sin = g.Node("Unsqueeze", [g.Node("Sin", [angles]), axis2]);
            var cos = g.Node("Unsqueeze", [g.Node("Cos", [angles]), axis2]);
            var table = g.Node("Reshape", [g.Node("Concat", [sin, cos], Axis(2)), g.Longs("pe_shape", -1, _dimension)]);
            return g.AddNode("Add", [h, table], g.UniqueName("with_positions"));
        }
        if (positions is null)
            return h;
        var learned = g.AddInitializer(g.UniqueName("positions"), OnnxLayers.Values(positions), positions.shape);
        var used = g.Node("Slice", [learned, g.Longs("start", 0), length, g.Longs("axis", 0)]);
        return g.AddNode("Add", [h, used], g.UniqueName("with_positions"));
    }

    /// <summary>Prepends the class token to the steps and a real position to the mask.</summary>
    private (string Steps, string Mask) WriteClassToken(OnnxGraph g, string h, string mask)
    {
        var batch = OnnxLayers.Dim(g, h, 0);
        var token = g.AddInitializer(g.UniqueName("class_token"), OnnxLayers.Values(classToken!), classToken!.shape);
        var cls = g.Node("Expand", [token, g.Node("Concat", [batch, g.Longs("cls_dims", 1, _dimension)], Axis(0))]);
        var ones = g.Node("ConstantOfShape", [g.Node("Concat", [batch, g.Longs("one", 1)], Axis(0))], OnnxAttribute.Tensor("value", [1f], 1));
        return (g.AddNode("Concat", [cls, h], g.UniqueName("with_cls"), Axis(1)), g.AddNode("Concat", [ones, mask], g.UniqueName("mask_with_cls"), Axis(1)));
    }

    /// <summary>[N, T, D] → [N, D]: the class token's output, the last real position, or the mean over real positions.</summary>
    private string WritePooling(OnnxGraph g, string h, string mask)
    {
        if (_pooling == AttentionPooling.ClassToken)
            return g.Node("Gather", [h, g.AddInitializer(g.UniqueName("first"), new long[] { 0 })], Axis(1));
        var axis1 = g.Longs("axis1", 1);
        var keep = OnnxAttribute.Int("keepdims", 1);
        string weights = mask;
        if (_pooling == AttentionPooling.Last)
        {
            var last = g.Node("Sub", [g.Node("ReduceSum", [mask, axis1], keep), g.Floats("one_f", 1f)]);
            var t = g.Node("Cast", [g.Node("Squeeze", [OnnxLayers.Dim(g, h, 1), g.Longs("axis0", 0)])], ToFloat);
            var index = g.Node("Unsqueeze", [g.Node("Range", [g.Floats("start", 0f), t, g.Floats("delta", 1f)]), g.Longs("axis0", 0)]);
            weights = g.Node("Cast", [g.Node("Equal", [index, last])], ToFloat);
        }
        var weighted = g.Node("Mul", [h, g.Node("Unsqueeze", [weights, g.Longs("axis2", 2)])]);
        var sum = g.Node("ReduceSum", [weighted, axis1], OnnxAttribute.Int("keepdims", 0));
        return _pooling == AttentionPooling.Mean ? g.Node("Div", [sum, g.Node("ReduceSum", [mask, axis1], keep)]) : sum;
    }
}

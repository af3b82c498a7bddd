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

    /// <summary>The role under which <see cref="NetworkModule.WrittenValues"/> names encoder layer <paramref name="layer"/>'s attention weights [N, heads, T, T].</summary>
    public static string AttentionWeightsRole(int layer) => "attention_weights." + layer.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override string WriteOnnx(OnnxGraph g, string inputName)
    {
        string h, mask;
        if (_patches is var (image, p))
        {
            var grid = g.AddNode("Reshape", [inputName, OnnxLayers.Longs(g, "patch_grid", -1, image.Channels, image.Height / p, p, image.Width / p, p)], g.UniqueName("patch_grid"));
            var moved = g.AddNode("Transpose", [grid], g.UniqueName("patch_order"), OnnxAttribute.Ints("perm", 0, 2, 4, 1, 3, 5));
            long count = (image.Height / p) * (image.Width / p);
            var flat = g.AddNode("Reshape", [moved, OnnxLayers.Longs(g, "patch_shape", 0, count, image.Channels * p * p)], g.UniqueName("patches"));
            h = OnnxLayers.DenseNd(g, flat, projection!, "patch_projection");
            var shape = g.AddNode("Concat", [OnnxLayers.Dim(g, inputName, 0), OnnxLayers.Longs(g, "patch_count", count)], g.UniqueName("mask_shape"), OnnxAttribute.Int("axis", 0));
            mask = g.AddNode("ConstantOfShape", [shape], g.UniqueName("mask"), OnnxAttribute.Tensor("value", [1f], 1));
        }
        else
        {
            (h, mask, _) = input!.WriteOnnx(g, inputName);
            if (projection is not null)
                h = OnnxLayers.DenseNd(g, h, projection, "step_projection");
        }

        var tVector = OnnxLayers.Dim(g, h, 1);
        if (_frequencies is not null)
        {
            var tScalar = g.AddNode("Squeeze", [tVector, OnnxLayers.Longs(g, "axis0", 0)], g.UniqueName("length"));
            var range = g.AddNode("Range", [g.AddInitializer(g.UniqueName("start"), new long[] { 0 }), tScalar, g.AddInitializer(g.UniqueName("delta"), new long[] { 1 })], g.UniqueName("positions"));
            var column = g.AddNode("Unsqueeze", [g.AddNode("Cast", [range], g.UniqueName("positions_f"), OnnxAttribute.Int("to", (long)OnnxTensorType.Float)), OnnxLayers.Longs(g, "axis1", 1)], g.UniqueName("position_column"));
            var angles = g.AddNode("Mul", [column, g.AddInitializer(g.UniqueName("frequencies"), _frequencies, 1, _frequencies.Length)], g.UniqueName("angles"));
            var axis2 = OnnxLayers.Longs(g, "axis2", 2);
            var sin = g.AddNode("Unsqueeze", [g.AddNode("Sin", [angles], g.UniqueName("sin")), axis2], g.UniqueName("sin3"));
            var cos = g.AddNode("Unsqueeze", [g.AddNode("Cos", [angles], g.UniqueName("cos")), axis2], g.UniqueName("cos3"));
            var table = g.AddNode("Reshape", [g.AddNode("Concat", [sin, cos], g.UniqueName("sincos"), OnnxAttribute.Int("axis", 2)), OnnxLayers.Longs(g, "pe_shape", -1, _dimension)], g.UniqueName("sinusoids"));
            h = g.AddNode("Add", [h, table], g.UniqueName("with_positions"));
        }
        else if (positions is not null)
        {
            var table = g.AddInitializer(g.UniqueName("positions"), OnnxLayers.Values(positions), positions.shape);
            var used = g.AddNode("Slice", [table, OnnxLayers.Longs(g, "start", 0), tVector, OnnxLayers.Longs(g, "axis", 0)], g.UniqueName("used_positions"));
            h = g.AddNode("Add", [h, used], g.UniqueName("with_positions"));
        }

        if (classToken is not null)
        {
            var batch = OnnxLayers.Dim(g, h, 0);
            var clsShape = g.AddNode("Concat", [batch, OnnxLayers.Longs(g, "cls_dims", 1, _dimension)], g.UniqueName("cls_shape"), OnnxAttribute.Int("axis", 0));
            var cls = g.AddNode("Expand", [g.AddInitializer(g.UniqueName("class_token"), OnnxLayers.Values(classToken), classToken.shape), clsShape], g.UniqueName("cls"));
            h = g.AddNode("Concat", [cls, h], g.UniqueName("with_cls"), OnnxAttribute.Int("axis", 1));
            var onesShape = g.AddNode("Concat", [batch, OnnxLayers.Longs(g, "one", 1)], g.UniqueName("cls_mask_shape"), OnnxAttribute.Int("axis", 0));
            var ones = g.AddNode("ConstantOfShape", [onesShape], g.UniqueName("cls_mask"), OnnxAttribute.Tensor("value", [1f], 1));
            mask = g.AddNode("Concat", [ones, mask], g.UniqueName("mask_with_cls"), OnnxAttribute.Int("axis", 1));
        }

        var bias = AttentionMask.WriteOnnx(g, h, mask, _window);
        for (int l = 0; l < layers.Count; l++)
        {
            h = layers[l].WriteOnnx(g, h, bias, out var weights);
            RecordValue(AttentionWeightsRole(l), weights);
        }
        if (finalNorm is not null)
            h = OnnxLayers.LayerNorm(g, h, finalNorm, "final_norm");

        if (_perStep)
        {
            var valid = g.Node("Unsqueeze", [mask, g.Longs("axis2", 2)]);
            return OnnxLayers.DenseNd(g, g.Node("Mul", [h, valid]), head, "head");
        }
        string pooled;
        var axis1 = OnnxLayers.Longs(g, "axis1", 1);
        if (_pooling == AttentionPooling.ClassToken)
            pooled = g.AddNode("Gather", [h, g.AddInitializer(g.UniqueName("first"), new long[] { 0 })], g.UniqueName("cls_out"), OnnxAttribute.Int("axis", 1));
        else
        {
            string weights = mask;
            if (_pooling == AttentionPooling.Last)
            {
                var last = g.AddNode("Sub", [g.AddNode("ReduceSum", [mask, axis1], g.UniqueName("count"), OnnxAttribute.Int("keepdims", 1)), g.AddInitializer(g.UniqueName("one_f"), [1f])], g.UniqueName("last"));
                var range = g.AddNode("Range", [g.AddInitializer(g.UniqueName("start"), [0f]), g.AddNode("Cast", [g.AddNode("Squeeze", [OnnxLayers.Dim(g, h, 1), OnnxLayers.Longs(g, "axis0", 0)], g.UniqueName("t")), ],
                    g.UniqueName("t_f"), OnnxAttribute.Int("to", (long)OnnxTensorType.Float)), g.AddInitializer(g.UniqueName("delta_f"), [1f])], g.UniqueName("index"));
                var row = g.AddNode("Unsqueeze", [range, OnnxLayers.Longs(g, "axis0", 0)], g.UniqueName("index_row"));
                weights = g.AddNode("Cast", [g.AddNode("Equal", [row, last], g.UniqueName("is_last"))], g.UniqueName("last_weights"), OnnxAttribute.Int("to", (long)OnnxTensorType.Float));
            }
            var weighted = g.AddNode("Mul", [h, g.AddNode("Unsqueeze", [weights, OnnxLayers.Longs(g, "axis2", 2)], g.UniqueName("weights3"))], g.UniqueName("weighted"));
            pooled = g.AddNode("ReduceSum", [weighted, axis1], g.UniqueName("pool_sum"), OnnxAttribute.Int("keepdims", 0));
            if (_pooling == AttentionPooling.Mean)
                pooled = g.AddNode("Div", [pooled, g.AddNode("ReduceSum", [mask, axis1], g.UniqueName("pool_count"), OnnxAttribute.Int("keepdims", 1))], g.UniqueName("pool_mean"));
        }
        return OnnxLayers.Dense(g, pooled, head, "head");
    }
}

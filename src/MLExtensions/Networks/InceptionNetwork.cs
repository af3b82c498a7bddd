using MLExtensions.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// A small GoogLeNet-style network: a 3×3 stem with batch norm, inception blocks with a 2×2 max-pool between
/// them, global average pooling and a dense output.
/// </summary>
internal sealed class InceptionNetwork : NetworkModule
{
    private readonly ImageShape _input;
    private readonly ConvBlock stem;
    private readonly ModuleList<InceptionBlock> blocks = new();
    private readonly Linear head;

    public InceptionNetwork(ImageShape input, int blockCount, int width, int outputs, Func<ActivationLayer> activation)
        : base("Inception")
    {
        if (blockCount <= 0 || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(CnnOptions.InceptionBlocks), "Inception needs at least one block and a positive width.");
        _input = input;
        stem = new ConvBlock("Inception stem (conv 3×3, padding 1)", input, width, 3, 1, 1, true, activation(), Pooling.None, 0, out var shape);
        for (int b = 0; b < blockCount; b++)
        {
            if (b > 0)
                shape = shape.After($"Inception max-pool before block {b + 1}", shape.Channels, 2, 2, 0);
            blocks.Add(new InceptionBlock($"Inception block {b + 1}", shape, width, activation(), out shape));
        }
        head = nn.Linear(shape.Channels, outputs);
        RegisterComponents();
    }

    public override Linear OutputLayer => head;

    public override Tensor forward(Tensor x)
    {
        x = stem.forward(x.reshape(-1, _input.Channels, _input.Height, _input.Width));
        for (int b = 0; b < blocks.Count; b++)
        {
            if (b > 0)
                x = nn.functional.max_pool2d(x, 2, 2);
            x = blocks[b].forward(x);
        }
        return head.forward(x.mean([2, 3]));
    }

    public override string WriteOnnx(OnnxGraph g, string input)
    {
        var x = stem.WriteOnnx(g, OnnxLayers.ToImage(g, input, _input));
        for (int b = 0; b < blocks.Count; b++)
        {
            if (b > 0)
                x = OnnxLayers.Pool(g, x, Pooling.Max, 2, 2);
            x = blocks[b].WriteOnnx(g, x);
        }
        return OnnxLayers.Dense(g, OnnxLayers.GlobalAveragePool(g, x), head, "head");
    }
}

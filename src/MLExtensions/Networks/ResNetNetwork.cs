using MLExtensions.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// A ResNet for small images: a 3×3 stem with batch norm, stages of <see cref="ResidualBlock"/>s (the first block of
/// every stage after the first halves the resolution and doubles the width), global average pooling, a dense output.
/// </summary>
internal sealed class ResNetNetwork : NetworkModule
{
    private readonly ImageShape _input;
    private readonly ConvBlock stem;
    private readonly ModuleList<ResidualBlock> blocks = new();
    private readonly Linear head;

    public ResNetNetwork(ImageShape input, IReadOnlyList<int> blocksPerStage, int width, int outputs, Func<ActivationLayer> activation)
        : base("ResNet")
    {
        if (blocksPerStage.Count == 0 || blocksPerStage.Any(b => b <= 0) || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(CnnOptions.ResNetBlocks), "ResNet needs at least one stage, a positive block count per stage and a positive width.");
        _input = input;
        stem = new ConvBlock("ResNet stem (conv 3×3, padding 1)", input, width, 3, 1, 1, true, activation(), Pooling.None, 0, out var shape);
        for (int stage = 0; stage < blocksPerStage.Count; stage++)
        {
            int channels = width << stage;
            for (int b = 0; b < blocksPerStage[stage]; b++)
            {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                blocks.Add(new ResidualBlock($"ResNet stage {stage + 1} block {b + 1} (conv 3×3, stride {stride})", shape, channels, stride, activation(), out shape));
            }
        }
        head = nn.Linear(shape.Channels, outputs);
        RegisterComponents();
    }

    public override Linear OutputLayer => head;

    public override Tensor forward(Tensor x)
    {
        x = stem.forward(x.reshape(-1, _input.Channels, _input.Height, _input.Width));
        foreach (var block in blocks)
            x = block.forward(x);
        return head.forward(x.mean([2, 3]));
    }

    public override string WriteOnnx(OnnxGraph g, string input)
    {
        var x = stem.WriteOnnx(g, OnnxLayers.ToImage(g, input, _input));
        foreach (var block in blocks)
            x = block.WriteOnnx(g, x);
        return OnnxLayers.Dense(g, OnnxLayers.GlobalAveragePool(g, x), head, "head");
    }
}

using MLExtensions.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// Convolution blocks followed by dense layers whose input size is computed from the image size: the plain
/// "conv stack" and, with its fixed blocks, LeNet.
/// </summary>
internal sealed class ConvStackNetwork : NetworkModule
{
    private readonly ImageShape _input;
    private readonly ModuleList<ConvBlock> blocks = new();
    private readonly MlpNetwork head;

    public ConvStackNetwork(string name, ImageShape input, IReadOnlyList<ConvLayer> layers, IReadOnlyList<int> denseLayers, int outputs,
        Func<ActivationLayer> activation, double dropout) : base(name)
    {
        if (layers.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(CnnOptions.ConvLayers), "The convolution stack needs at least one layer.");
        _input = input;
        var shape = input;
        for (int i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            blocks.Add(new ConvBlock($"{name} layer {i + 1} (conv {l.KernelSize}×{l.KernelSize}, stride {l.Stride}, padding {l.EffectivePadding})",
                shape, l.OutputChannels, l.KernelSize, l.Stride, l.EffectivePadding, l.BatchNorm, activation(), l.Pooling, l.PoolSize, out shape));
        }
        head = new MlpNetwork(shape.Size, denseLayers, outputs, activation(), dropout);
        RegisterComponents();
    }

    /// <summary>LeNet-5: conv 6@5×5 (pad 2) → pool 2 → conv 16@5×5 → pool 2 → dense 120 → dense 84 → outputs.</summary>
    public static ConvStackNetwork LeNet(ImageShape input, int outputs, Func<ActivationLayer> activation, double dropout, Pooling pooling = Pooling.Max) =>
        new("LeNet", input,
            [new ConvLayer(6, 5, padding: 2, pooling: pooling), new ConvLayer(16, 5, padding: 0, pooling: pooling)],
            [120, 84], outputs, activation, dropout);

    public override Linear OutputLayer => head.OutputLayer;

    public override Tensor forward(Tensor x)
    {
        x = x.reshape(-1, _input.Channels, _input.Height, _input.Width);
        foreach (var block in blocks)
            x = block.forward(x);
        return head.forward(x.flatten(1));
    }

    public override string WriteOnnx(OnnxGraph g, string input)
    {
        var x = OnnxLayers.ToImage(g, input, _input);
        foreach (var block in blocks)
            x = block.WriteOnnx(g, x);
        return head.WriteOnnx(g, OnnxLayers.Flatten(g, x));
    }
}

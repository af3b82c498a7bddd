using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// torchvision's MobileNetV2 <c>InvertedResidual</c>: an optional 1×1 expansion (conv + BN + ReLU6), a 3×3 depthwise
/// conv + BN + ReLU6 (stride), a linear 1×1 projection + BN, and the input added when the stride is 1 and the width is
/// kept. Its layers sit in <c>conv</c>, named as torchvision names them (<c>conv.0.0.weight</c>, ...).
/// </summary>
internal sealed class InvertedResidual : nn.Module<Tensor, Tensor>, ITorchOnnxExportable
{
    private readonly Sequential conv;
    private readonly bool _residual;

    public InvertedResidual(int inputChannels, int outputChannels, int stride, int expandRatio) : base("InvertedResidual")
    {
        int hidden = inputChannels * expandRatio;
        _residual = stride == 1 && inputChannels == outputChannels;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        if (expandRatio != 1)
            layers.Add(ConvBnRelu6(inputChannels, hidden, 1, 1, 1));
        layers.Add(ConvBnRelu6(hidden, hidden, 3, stride, hidden));
        layers.Add(nn.Conv2d(hidden, outputChannels, 1, bias: false));
        layers.Add(nn.BatchNorm2d(outputChannels));
        conv = nn.Sequential(layers);
        RegisterComponents();
    }

    /// <summary>torchvision's <c>Conv2dNormActivation</c> with ReLU6: conv ("same" padding, no bias) → BN → ReLU6.</summary>
    internal static Sequential ConvBnRelu6(int inputChannels, int outputChannels, int kernel, int stride, int groups) =>
        nn.Sequential(
            nn.Conv2d(inputChannels, outputChannels, kernel, stride: stride, padding: (kernel - 1) / 2, groups: groups, bias: false),
            nn.BatchNorm2d(outputChannels),
            nn.ReLU6());

    public override Tensor forward(Tensor x) => _residual ? x + conv.forward(x) : conv.forward(x);

    public TorchOnnxValue ExportOnnx(TorchOnnxContext context, TorchOnnxValue input)
    {
        var y = context.Export(conv, input);
        return _residual ? context.Node("Add", [input.Name, y.Name], y.Shape) : y;
    }
}

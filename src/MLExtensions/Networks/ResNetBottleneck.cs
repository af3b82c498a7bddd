using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// torchvision's <c>Bottleneck</c> (ResNet-50 and deeper, the "v1.5" variant with the stride on the 3×3 conv):
/// 1×1 conv → BN → ReLU → 3×3 conv (stride) → BN → ReLU → 1×1 conv to 4× the width → BN, plus the input (through
/// <c>downsample</c> when needed), then ReLU. Child names are torchvision's (<c>conv1</c>…<c>bn3</c>, <c>downsample</c>).
/// </summary>
internal sealed class ResNetBottleneck : nn.Module<Tensor, Tensor>, ITorchOnnxExportable
{
    public const int Expansion = 4;

    private readonly Conv2d conv1, conv2, conv3;
    private readonly BatchNorm2d bn1, bn2, bn3;
    private readonly Sequential? downsample;

    public ResNetBottleneck(int inputChannels, int planes, int stride) : base("Bottleneck")
    {
        conv1 = nn.Conv2d(inputChannels, planes, 1, bias: false);
        bn1 = nn.BatchNorm2d(planes);
        conv2 = nn.Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(planes);
        conv3 = nn.Conv2d(planes, planes * Expansion, 1, bias: false);
        bn3 = nn.BatchNorm2d(planes * Expansion);
        downsample = ResNetBackbone.Downsample(inputChannels, planes * Expansion, stride);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.relu(bn1.forward(conv1.forward(x)));
        y = nn.functional.relu(bn2.forward(conv2.forward(y)));
        y = bn3.forward(conv3.forward(y));
        var shortcut = downsample is null ? x : downsample.forward(x);
        return nn.functional.relu(y + shortcut).MoveToOuterDisposeScope();
    }

    public TorchOnnxValue ExportOnnx(TorchOnnxContext context, TorchOnnxValue input)
    {
        var y = context.Export(bn1, context.Export(conv1, input));
        y = context.Node("Relu", [y.Name], y.Shape);
        y = context.Export(bn2, context.Export(conv2, y));
        y = context.Node("Relu", [y.Name], y.Shape);
        y = context.Export(bn3, context.Export(conv3, y));
        var shortcut = downsample is null ? input : context.Export(downsample, input);
        var sum = context.Node("Add", [y.Name, shortcut.Name], y.Shape);
        return context.Node("Relu", [sum.Name], sum.Shape);
    }
}

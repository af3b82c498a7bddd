using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// torchvision's <c>BasicBlock</c> (ResNet-18/34): 3×3 conv (stride) → BN → ReLU → 3×3 conv → BN, plus the input
/// (through <c>downsample</c>, a 1×1 conv + BN, when the stride or the width changes), then ReLU. Child names are
/// torchvision's: <c>conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>, <c>downsample.0</c>, <c>downsample.1</c>.
/// </summary>
internal sealed class ResNetBasicBlock : nn.Module<Tensor, Tensor>, ITorchOnnxExportable
{
    public const int Expansion = 1;

    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly Sequential? downsample;

    public ResNetBasicBlock(int inputChannels, int planes, int stride) : base("BasicBlock")
    {
        conv1 = nn.Conv2d(inputChannels, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(planes);
        conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(planes);
        downsample = ResNetBackbone.Downsample(inputChannels, planes * Expansion, stride);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.relu(bn1.forward(conv1.forward(x)));
        y = bn2.forward(conv2.forward(y));
        var shortcut = downsample is null ? x : downsample.forward(x);
        return nn.functional.relu(y + shortcut).MoveToOuterDisposeScope();
    }

    public TorchOnnxValue ExportOnnx(TorchOnnxContext context, TorchOnnxValue input)
    {
        var y = context.Export(bn1, context.Export(conv1, input));
        y = context.Node("Relu", [y.Name], y.Shape);
        y = context.Export(bn2, context.Export(conv2, y));
        var shortcut = downsample is null ? input : context.Export(downsample, input);
        var sum = context.Node("Add", [y.Name, shortcut.Name], y.Shape);
        return context.Node("Relu", [sum.Name], sum.Shape);
    }
}

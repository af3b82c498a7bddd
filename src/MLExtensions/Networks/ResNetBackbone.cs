using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// torchvision's ResNet without its <c>fc</c> classifier: a 7×7 stride-2 conv + BN + ReLU stem, a 3×3 stride-2 max
/// pool, four stages <c>layer1</c>…<c>layer4</c> of basic (ResNet-18/34) or bottleneck (ResNet-50) blocks of 64, 128,
/// 256 and 512 planes (each later stage halves the resolution), and global average pooling. Every parameter and
/// buffer has torchvision's name.
/// </summary>
internal sealed class ResNetBackbone : ImageBackbone
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1, layer2, layer3, layer4;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly int _features;

    /// <summary>A ResNet with <paramref name="blocksPerStage"/> blocks in its four stages.</summary>
    public ResNetBackbone(string name, bool bottleneck, int[] blocksPerStage) : base(name)
    {
        if (blocksPerStage.Length != 4 || blocksPerStage.Any(b => b <= 0))
            throw new ArgumentException($"A ResNet has four stages of at least one block, not [{string.Join(", ", blocksPerStage)}].", nameof(blocksPerStage));
        conv1 = nn.Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = nn.BatchNorm2d(64);
        maxpool = nn.MaxPool2d(3, stride: 2, padding: 1);
        int channels = 64;
        Sequential Stage(int planes, int blocks, int stride)
        {
            var modules = new List<nn.Module<Tensor, Tensor>>();
            for (int b = 0; b < blocks; b++)
            {
                int s = b == 0 ? stride : 1;
                modules.Add(bottleneck ? new ResNetBottleneck(channels, planes, s) : new ResNetBasicBlock(channels, planes, s));
                channels = planes * (bottleneck ? ResNetBottleneck.Expansion : ResNetBasicBlock.Expansion);
            }
            return nn.Sequential(modules);
        }
        layer1 = Stage(64, blocksPerStage[0], 1);
        layer2 = Stage(128, blocksPerStage[1], 2);
        layer3 = Stage(256, blocksPerStage[2], 2);
        layer4 = Stage(512, blocksPerStage[3], 2);
        avgpool = nn.AdaptiveAvgPool2d(1);
        _features = channels;
        RegisterComponents();
        InitializeLikeTorchVision();
    }

    public static ResNetBackbone ResNet18() => new("ResNet18", bottleneck: false, [2, 2, 2, 2]);

    public static ResNetBackbone ResNet34() => new("ResNet34", bottleneck: false, [3, 4, 6, 3]);

    public static ResNetBackbone ResNet50() => new("ResNet50", bottleneck: true, [3, 4, 6, 3]);

    public override int FeatureSize => _features;

    public override string ClassifierPrefix => "fc.";

    /// <summary>torchvision's shortcut projection (1×1 conv with the block's stride + BN), or null when the shape is kept.</summary>
    internal static Sequential? Downsample(int inputChannels, int outputChannels, int stride) =>
        stride == 1 && inputChannels == outputChannels
            ? null
            : nn.Sequential(nn.Conv2d(inputChannels, outputChannels, 1, stride: stride, bias: false), nn.BatchNorm2d(outputChannels));

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = maxpool.forward(nn.functional.relu(bn1.forward(conv1.forward(x))));
        x = layer4.forward(layer3.forward(layer2.forward(layer1.forward(x))));
        return avgpool.forward(x).flatten(1).MoveToOuterDisposeScope();
    }

    public override TorchOnnxValue ExportOnnx(TorchOnnxContext context, TorchOnnxValue input)
    {
        var x = context.Export(bn1, context.Export(conv1, input));
        x = context.Export(maxpool, context.Node("Relu", [x.Name], x.Shape));
        foreach (var stage in new[] { layer1, layer2, layer3, layer4 })
            x = context.Export(stage, x);
        x = context.Export(avgpool, x);
        return context.Node("Flatten", [x.Name], [x.Shape[0], x.Shape[1]], Onnx.OnnxAttribute.Int("axis", 1));
    }

    /// <summary>torchvision's initialization: Kaiming-normal convolutions (fan-out, ReLU), batch norm at 1 and 0.</summary>
    private void InitializeLikeTorchVision()
    {
        using var _ = no_grad();
        foreach (var module in modules())
        {
            if (module is Conv2d conv)
                nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
            else if (module is BatchNorm2d bn)
            {
                nn.init.ones_(bn.weight);
                nn.init.zeros_(bn.bias);
            }
        }
    }
}

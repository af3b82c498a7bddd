using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// torchvision's MobileNetV2 (width 1.0) without its <c>classifier</c>: <c>features</c> = a 3×3 stride-2 stem of 32
/// channels, 17 inverted residual blocks (expansion, width, repeats, stride: 1-16-1-1, 6-24-2-2, 6-32-3-2, 6-64-4-2,
/// 6-96-3-1, 6-160-3-2, 6-320-1-1), a 1×1 conv to 1280 channels, then global average pooling.
/// </summary>
internal sealed class MobileNetV2Backbone : ImageBackbone
{
    public const int LastChannels = 1280;

    private static readonly int[][] Settings =
    [
        [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
    ];

    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;

    public MobileNetV2Backbone() : base("MobileNetV2")
    {
        var layers = new List<nn.Module<Tensor, Tensor>> { InvertedResidual.ConvBnRelu6(3, 32, 3, 2, 1) };
        int channels = 32;
        foreach (var s in Settings)
        {
            for (int i = 0; i < s[2]; i++)
            {
                layers.Add(new InvertedResidual(channels, s[1], i == 0 ? s[3] : 1, s[0]));
                channels = s[1];
            }
        }
        layers.Add(InvertedResidual.ConvBnRelu6(channels, LastChannels, 1, 1, 1));
        features = nn.Sequential(layers);
        avgpool = nn.AdaptiveAvgPool2d(1);
        RegisterComponents();
        InitializeLikeTorchVision();
    }

    public override int FeatureSize => LastChannels;

    public override string ClassifierPrefix => "classifier.";

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return avgpool.forward(features.forward(x)).flatten(1).MoveToOuterDisposeScope();
    }

    public override TorchOnnxValue ExportOnnx(TorchOnnxContext context, TorchOnnxValue input)
    {
        var x = context.Export(avgpool, context.Export(features, input));
        return context.Node("Flatten", [x.Name], [x.Shape[0], x.Shape[1]], Onnx.OnnxAttribute.Int("axis", 1));
    }

    /// <summary>torchvision's initialization: Kaiming-normal convolutions (fan-out), batch norm at 1 and 0.</summary>
    private void InitializeLikeTorchVision()
    {
        using var _ = no_grad();
        foreach (var module in modules())
        {
            if (module is Conv2d conv)
                nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut);
            else if (module is BatchNorm2d bn)
            {
                nn.init.ones_(bn.weight);
                nn.init.zeros_(bn.bias);
            }
        }
    }
}

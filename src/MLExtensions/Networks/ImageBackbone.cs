using MLExtensions.Onnx;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// The feature extractor of a <see cref="VisionNetwork"/>: a torchvision architecture without its classifier, whose
/// parameter and buffer names are torchvision's (<c>conv1.weight</c>, <c>layer1.0.bn1.running_mean</c>,
/// <c>features.3.conv.1.0.weight</c>...), so a state_dict saved from torchvision loads into it key for key.
/// <c>forward</c> maps normalized images [N, 3, H, W] to pooled features [N, <see cref="FeatureSize"/>].
/// </summary>
internal abstract class ImageBackbone : nn.Module<Tensor, Tensor>, ITorchOnnxExportable
{
    protected ImageBackbone(string name) : base(name) { }

    /// <summary>The number of pooled features (512 for ResNet-18/34, 2048 for ResNet-50, 1280 for MobileNetV2).</summary>
    public abstract int FeatureSize { get; }

    /// <summary>The key prefix of torchvision's classifier that the new head replaces (<c>fc.</c>, <c>classifier.</c>).</summary>
    public abstract string ClassifierPrefix { get; }

    /// <inheritdoc />
    public abstract TorchOnnxValue ExportOnnx(TorchOnnxContext context, TorchOnnxValue input);

    /// <summary>Writes the backbone reading <paramref name="input"/> ([N, 3, H, W]) and returns the pooled features' value.</summary>
    public string WriteOnnx(OnnxGraph graph, string input, ImageShape shape)
    {
        var context = new TorchOnnxContext(graph, this, "backbone");
        return ExportOnnx(context, new TorchOnnxValue(input, [-1, shape.Channels, shape.Height, shape.Width])).Name;
    }
}

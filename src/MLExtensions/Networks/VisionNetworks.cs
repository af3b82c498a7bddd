using MLExtensions.Weights;

namespace MLExtensions.Networks;

/// <summary>Builds the <see cref="VisionNetwork"/> of a backbone, with pretrained weights and their normalization when given.</summary>
internal static class VisionNetworks
{
    /// <summary>The backbone, untrained (torchvision's initialization).</summary>
    public static ImageBackbone Backbone(VisionBackbone kind) => kind switch
    {
        VisionBackbone.ResNet18 => ResNetBackbone.ResNet18(),
        VisionBackbone.ResNet34 => ResNetBackbone.ResNet34(),
        VisionBackbone.ResNet50 => ResNetBackbone.ResNet50(),
        VisionBackbone.MobileNetV2 => new MobileNetV2Backbone(),
        _ => throw new ArgumentOutOfRangeException(nameof(TorchVisionOptions.Backbone), kind, "Unknown backbone."),
    };

    /// <summary>
    /// The network for <paramref name="shape"/> images and <paramref name="outputs"/> raw outputs; with
    /// <paramref name="weights"/> the backbone is loaded from them and the input normalized as they expect, else
    /// normalized with ImageNet's statistics. <paramref name="description"/> says what was loaded.
    /// </summary>
    /// <remarks>
    /// A ResNet read from ONNX keeps the file's number of blocks per stage (ML.NET's ResNet18.onnx, a CNTK model, has
    /// 2-2-2-3 where torchvision's ResNet-18 has 2-2-2-2); its block kind must be the chosen backbone's.
    /// </remarks>
    public static VisionNetwork Create(VisionBackbone kind, ImageShape shape, int outputs, PretrainedWeights? weights,
        double pixelScale, double dropout, out string description)
    {
        ImageBackbone? backbone = null;
        try
        {
            var normalization = PixelNormalization.ImageNet;
            if (weights is null)
            {
                backbone = Backbone(kind);
                description = $"{kind} from scratch; input normalization {normalization.Description}";
            }
            else if (weights.Format == PretrainedWeightsFormat.Onnx)
            {
                if (kind == VisionBackbone.MobileNetV2)
                    throw new ArgumentException("Weights from an ONNX model are read for the ResNet backbones only; " +
                        "give MobileNetV2 weights as a state_dict (PretrainedWeights.FromStateDict).", nameof(weights));
                normalization = OnnxPreprocessingReader.Read(weights.PreprocessingPath!);
                var imported = OnnxResNetImporter.Read(weights.Path);
                try
                {
                    bool bottleneck = kind == VisionBackbone.ResNet50;
                    if (imported.Bottleneck != bottleneck)
                        throw new ArgumentException($"'{weights.Path}' holds {imported.Description}, but {kind} has " +
                            $"{(bottleneck ? "bottleneck" : "basic")} blocks; choose the VisionBackbone the weights were trained as.", nameof(weights));
                    backbone = new ResNetBackbone($"{kind} ({string.Join("-", imported.Blocks)})", bottleneck, imported.Blocks);
                    var result = BackboneWeights.LoadInto(backbone, imported.StateDict, $"'{weights.Path}'");
                    description = $"{backbone.GetName()} backbone with {result.LoadedKeys.Count} tensors from '{weights.Path}' " +
                        $"(read as {imported.Description}); input normalization {normalization.Description}";
                }
                finally
                {
                    foreach (var t in imported.StateDict.Values)
                        t.Dispose();
                }
            }
            else
            {
                backbone = Backbone(kind);
                (normalization, string loaded) = BackboneWeights.Load(backbone, weights);
                description = $"{kind} backbone with {loaded}";
            }
            return new VisionNetwork(kind.ToString(), shape, backbone, new ImageNormalization(normalization, shape, pixelScale), dropout, outputs);
        }
        catch
        {
            backbone?.Dispose();
            throw;
        }
    }
}

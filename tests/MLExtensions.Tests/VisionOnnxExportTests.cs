using MLExtensions.Inputs;
using MLExtensions.Networks;
using MLExtensions.Weights;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Tests;

/// <summary>
/// The torchvision backbones: each one's ONNX export computes what the TorchSharp network computes (the parity
/// harness), and each has torchvision's state_dict keys and shapes and computes what torchvision's own model (the
/// TorchVision package) computes with the same weights.
/// </summary>
[TestClass]
public sealed class VisionOnnxExportTests
{
    private static readonly ImageShape Small = new(3, 32, 32);

    /// <summary>Every backbone for regression (1 output) and classification (3), plus the ONNX-imported layout with a mean image.</summary>
    internal static IEnumerable<ParityCase> Cases =>
        (from backbone in Enum.GetValues<VisionBackbone>()
         from outputs in new[] { 1, 3 }
         select new ParityCase($"Vision-{backbone}-{outputs}",
             () => (Network(VisionNetworks.Backbone(backbone), PixelNormalization.ImageNet, Small, outputs), new DenseVectorLayout(Small.Size)),
             () => torch.rand(3, Small.Size) * 255, HasBatchNorm: true))
        .Append(new ParityCase("Vision-ResNet-2-2-2-3-bgr-mean-image-4",
            () => (Network(new ResNetBackbone("ResNet18 (2-2-2-3)", false, [2, 2, 2, 3]), BgrMeanImage(), new ImageShape(3, 40, 48), 4),
                new DenseVectorLayout(3 * 40 * 48)),
            () => torch.rand(2, 3 * 40 * 48) * 255, HasBatchNorm: true));

    private static VisionNetwork Network(ImageBackbone backbone, PixelNormalization normalization, ImageShape shape, int outputs) =>
        new(backbone.GetName(), shape, backbone, new ImageNormalization(normalization, shape, 1), 0.2, outputs);

    /// <summary>What ResNetPreprocess.onnx does (RGB → BGR, a mean image subtracted), with a small mean image to resize.</summary>
    private static PixelNormalization BgrMeanImage()
    {
        var random = new Random(3);
        var mean = Enumerable.Range(0, 3 * 8 * 8).Select(_ => (float)(100 + 30 * random.NextDouble())).ToArray();
        return new PixelNormalization([2, 1, 0], [1, 1, 1], mean, 8, 8, "test");
    }

    /// <summary>torchvision's model from the TorchVision package, and our backbone of the same name.</summary>
    private static (nn.Module<Tensor, Tensor> TorchVision, ImageBackbone Ours, string Classifier) Pair(VisionBackbone backbone) => backbone switch
    {
        VisionBackbone.ResNet18 => (torchvision.models.resnet18(num_classes: 7), ResNetBackbone.ResNet18(), "fc"),
        VisionBackbone.ResNet34 => (torchvision.models.resnet34(num_classes: 7), ResNetBackbone.ResNet34(), "fc"),
        VisionBackbone.ResNet50 => (torchvision.models.resnet50(num_classes: 7), ResNetBackbone.ResNet50(), "fc"),
        _ => (torchvision.models.mobilenet_v2(num_classes: 7), new MobileNetV2Backbone(), "classifier.1"),
    };

    [TestMethod]
    [DataRow(VisionBackbone.ResNet18)]
    [DataRow(VisionBackbone.ResNet34)]
    [DataRow(VisionBackbone.ResNet50)]
    [DataRow(VisionBackbone.MobileNetV2)]
    public void BackboneHasTorchVisionsKeysAndComputesTheSame(VisionBackbone backbone)
    {
        torch.manual_seed(5);
        var (reference, ours, classifier) = Pair(backbone);
        using var _r = reference;
        using var _o = ours;
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
        {
            // Running statistics other than 0 and 1.
            reference.train();
            for (int i = 0; i < 2; i++)
                reference.forward(torch.randn(4, 3, 48, 48) * (i + 1) + i);
        }
        reference.eval();
        var expected = reference.state_dict().Where(p => !p.Key.StartsWith(classifier + ".", StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => string.Join("x", p.Value.shape));
        var actual = ours.state_dict().ToDictionary(p => p.Key, p => string.Join("x", p.Value.shape));
        CollectionAssert.AreEquivalent(expected.Keys.ToList(), actual.Keys.ToList(), "state_dict keys");
        foreach (var (key, shape) in expected)
            Assert.AreEqual(shape, actual[key], key);

        var loaded = BackboneWeights.LoadInto(ours, reference.state_dict(), "torchvision's model");
        Assert.HasCount(expected.Count, loaded.LoadedKeys);
        CollectionAssert.AreEquivalent(new[] { classifier + ".weight", classifier + ".bias" }, loaded.UnexpectedKeys.ToList(), "skipped");
        ours.eval();
        using var __ = torch.no_grad();
        var x = torch.randn(2, 3, 48, 40);
        var logits = reference.forward(x);
        var head = reference.state_dict();
        var fromFeatures = ours.forward(x).matmul(head[classifier + ".weight"].t()) + head[classifier + ".bias"];
        OnnxExportTests.AssertClose(logits, fromFeatures.contiguous().data<float>().ToArray(), 1e-4);
    }
}

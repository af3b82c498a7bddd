using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLExtensions.Networks;
using MLExtensions.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Tests;

/// <summary>
/// The weights of ML.NET's ImageNet ResNet-18 (ResNet18.onnx, a CNTK export with generic tensor names, and its
/// ResNetPreprocess.onnx) imported into the torchvision-layout ResNet-18: the TorchSharp network computes ONNX
/// Runtime's 512 pooled features of the same file on the same images.
/// </summary>
[TestClass]
public sealed class OnnxResNetImportTests
{
    private static string Model => Path.Combine(VisionImageData.DnnImageModels, "ResNet18Onnx", "ResNet18.onnx");
    private static string Preprocessing => Path.Combine(VisionImageData.DnnImageModels, "ResNetPrepOnnx", "ResNetPreprocess.onnx");

    [TestMethod]
    public void ImportedResNet18ComputesOnnxRuntimesFeatures()
    {
        var images = VisionImageData.ShapePixels(224, 1).Take(3).ToArray();
        var shape = new ImageShape(3, 224, 224);
        using var network = VisionNetworks.Create(VisionBackbone.ResNet18, shape, 2, PretrainedWeights.DnnImageFeaturizerResNet18(), 1, 0, out string description);
        StringAssert.Contains(description, "basic blocks 2-2-2-3");
        StringAssert.Contains(description, "132 tensors");
        network.eval();

        using var preprocess = new InferenceSession(Preprocessing);
        using var resnet = new InferenceSession(Model);
        double worst = 0, largest = 0;
        foreach (var pixels in images)
        {
            var input = new DenseTensor<float>(pixels, [1, 3, 224, 224]);
            using var prepared = preprocess.Run([NamedOnnxValue.CreateFromTensor(preprocess.InputMetadata.Keys.First(), input)]);
            var preparedTensor = prepared.First().AsTensor<float>();
            using var features = resnet.Run([NamedOnnxValue.CreateFromTensor(resnet.InputMetadata.Keys.First(), preparedTensor)]);
            float[] expected = features.First().AsTensor<float>().ToArray();
            Assert.HasCount(512, expected);

            using var x = torch.tensor(pixels, [1, pixels.Length]);
            using var _ = torch.no_grad();
            using var actual = network.Features(x);
            float[] got = actual.data<float>().ToArray();
            for (int i = 0; i < 512; i++)
            {
                worst = Math.Max(worst, Math.Abs(got[i] - expected[i]));
                largest = Math.Max(largest, Math.Abs(expected[i]));
            }
        }
        Console.WriteLine($"largest feature {largest:G4}, largest difference {worst:G3}");
        Assert.IsGreaterThan(0.5, largest, "the features should not be trivial");
        Assert.IsLessThan(1e-4, worst, $"TorchSharp vs ONNX Runtime features differ by {worst}");
    }

    [TestMethod]
    public void ThePreprocessingIsBgrMinusAMeanImage()
    {
        var spec = OnnxPreprocessingReader.Read(Preprocessing);
        CollectionAssert.AreEqual(new[] { 2, 1, 0 }, spec.ChannelOrder);
        CollectionAssert.AreEqual(new[] { 1f, 1f, 1f }, spec.Scale);
        Assert.AreEqual(224, spec.OffsetHeight);
        Assert.AreEqual(224, spec.OffsetWidth);
        // The mean image's channel means are blue ≈ 104–114, green ≈ 117–124, red ≈ 123–125 (0–255 units).
        var means = Enumerable.Range(0, 3).Select(c => spec.Offset.Skip(c * 224 * 224).Take(224 * 224).Average()).ToArray();
        Console.WriteLine(string.Join(", ", means));
        Assert.IsTrue(means.All(m => m > 90 && m < 140), string.Join(", ", means));
    }
}

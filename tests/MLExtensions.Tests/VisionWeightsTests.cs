using System.Text;
using MLExtensions.Networks;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Tests;

/// <summary>
/// Pretrained weights from a PyTorch state_dict with torchvision's key names (the TorchVision package's models write
/// exactly those keys and shapes; the values are generated here): the backbone loads, the head is new, the input is
/// normalized as torchvision's weights expect, and files that do not fit fail with the key-level error.
/// </summary>
[TestClass]
public sealed class VisionWeightsTests
{
    private static readonly ImageShape Shape = new(3, 48, 48);
    private string _folder = "";

    [TestInitialize]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"vision-weights-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
    }

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string File(string name) => Path.Combine(_folder, name);

    /// <summary>torchvision's ResNet-18 with 1000 classes and non-trivial batch norm statistics, in evaluation mode.</summary>
    private static nn.Module<Tensor, Tensor> TorchVisionResNet18()
    {
        torch.manual_seed(11);
        var model = torchvision.models.resnet18();
        using (torch.no_grad())
        {
            model.train();
            model.forward(torch.randn(4, 3, 48, 48) * 2 + 0.5).Dispose();
        }
        model.eval();
        return model;
    }

    [TestMethod]
    [DataRow("resnet18.pth")]
    [DataRow("resnet18.safetensors")]
    public void ATorchVisionStateDictLoadsIntoTheBackboneWithImageNetNormalization(string name)
    {
        using var reference = TorchVisionResNet18();
        TorchWeights.Save(reference, File(name));
        Assert.IsTrue(reference.state_dict().ContainsKey("fc.weight") && reference.state_dict()["fc.weight"].shape[0] == 1000);

        using var network = VisionNetworks.Create(VisionBackbone.ResNet18, Shape, 5, PretrainedWeights.FromStateDict(File(name)), 1, 0, out string description);
        StringAssert.Contains(description, "120 tensors");
        StringAssert.Contains(description, "mean [0.485, 0.456, 0.406]");
        Assert.AreEqual(5, network.OutputLayer.weight!.shape[0], "the head is sized for the task");
        network.eval();

        // ExtractPixels' 0–255 RGB values: torchvision's model reads (x / 255 − mean) / std.
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var pixels = torch.rand(2, Shape.Size) * 255;
        var normalized = (pixels.reshape(2, 3, 48, 48) / 255 - torch.tensor(new[] { 0.485f, 0.456f, 0.406f }).reshape(1, 3, 1, 1))
                         / torch.tensor(new[] { 0.229f, 0.224f, 0.225f }).reshape(1, 3, 1, 1);
        var logits = reference.forward(normalized);
        var sd = reference.state_dict();
        var fromFeatures = network.Features(pixels).matmul(sd["fc.weight"].t()) + sd["fc.bias"];
        OnnxExportTests.AssertClose(logits, fromFeatures.contiguous().data<float>().ToArray(), 1e-4);
    }

    [TestMethod]
    public void PixelsScaledToUnitRangeGiveTheSameFeatures()
    {
        using var reference = TorchVisionResNet18();
        TorchWeights.Save(reference, File("w.pth"));
        using var bytes = VisionNetworks.Create(VisionBackbone.ResNet18, Shape, 2, PretrainedWeights.FromStateDict(File("w.pth")), 1, 0, out _);
        using var unit = VisionNetworks.Create(VisionBackbone.ResNet18, Shape, 2, PretrainedWeights.FromStateDict(File("w.pth")), 1.0 / 255, 0, out _);
        bytes.eval();
        unit.eval();
        using var noGrad = torch.no_grad();
        using var pixels = torch.rand(2, Shape.Size) * 255;
        using var scaled = pixels / 255;
        using var a = bytes.Features(pixels);
        using var b = unit.Features(scaled);
        OnnxExportTests.AssertClose(a, b.data<float>().ToArray(), 1e-4);
    }

    [TestMethod]
    public void MissingUnexpectedAndWronglyShapedKeysAreListed()
    {
        using var reference = TorchVisionResNet18();
        var stateDict = reference.state_dict().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        stateDict.Remove("layer1.0.conv1.weight");
        stateDict["layer5.0.conv1.weight"] = torch.zeros(8, 8, 3, 3);
        stateDict["bn1.weight"] = torch.ones(32);
        using (var stream = System.IO.File.Create(File("broken.safetensors")))
            Safetensors.SaveStateDict(stream, stateDict);

        var e = Assert.ThrowsExactly<StateDictMismatchException>(() =>
            VisionNetworks.Create(VisionBackbone.ResNet18, Shape, 3, PretrainedWeights.FromStateDict(File("broken.safetensors")), 1, 0, out _));
        CollectionAssert.AreEqual(new[] { "layer1.0.conv1.weight" }, e.MissingKeys.ToList());
        CollectionAssert.AreEqual(new[] { "layer5.0.conv1.weight" }, e.UnexpectedKeys.ToList());
        CollectionAssert.AreEqual(new[] { "bn1.weight: file [32], module [64]" }, e.ShapeMismatches.ToList());
        StringAssert.Contains(e.Message, "broken.safetensors");
        StringAssert.Contains(e.Message, "ResNet18 backbone");
        StringAssert.Contains(e.Message, "missing keys (in the module, not in the file): layer1.0.conv1.weight");
        StringAssert.Contains(e.Message, "unexpected keys (in the file, not in the module): layer5.0.conv1.weight");
        StringAssert.Contains(e.Message, "wrong shapes: bn1.weight: file [32], module [64]");
    }

    [TestMethod]
    public void WeightsOfAnotherArchitectureNameTheKeysAndTheBackbone()
    {
        torch.manual_seed(2);
        using (var resnet34 = torchvision.models.resnet34())
            TorchWeights.Save(resnet34, File("resnet34.pth"));
        var e = Assert.ThrowsExactly<StateDictMismatchException>(() =>
            VisionNetworks.Create(VisionBackbone.ResNet18, Shape, 3, PretrainedWeights.FromStateDict(File("resnet34.pth")), 1, 0, out _));
        Assert.IsEmpty(e.MissingKeys);
        CollectionAssert.Contains(e.UnexpectedKeys.ToList(), "layer1.2.conv1.weight");
        StringAssert.Contains(e.Message, "Pick the VisionBackbone they were trained as");

        torch.manual_seed(2);
        using (var mobilenet = torchvision.models.mobilenet_v2())
            TorchWeights.Save(mobilenet, File("mobilenet.pth"));
        e = Assert.ThrowsExactly<StateDictMismatchException>(() =>
            VisionNetworks.Create(VisionBackbone.ResNet18, Shape, 3, PretrainedWeights.FromStateDict(File("mobilenet.pth")), 1, 0, out _));
        CollectionAssert.Contains(e.MissingKeys.ToList(), "conv1.weight");
        CollectionAssert.Contains(e.UnexpectedKeys.ToList(), "features.0.0.weight");

        // The same MobileNetV2 file loads into a MobileNetV2 backbone, its classifier skipped.
        using var network = VisionNetworks.Create(VisionBackbone.MobileNetV2, Shape, 3, PretrainedWeights.FromStateDict(File("mobilenet.pth")), 1, 0, out string description);
        StringAssert.Contains(description, "MobileNetV2 backbone with");
    }

    [TestMethod]
    public void AWeightsFileThatRefersToCodeIsRefusedWithoutRunningIt()
    {
        string marker = File("marker");
        byte[] pickle = Encoding.ASCII.GetBytes($"cos\nsystem\n(S'touch {marker}'\ntR.");
        System.IO.File.WriteAllBytes(File("evil.pth"), PickleWriter.TorchZip(pickle, new Dictionary<string, byte[]> { ["0"] = PickleWriter.Floats(1) }));
        var e = Assert.ThrowsExactly<InvalidDataException>(() =>
            VisionNetworks.Create(VisionBackbone.ResNet18, Shape, 3, PretrainedWeights.FromStateDict(File("evil.pth")), 1, 0, out _));
        StringAssert.Contains(e.Message, "os.system");
        Assert.IsFalse(System.IO.File.Exists(marker), "nothing from the file may have run");
    }

    [TestMethod]
    public void OnnxWeightsOfAnotherKindAreRejectedByName()
    {
        string models = VisionImageData.DnnImageModels;
        var weights = PretrainedWeights.DnnImageFeaturizerResNet18(models);
        var e = Assert.ThrowsExactly<ArgumentException>(() => VisionNetworks.Create(VisionBackbone.ResNet50, Shape, 3, weights, 1, 0, out _));
        StringAssert.Contains(e.Message, "basic blocks 2-2-2-3");
        StringAssert.Contains(e.Message, "ResNet50 has bottleneck blocks");

        // A model that is not a ResNet: the walk names the node where it stops.
        string notResNet = File("preprocess-as-model.onnx");
        System.IO.File.Copy(Path.Combine(models, "ResNetPrepOnnx", "ResNetPreprocess.onnx"), notResNet);
        var bad = Assert.ThrowsExactly<InvalidDataException>(() => VisionNetworks.Create(VisionBackbone.ResNet18, Shape, 3,
            PretrainedWeights.FromOnnx(notResNet, Path.Combine(models, "ResNetPrepOnnx", "ResNetPreprocess.onnx")), 1, 0, out _));
        StringAssert.Contains(bad.Message, "preprocess-as-model.onnx");
        StringAssert.Contains(bad.Message, "should be read by one Conv node");
        StringAssert.Contains(bad.Message, "Split node");

        var missing = Assert.ThrowsExactly<FileNotFoundException>(() => PretrainedWeights.DnnImageFeaturizerResNet18(_folder));
        StringAssert.Contains(missing.Message, "Microsoft.ML.DnnImageFeaturizer.ResNet18");
    }
}

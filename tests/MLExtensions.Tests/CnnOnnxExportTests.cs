using MLExtensions.Networks;
using MLExtensions.Inputs;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Tests;

/// <summary>Every CNN architecture's ONNX export computes what the TorchSharp module computes (1e-4), batch norm statistics included.</summary>
[TestClass]
public sealed class CnnOnnxExportTests
{
    private static Func<ActivationLayer> Act(Activation a = Activation.Relu) => () => new ActivationLayer(a);

    private static readonly (string Name, int Channels, int Height, int Width)[] Architectures =
    [
        ("LeNet-gray-28", 1, 28, 28),
        ("LeNet-rgb-32", 3, 32, 32),
        ("ConvStack-default-32", 3, 32, 32),
        ("ConvStack-bn-avg-stride", 3, 20, 24),
        ("ResNet-small", 3, 16, 16),
        ("Inception-small", 3, 16, 16),
    ];

    /// <summary>Every architecture, for regression (1 output) and classification (4 outputs).</summary>
    internal static IEnumerable<ParityCase> Cases =>
        from a in Architectures
        from outputs in new[] { 1, 4 }
        let shape = new ImageShape(a.Channels, a.Height, a.Width)
        select new ParityCase($"Cnn-{a.Name}-{outputs}", () => (Build(a.Name, shape, outputs), new DenseVectorLayout(shape.Size)),
            () => torch.rand(5, shape.Size), HasBatchNorm: true);

    internal static NetworkModule Build(string name, ImageShape shape, int outputs) => name switch
    {
        "LeNet-gray-28" => ConvStackNetwork.LeNet(shape, outputs, Act(Activation.Sigmoid), 0.1, Pooling.Average),
        _ when name.StartsWith("LeNet") => ConvStackNetwork.LeNet(shape, outputs, Act(), 0.1, Pooling.Max),
        "ConvStack-default-32" => new ConvStackNetwork("ConvStack", shape, new CnnOptions().ConvLayers, [64], outputs, Act(), 0),
        "ConvStack-bn-avg-stride" => new ConvStackNetwork("ConvStack", shape,
            [
                new ConvLayer(8, 3, stride: 2, padding: 1, pooling: Pooling.None) { BatchNorm = true },
                new ConvLayer(6, 3, padding: ConvLayer.SamePadding, pooling: Pooling.Average) { BatchNorm = true },
                new ConvLayer(5, 1, padding: 0, pooling: Pooling.Max, poolSize: 3),
            ], [7, 5], outputs, Act(Activation.LeakyRelu), 0.2),
        "ResNet-small" => new ResNetNetwork(shape, [1, 2], 4, outputs, Act()),
        _ => new InceptionNetwork(shape, 2, 4, outputs, Act(Activation.Elu)),
    };

    [TestMethod]
    public void TheDefaultConvStackIsTheClassicCifarNetwork()
    {
        using var network = new ConvStackNetwork("ConvStack", new ImageShape(3, 32, 32), new CnnOptions().ConvLayers, new CnnOptions().DenseLayers, 10,
            Act(), 0);
        var shapes = network.parameters().Select(p => string.Join("x", p.shape)).ToArray();
        CollectionAssert.AreEqual(new[] { "32x3x5x5", "32", "32x32x5x5", "32", "64x32x5x5", "64", "64x1024", "64", "10x64", "10" }, shapes);
    }

    [TestMethod]
    public void ImagesTooSmallForTheStackNameTheLayer()
    {
        var e = Assert.Throws<ArgumentException>(() => ConvStackNetwork.LeNet(new ImageShape(1, 8, 8), 3, Act(), 0));
        StringAssert.Contains(e.Message, "LeNet layer 2");
        StringAssert.Contains(e.Message, "(input + 2·padding − kernel)/stride + 1");
        StringAssert.Contains(e.Message, "below 1");

        e = Assert.Throws<ArgumentException>(() => new InceptionNetwork(new ImageShape(3, 1, 1), 2, 4, 2, Act()));
        StringAssert.Contains(e.Message, "max-pool before block 2");
    }
}

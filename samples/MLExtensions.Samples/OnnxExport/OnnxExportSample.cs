// A TorchSharp network written as a PyTorch user would write it, trained briefly, its weights saved and loaded in
// PyTorch's format, exported to ONNX with TorchOnnx and run with ONNX Runtime, which gives the same outputs.
// Only TorchSharp, MLExtensions' TorchOnnx/TorchWeights and ONNX Runtime: no ML.NET.
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLExtensions.Samples.Common;
using TorchSharp;
using static MLExtensions.Samples.Common.ConsoleHelper;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Samples.OnnxExport;

public static class OnnxExportSample
{
    public static readonly string WeightsPath = SamplePaths.ModelFile("OnnxExportNetwork.pt");

    public static readonly string OnnxPath = SamplePaths.ModelFile("OnnxExportNetwork.onnx");

    public static void Run()
    {
        PrintHeader("OnnxExport: a TorchSharp network exported to ONNX and run with ONNX Runtime (no ML.NET)");
        torch.manual_seed(1);

        // 1. A small convolutional network on 1×12×12 images with a residual block (which writes its own ONNX nodes).
        using var network = Network();

        // 2. Train a few steps to tell bright-top images from bright-bottom ones.
        PrintSection("Training in TorchSharp");
        using (var optimizer = torch.optim.Adam(network.parameters(), 0.01))
        {
            network.train();
            for (int step = 0; step < 30; step++)
            {
                using var scope = torch.NewDisposeScope();
                var (images, labels) = Batch(32);
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(network.forward(images), labels);
                loss.backward();
                optimizer.step();
                if (step % 10 == 9)
                    Console.WriteLine(Invariant($"  step {step + 1}: loss {loss.item<float>():F4}"));
            }
        }

        // 3. Weights in PyTorch's format (torch.load reads this file), loaded back into a fresh network.
        PrintSection("Weights in PyTorch's format");
        TorchWeights.Save(network, WeightsPath);
        using var copy = Network();
        var loaded = TorchWeights.Load(copy, WeightsPath);
        Console.WriteLine($"  Saved {SamplePaths.Relative(WeightsPath)} and loaded its {loaded.LoadedKeys.Count} tensors into a new network");

        // 4. Export to ONNX: a dynamic batch of 1×12×12 images.
        PrintSection("ONNX");
        TorchOnnx.Export(copy, [-1, 1, 12, 12], OnnxPath);
        Console.WriteLine($"  Wrote {SamplePaths.Relative(OnnxPath)} ({new FileInfo(OnnxPath).Length} bytes)");

        // 5. Run it with ONNX Runtime and compare with TorchSharp.
        copy.eval();
        using var testScope = torch.NewDisposeScope();
        var (test, testLabels) = Batch(200);
        var expected = copy.forward(test);
        using var session = new InferenceSession(OnnxPath);
        var input = new DenseTensor<float>(test.data<float>().ToArray(), [200, 1, 12, 12]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        float[] scores = ((DenseTensor<float>)results.Single().Value).ToArray();
        float[] reference = expected.data<float>().ToArray();
        double maxDifference = scores.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
        long[] truth = testLabels.data<long>().ToArray();
        int correct = Enumerable.Range(0, 200).Count(i => (scores[2 * i + 1] > scores[2 * i] ? 1 : 0) == truth[i]);
        Console.WriteLine(Invariant($"  ONNX Runtime accuracy on 200 new images: {correct / 200.0:P1}; largest difference from TorchSharp: {maxDifference:E2}"));
        if (!(maxDifference < 1e-4))
            throw new InvalidOperationException(Invariant($"ONNX Runtime and TorchSharp differ by {maxDifference:E2}."));
    }

    private static nn.Module<Tensor, Tensor> Network() => nn.Sequential(
        ("stem", nn.Conv2d(1, 8, 3, padding: 1)),
        ("norm", nn.BatchNorm2d(8)),
        ("act", nn.ReLU()),
        ("block", new ResidualBlock(8)),
        ("pool", nn.MaxPool2d(2)),
        ("flatten", nn.Flatten()),
        ("dropout", nn.Dropout(0.2)),
        ("head", nn.Linear(8 * 6 * 6, 2)));

    /// <summary>Images with noise whose top (label 1) or bottom (label 0) half is brighter.</summary>
    private static (Tensor Images, Tensor Labels) Batch(int n)
    {
        var labels = torch.randint(0, 2, [n], dtype: ScalarType.Int64);
        var images = torch.randn(n, 1, 12, 12);
        var rows = torch.arange(12).reshape(1, 1, 12, 1).to(ScalarType.Float32);
        var top = labels.reshape(n, 1, 1, 1).to(ScalarType.Float32);
        var bright = top * (rows < 6).to(ScalarType.Float32) + (1 - top) * (rows >= 6).to(ScalarType.Float32);
        return (images + 0.3 * bright, labels);
    }
}

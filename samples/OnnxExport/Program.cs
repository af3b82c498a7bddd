// A TorchSharp network written as a PyTorch user would write it, trained briefly, its weights saved and loaded in
// PyTorch's format, exported to ONNX with TorchOnnx and run with ONNX Runtime, which gives the same outputs.
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLExtensions;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

torch.manual_seed(1);
string output = args.Length > 0 ? args[0] : Path.Combine("artifacts", "onnx-export");
Directory.CreateDirectory(output);

// 1. A small convolutional network on 1×12×12 images with a residual block (which writes its own ONNX nodes).
var network = nn.Sequential(
    ("stem", nn.Conv2d(1, 8, 3, padding: 1)),
    ("norm", nn.BatchNorm2d(8)),
    ("act", nn.ReLU()),
    ("block", new ResidualBlock(8)),
    ("pool", nn.MaxPool2d(2)),
    ("flatten", nn.Flatten()),
    ("dropout", nn.Dropout(0.2)),
    ("head", nn.Linear(8 * 6 * 6, 2)));

// 2. Train a few steps to tell bright-top images from bright-bottom ones.
(Tensor Images, Tensor Labels) Batch(int n)
{
    var labels = torch.randint(0, 2, [n], dtype: ScalarType.Int64);
    var images = torch.randn(n, 1, 12, 12);
    var rows = torch.arange(12).reshape(1, 1, 12, 1).to(ScalarType.Float32);
    var top = labels.reshape(n, 1, 1, 1).to(ScalarType.Float32);
    var bright = top * (rows < 6).to(ScalarType.Float32) + (1 - top) * (rows >= 6).to(ScalarType.Float32);
    return (images + 0.3 * bright, labels);
}

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
            Console.WriteLine($"step {step + 1}: loss {loss.item<float>():F4}");
    }
}

// 3. Weights in PyTorch's format (torch.load reads this file), loaded back into a fresh network.
string weights = Path.Combine(output, "network.pt");
TorchWeights.Save(network, weights);
var copy = nn.Sequential(
    ("stem", nn.Conv2d(1, 8, 3, padding: 1)), ("norm", nn.BatchNorm2d(8)), ("act", nn.ReLU()), ("block", new ResidualBlock(8)),
    ("pool", nn.MaxPool2d(2)), ("flatten", nn.Flatten()), ("dropout", nn.Dropout(0.2)), ("head", nn.Linear(8 * 6 * 6, 2)));
var loaded = TorchWeights.Load(copy, weights);
Console.WriteLine($"loaded {loaded.LoadedKeys.Count} tensors from {weights}");

// 4. Export to ONNX: a dynamic batch of 1×12×12 images.
string model = Path.Combine(output, "network.onnx");
TorchOnnx.Export(copy, [-1, 1, 12, 12], model);
Console.WriteLine($"wrote {model} ({new FileInfo(model).Length} bytes)");

// 5. Run it with ONNX Runtime and compare with TorchSharp.
copy.eval();
var (test, testLabels) = Batch(200);
using var expected = copy.forward(test);
using var session = new InferenceSession(model);
var input = new DenseTensor<float>(test.data<float>().ToArray(), [200, 1, 12, 12]);
using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
float[] scores = ((DenseTensor<float>)results.Single().Value).ToArray();
float[] reference = expected.data<float>().ToArray();
double maxDifference = scores.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
long[] truth = testLabels.data<long>().ToArray();
int correct = Enumerable.Range(0, 200).Count(i => (scores[2 * i + 1] > scores[2 * i] ? 1 : 0) == truth[i]);
Console.WriteLine($"ONNX Runtime accuracy on 200 new images: {correct / 200.0:P1}; largest difference from TorchSharp: {maxDifference:E2}");
return maxDifference < 1e-4 ? 0 : 1;

/// <summary>relu(x + body(x)), exported through ITorchOnnxExportable.</summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>, ITorchOnnxExportable
{
    private readonly TorchSharp.Modules.Sequential body;

    public ResidualBlock(int channels) : base(nameof(ResidualBlock))
    {
        body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding: 1), nn.BatchNorm2d(channels), nn.ReLU(),
            nn.Conv2d(channels, channels, 3, padding: 1), nn.BatchNorm2d(channels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => nn.functional.relu(x + body.forward(x));

    public TorchOnnxValue ExportOnnx(TorchOnnxContext context, TorchOnnxValue input)
    {
        var body = context.Export(this.body, input);
        var sum = context.Node("Add", [input.Name, body.Name], body.Shape);
        return context.Node("Relu", [sum.Name], sum.Shape);
    }
}

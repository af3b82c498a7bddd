using MLExtensions.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// A GoogLeNet-style inception block: four parallel branches on the same input, concatenated on channels:
/// 1×1; 1×1 → 3×3; 1×1 → 5×5; 3×3 max-pool → 1×1. Every convolution is followed by the activation.
/// </summary>
internal sealed class InceptionBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d b1, b2Reduce, b2, b3Reduce, b3, b4;
    private readonly MaxPool2d pool;
    private readonly ActivationLayer activation;

    public InceptionBlock(string name, ImageShape input, int width, ActivationLayer activation, out ImageShape output) : base(name)
    {
        int half = Math.Max(1, width / 2), quarter = Math.Max(1, width / 4);
        b1 = nn.Conv2d(input.Channels, width, 1);
        b2Reduce = nn.Conv2d(input.Channels, width, 1);
        b2 = nn.Conv2d(width, 2 * width, 3, padding: 1);
        b3Reduce = nn.Conv2d(input.Channels, quarter, 1);
        b3 = nn.Conv2d(quarter, half, 5, padding: 2);
        pool = nn.MaxPool2d(3, 1, 1);
        b4 = nn.Conv2d(input.Channels, half, 1);
        this.activation = activation;
        output = input with { Channels = width + 2 * width + half + half };
        RegisterComponents();
    }

    private Tensor Act(Tensor x) => activation.forward(x);

    public override Tensor forward(Tensor x) => cat(
    [
        Act(b1.forward(x)),
        Act(b2.forward(Act(b2Reduce.forward(x)))),
        Act(b3.forward(Act(b3Reduce.forward(x)))),
        Act(b4.forward(pool.forward(x))),
    ], 1);

    public string WriteOnnx(OnnxGraph g, string input)
    {
        string name = GetName();
        string Conv(string x, Conv2d conv, string part) => activation.WriteOnnx(g, OnnxLayers.Conv(g, x, conv, name + part));
        var branch1 = Conv(input, b1, ".1x1");
        var branch2 = Conv(Conv(input, b2Reduce, ".3x3_reduce"), b2, ".3x3");
        var branch3 = Conv(Conv(input, b3Reduce, ".5x5_reduce"), b3, ".5x5");
        var branch4 = Conv(OnnxLayers.Pool(g, input, Pooling.Max, 3, 1, 1), b4, ".pool_proj");
        return g.AddNode("Concat", [branch1, branch2, branch3, branch4], g.UniqueName(name + ".concat"), OnnxAttribute.Int("axis", 1));
    }
}

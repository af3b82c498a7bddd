using MLExtensions.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// A basic residual block: 3×3 conv → BN → activation → 3×3 conv → BN, plus the input (through a 1×1 conv + BN
/// projection when the stride or the channel count changes), then the activation.
/// </summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d norm1, norm2;
    private readonly Conv2d? projection;
    private readonly BatchNorm2d? projectionNorm;
    private readonly ActivationLayer activation;

    public ResidualBlock(string name, ImageShape input, int channels, int stride, ActivationLayer activation, out ImageShape output) : base(name)
    {
        output = input.After(name, channels, 3, stride, 1);
        conv1 = nn.Conv2d(input.Channels, channels, 3, stride: stride, padding: 1, bias: false);
        norm1 = nn.BatchNorm2d(channels);
        conv2 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
        norm2 = nn.BatchNorm2d(channels);
        if (stride != 1 || input.Channels != channels)
        {
            projection = nn.Conv2d(input.Channels, channels, 1, stride: stride, bias: false);
            projectionNorm = nn.BatchNorm2d(channels);
        }
        this.activation = activation;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var y = activation.forward(norm1.forward(conv1.forward(x)));
        y = norm2.forward(conv2.forward(y));
        var shortcut = projection is null ? x : projectionNorm!.forward(projection.forward(x));
        return activation.forward(y + shortcut);
    }

    public string WriteOnnx(OnnxGraph g, string input)
    {
        string name = GetName();
        var y = activation.WriteOnnx(g, OnnxLayers.BatchNorm(g, OnnxLayers.Conv(g, input, conv1, name + ".conv1"), norm1, name + ".norm1"));
        y = OnnxLayers.BatchNorm(g, OnnxLayers.Conv(g, y, conv2, name + ".conv2"), norm2, name + ".norm2");
        var shortcut = projection is null
            ? input
            : OnnxLayers.BatchNorm(g, OnnxLayers.Conv(g, input, projection, name + ".projection"), projectionNorm!, name + ".projection_norm");
        return activation.WriteOnnx(g, g.AddNode("Add", [y, shortcut], g.UniqueName(name + ".sum")));
    }
}

using MLExtensions.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>One of the supported nonlinearities, as a TorchSharp module that also exports itself to ONNX.</summary>
internal sealed class ActivationLayer : nn.Module<Tensor, Tensor>
{
    private readonly Activation _kind;
    private readonly double _slope;
    private readonly double _alpha;

    public ActivationLayer(Activation kind, double leakySlope = 0.01, double eluAlpha = 1.0) : base(kind.ToString())
    {
        if (!Enum.IsDefined(kind))
            throw new ArgumentOutOfRangeException(nameof(MlpOptions.Activation), kind, "Unknown activation.");
        _kind = kind;
        _slope = leakySlope;
        _alpha = eluAlpha;
    }

    public Activation Kind => _kind;

    public override Tensor forward(Tensor x) => _kind switch
    {
        Activation.Sigmoid => torch.sigmoid(x),
        Activation.Tanh => torch.tanh(x),
        Activation.Relu => nn.functional.relu(x),
        Activation.LeakyRelu => nn.functional.leaky_relu(x, _slope),
        Activation.Elu => nn.functional.elu(x, _alpha),
        Activation.Selu => nn.functional.selu(x),
        Activation.Relu6 => nn.functional.relu6(x),
        Activation.Softplus => nn.functional.softplus(x),
        Activation.Softsign => nn.functional.softsign(x),
        _ => throw new InvalidOperationException(),
    };

    /// <summary>Adds the ONNX node(s) of this activation and returns the output name.</summary>
    public string WriteOnnx(OnnxGraph g, string input)
    {
        string output = g.UniqueName(_kind.ToString().ToLowerInvariant());
        return _kind switch
        {
            Activation.Sigmoid => g.AddNode("Sigmoid", [input], output),
            Activation.Tanh => g.AddNode("Tanh", [input], output),
            Activation.Relu => g.AddNode("Relu", [input], output),
            Activation.LeakyRelu => g.AddNode("LeakyRelu", [input], output, OnnxAttribute.Float("alpha", (float)_slope)),
            Activation.Elu => g.AddNode("Elu", [input], output, OnnxAttribute.Float("alpha", (float)_alpha)),
            Activation.Selu => g.AddNode("Selu", [input], output),
            Activation.Relu6 => g.AddNode("Clip", [input,
                g.AddInitializer(g.UniqueName("relu6_min"), [0f]), g.AddInitializer(g.UniqueName("relu6_max"), [6f])], output),
            Activation.Softplus => g.AddNode("Softplus", [input], output),
            Activation.Softsign => g.AddNode("Softsign", [input], output),
            _ => throw new InvalidOperationException(),
        };
    }
}

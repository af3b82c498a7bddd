using MLExtensions.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>One dense layer from the features to the outputs: linear, logistic and softmax regression.</summary>
internal sealed class LinearNetwork : NetworkModule
{
    private readonly Linear dense;

    public LinearNetwork(int inputSize, int outputSize) : base("Linear")
    {
        dense = nn.Linear(inputSize, outputSize);
        RegisterComponents();
    }

    public override Linear OutputLayer => dense;

    public override Tensor forward(Tensor x) => dense.forward(x);

    public override string WriteOnnx(OnnxGraph g, string input) => OnnxLayers.Dense(g, input, dense, "dense");
}

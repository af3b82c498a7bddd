using MLExtensions.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// Dense layers with a nonlinearity (and optional dropout) between them. With no hidden layers it is the linear
/// model behind linear, logistic and softmax regression.
/// </summary>
internal sealed class MlpNetwork : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly ModuleList<Linear> layers = new();
    private readonly ActivationLayer activation;
    private readonly Dropout? dropout;

    public MlpNetwork(int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, ActivationLayer activation,
        double dropoutRate, WeightInitialization init, double initScale) : base("Mlp")
    {
        int previous = inputSize;
        foreach (int size in hiddenSizes.Append(outputSize))
        {
            var layer = nn.Linear(previous, size);
            WeightInitializer.Apply(layer, init, initScale);
            layers.Add(layer);
            previous = size;
        }
        this.activation = activation;
        if (dropoutRate > 0)
            dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            var next = layers[i].forward(x);
            if (i < layers.Count - 1)
            {
                next = activation.forward(next);
                if (dropout is not null)
                    next = dropout.forward(next);
            }
            x = next;
        }
        return x;
    }

    public string ExportOnnx(OnnxGraph g, string input)
    {
        string x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            x = OnnxLayers.Dense(g, x, layers[i], $"dense{i}");
            if (i < layers.Count - 1)
                x = activation.ExportOnnx(g, x); // dropout is the identity at inference
        }
        return x;
    }
}

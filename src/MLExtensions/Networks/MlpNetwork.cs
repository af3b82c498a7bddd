using MLExtensions.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>Dense layers with a nonlinearity (and optional dropout) after each hidden layer.</summary>
internal sealed class MlpNetwork : NetworkModule
{
    private readonly FeatureStandardization? standardization;
    private readonly ModuleList<Linear> layers = new();
    private readonly ActivationLayer activation;
    private readonly Dropout? dropout;

    public MlpNetwork(int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, ActivationLayer activation, double dropoutRate,
        bool standardize = false) : base("Mlp")
    {
        if (standardize)
            standardization = new FeatureStandardization(inputSize);
        int previous = inputSize;
        foreach (int size in hiddenSizes.Append(outputSize))
        {
            layers.Add(nn.Linear(previous, size));
            previous = size;
        }
        this.activation = activation;
        if (dropoutRate > 0)
            dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    public override Linear OutputLayer => layers[^1];

    public override void Prepare(Tensor trainingInputs) => standardization?.Fit(trainingInputs);

    public override Tensor forward(Tensor x)
    {
        if (standardization is not null)
            x = standardization.forward(x);
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

    public override string WriteOnnx(OnnxGraph g, string input)
    {
        string x = standardization?.WriteOnnx(g, input) ?? input;
        for (int i = 0; i < layers.Count; i++)
        {
            x = OnnxLayers.Dense(g, x, layers[i], $"dense{i}");
            if (i < layers.Count - 1)
                x = activation.WriteOnnx(g, x); // dropout is the identity at inference
        }
        return x;
    }
}

using MLExtensions.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>One dense layer from the features to the outputs: linear, logistic and softmax regression.</summary>
internal sealed class LinearNetwork : NetworkModule
{
    private readonly FeatureStandardization? standardization;
    private readonly Linear dense;

    /// <param name="inputSize">Features per row.</param>
    /// <param name="outputSize">Outputs.</param>
    /// <param name="standardize">Standardize the features with the training rows' statistics (see <see cref="FeatureStandardization"/>).</param>
    public LinearNetwork(int inputSize, int outputSize, bool standardize = false) : base("Linear")
    {
        if (standardize)
            standardization = new FeatureStandardization(inputSize);
        dense = nn.Linear(inputSize, outputSize);
        RegisterComponents();
    }

    public override Linear OutputLayer => dense;

    public override void Prepare(Tensor trainingInputs) => standardization?.Fit(trainingInputs);

    public override Tensor forward(Tensor x) => dense.forward(standardization?.forward(x) ?? x);

    public override string WriteOnnx(OnnxGraph g, string input) =>
        OnnxLayers.Dense(g, standardization?.WriteOnnx(g, input) ?? input, dense, "dense");
}

namespace MLExtensions;

/// <summary>Options for <c>TorchMlp</c>: a multilayer perceptron of dense hidden layers.</summary>
public sealed class MlpOptions : TorchTrainerOptions
{
    /// <summary>
    /// Creates the options (see <see cref="TrainerDefaults.Mlp"/>): one hidden layer of 128 ReLU units, Adam (lr 1e-3)
    /// with L2 1e-4, the automatic batch size, at most 100 epochs with 10 % of the rows validating and early stopping
    /// after 10 epochs without improvement, the best epoch's weights restored.
    /// </summary>
    public MlpOptions()
    {
        Epochs = TrainerDefaults.Mlp.Epochs;
        WeightDecay = TrainerDefaults.Mlp.WeightDecay;
        EarlyStoppingPatience = TrainerDefaults.Mlp.EarlyStoppingPatience;
    }

    /// <summary>Sizes of the hidden layers, input side first. Empty gives a linear model.</summary>
    public int[] HiddenLayerSizes { get; set; } = [TrainerDefaults.Mlp.HiddenLayerSize];

    /// <summary>Nonlinearity after each hidden layer.</summary>
    public Activation Activation { get; set; } = Activation.Relu;

    /// <summary>Negative slope of <see cref="Activation.LeakyRelu"/>.</summary>
    public double LeakyReluSlope { get; set; } = 0.01;

    /// <summary>α of <see cref="Activation.Elu"/>.</summary>
    public double EluAlpha { get; set; } = 1.0;

    /// <summary>Dropout probability after each hidden activation during training (0, the default, disables it).</summary>
    public double Dropout { get; set; } = TrainerDefaults.Mlp.Dropout;

    /// <summary>
    /// Standardize every feature with the training rows' mean and standard deviation inside the network (the exported
    /// model does the same), so features on very different scales train well without a normalizer in the pipeline.
    /// </summary>
    public bool FeatureScaling { get; set; } = true;
}

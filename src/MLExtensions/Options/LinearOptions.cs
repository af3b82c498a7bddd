namespace MLExtensions;

/// <summary>
/// Options for the linear models: <c>TorchLinearRegression</c>, <c>TorchLogisticRegression</c> and
/// <c>TorchSoftmaxRegression</c>: one dense layer from the features to the output.
/// </summary>
public sealed class LinearOptions : TorchTrainerOptions
{
    /// <summary>
    /// Creates the options: full-batch L-BFGS with an L2 penalty of 1e-3 on the weights and no validation rows (see
    /// <see cref="TrainerDefaults.Linear"/>), as ML.NET's own linear trainers train.
    /// </summary>
    public LinearOptions()
    {
        Optimizer = TrainerDefaults.Linear.Optimizer;
        Epochs = TrainerDefaults.Linear.Epochs;
        LearningRate = TrainerDefaults.Linear.LearningRate;
        WeightDecay = TrainerDefaults.Linear.WeightDecay;
        ValidationFraction = TrainerDefaults.Linear.ValidationFraction;
        EarlyStoppingPatience = TrainerDefaults.Linear.EarlyStoppingPatience;
    }

    /// <summary>
    /// Standardize every feature with the training rows' mean and standard deviation inside the network (the exported
    /// model does the same), so features on very different scales train well without a normalizer in the pipeline.
    /// </summary>
    public bool FeatureScaling { get; set; } = true;
}

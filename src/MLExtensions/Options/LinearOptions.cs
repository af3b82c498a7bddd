namespace MLExtensions;

/// <summary>
/// Options for the linear models: <c>TorchLinearRegression</c>, <c>TorchLogisticRegression</c> and
/// <c>TorchSoftmaxRegression</c>: one dense layer from the features to the output.
/// </summary>
public sealed class LinearOptions : TorchTrainerOptions
{
    /// <summary>Creates the options; linear models default to a learning rate of 0.01.</summary>
    public LinearOptions() => LearningRate = 0.01;
}

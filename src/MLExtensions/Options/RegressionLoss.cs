namespace MLExtensions;

/// <summary>The loss minimized by regression trainers.</summary>
public enum RegressionLoss
{
    /// <summary>Mean squared error.</summary>
    Mse,
    /// <summary>Mean absolute error (L1).</summary>
    Mae,
    /// <summary>Huber loss: quadratic within <see cref="TorchTrainerOptions.HuberDelta"/> of the target, linear beyond.</summary>
    Huber,
}

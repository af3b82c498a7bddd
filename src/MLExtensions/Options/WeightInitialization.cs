namespace MLExtensions;

/// <summary>How the weights of dense layers are initialized. Biases start at zero except with <see cref="Default"/>.</summary>
public enum WeightInitialization
{
    /// <summary>PyTorch's default for linear layers (Kaiming-uniform weights, uniform biases).</summary>
    Default,
    /// <summary>Normal(0, σ²) with σ = <see cref="TorchTrainerOptions.InitScale"/>.</summary>
    Normal,
    /// <summary>Uniform(−a, a) with a = <see cref="TorchTrainerOptions.InitScale"/>.</summary>
    Uniform,
    /// <summary>Xavier/Glorot uniform.</summary>
    Xavier,
    /// <summary>Kaiming/He uniform for ReLU-family activations.</summary>
    Kaiming,
    /// <summary>Every weight equal to <see cref="TorchTrainerOptions.InitScale"/> (useful to show why symmetric weights do not train).</summary>
    Constant,
}

namespace MLExtensions;

/// <summary>Element-wise nonlinearity applied after each hidden layer.</summary>
public enum Activation
{
    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>max(0, x).</summary>
    Relu,
    /// <summary>x for x &gt; 0, slope·x otherwise (slope from <see cref="MlpOptions.LeakyReluSlope"/>).</summary>
    LeakyRelu,
    /// <summary>x for x &gt; 0, α(e^x − 1) otherwise (α from <see cref="MlpOptions.EluAlpha"/>).</summary>
    Elu,
    /// <summary>Scaled ELU with the self-normalizing constants.</summary>
    Selu,
    /// <summary>min(max(0, x), 6).</summary>
    Relu6,
    /// <summary>log(1 + e^x).</summary>
    Softplus,
    /// <summary>x / (1 + |x|).</summary>
    Softsign,
}

namespace MLExtensions;

/// <summary>The machine-learning task a trainer solves.</summary>
public enum PredictionKind
{
    /// <summary>Predict a <see cref="float"/>.</summary>
    Regression,
    /// <summary>Predict a <see cref="bool"/>.</summary>
    BinaryClassification,
    /// <summary>Predict one of several classes (a key).</summary>
    MulticlassClassification,
}

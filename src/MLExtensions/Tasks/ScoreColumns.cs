using System.ComponentModel;
using Microsoft.ML.Data;

namespace MLExtensions.Tasks;

/// <summary>Names of the helper columns between the ONNX model and the task's adapters; they are dropped at the end of the chain.</summary>
internal static class ScoreColumns
{
    /// <summary>The raw network output of single-output tasks (regression value or binary logit), a vector of one value.</summary>
    public const string RawScore = "MLExtensionsRawScore";

    /// <summary>The 0-based predicted class index of multiclass models, a vector of one int64.</summary>
    public const string PredictedIndex = "MLExtensionsPredictedIndex";

    /// <summary>The 1-based class number (key value) made from <see cref="PredictedIndex"/>.</summary>
    public const string ClassNumber = "MLExtensionsClassNumber";

    /// <summary>The training label's value of the predicted class, before it becomes a key again.</summary>
    public const string PredictedValue = "MLExtensionsPredictedValue";
}

/// <summary>Input of the single-output adapters: the raw score, a vector of one value.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RawScoreRow
{
    /// <summary>The raw network output.</summary>
    [ColumnName(ScoreColumns.RawScore), VectorType(1)]
    public float[] RawScore { get; set; } = [];
}

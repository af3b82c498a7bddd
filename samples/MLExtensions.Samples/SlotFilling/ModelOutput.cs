using Microsoft.ML.Data;

namespace MLExtensions.Samples.SlotFilling;

/// <summary>The tagger's prediction for one sentence.</summary>
public class ModelOutput
{
    /// <summary>One predicted tag per word (MapKeyToValue of the predicted keys).</summary>
    [ColumnName(@"PredictedTags")]
    public string[] PredictedTags { get; set; } = [];

    /// <summary>Per-word tag probabilities, words × tags flattened (the probabilities of word t are slots t·tags to t·tags + tags − 1).</summary>
    [ColumnName(@"Score")]
    public float[] Score { get; set; } = [];
}

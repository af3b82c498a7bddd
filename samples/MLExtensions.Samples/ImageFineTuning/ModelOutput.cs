using Microsoft.ML.Data;

namespace MLExtensions.Samples.ImageFineTuning;

/// <summary>The prediction: the class name (mapped back from the key) and one probability per class, in key order.</summary>
public class ModelOutput
{
    [ColumnName(@"PredictedLabel")]
    public string PredictedLabel { get; set; } = "";

    [ColumnName(@"Score")]
    public float[] Score { get; set; } = [];
}

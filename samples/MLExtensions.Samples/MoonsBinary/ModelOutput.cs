using Microsoft.ML.Data;

namespace MLExtensions.Samples.MoonsBinary;

/// <summary>The prediction: the class, its probability and the raw score (the logit).</summary>
public class ModelOutput
{
    [ColumnName(@"PredictedLabel")]
    public bool PredictedLabel { get; set; }

    [ColumnName(@"Probability")]
    public float Probability { get; set; }

    [ColumnName(@"Score")]
    public float Score { get; set; }
}

using Microsoft.ML.Data;

namespace MLExtensions.Samples.NamesByLanguage;

/// <summary>The prediction: the language (mapped back from the key) and one probability per language, in key order.</summary>
public class ModelOutput
{
    [ColumnName(@"PredictedLabel")]
    public string PredictedLabel { get; set; } = "";

    [ColumnName(@"Score")]
    public float[] Score { get; set; } = [];
}

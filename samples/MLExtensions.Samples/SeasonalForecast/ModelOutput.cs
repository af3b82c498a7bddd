using Microsoft.ML.Data;

namespace MLExtensions.Samples.SeasonalForecast;

/// <summary>The prediction: the next value.</summary>
public class ModelOutput
{
    [ColumnName(@"Score")]
    public float Score { get; set; }
}

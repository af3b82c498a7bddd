using Microsoft.ML.Data;

namespace MLExtensions.Samples.ShapeSizeRegression;

/// <summary>The prediction: the size score.</summary>
public class ModelOutput
{
    [ColumnName(@"Score")]
    public float Score { get; set; }
}

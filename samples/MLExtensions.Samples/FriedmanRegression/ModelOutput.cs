using Microsoft.ML.Data;

namespace MLExtensions.Samples.FriedmanRegression;

/// <summary>The prediction: the regression score.</summary>
public class ModelOutput
{
    [ColumnName(@"Score")]
    public float Score { get; set; }
}

using Microsoft.ML.Data;

namespace MLExtensions.Samples.LinearRegression;

/// <summary>One row of data/linear.csv: two features and the target y = 2·X1 − 3.4·X2 + 4.2 + noise.</summary>
public class ModelInput
{
    [LoadColumn(0)]
    [ColumnName(@"X1")]
    public float X1 { get; set; }

    [LoadColumn(1)]
    [ColumnName(@"X2")]
    public float X2 { get; set; }

    [LoadColumn(2)]
    [ColumnName(@"Y")]
    public float Y { get; set; }
}

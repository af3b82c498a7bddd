using Microsoft.ML.Data;

namespace MLExtensions.Samples.SpiralMulticlass;

/// <summary>One row of data/multiclass-spiral.csv: a point and its spiral arm (red, green or blue).</summary>
public class ModelInput
{
    [LoadColumn(0)]
    [ColumnName(@"X1")]
    public float X1 { get; set; }

    [LoadColumn(1)]
    [ColumnName(@"X2")]
    public float X2 { get; set; }

    [LoadColumn(2)]
    [ColumnName(@"Label")]
    public string Label { get; set; } = "";
}

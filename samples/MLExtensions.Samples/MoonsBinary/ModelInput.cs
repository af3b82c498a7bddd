using Microsoft.ML.Data;

namespace MLExtensions.Samples.MoonsBinary;

/// <summary>One row of data/binary-moons.csv: a point and the half-moon it belongs to.</summary>
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
    public bool Label { get; set; }
}

using Microsoft.ML.Data;

namespace MLExtensions.Samples.FriedmanRegression;

/// <summary>One row of data/friedman.csv: ten features in [0, 1] (F6…F10 carry no signal) and the target Y.</summary>
public class ModelInput
{
    [LoadColumn(0)]
    [ColumnName(@"F1")]
    public float F1 { get; set; }

    [LoadColumn(1)]
    [ColumnName(@"F2")]
    public float F2 { get; set; }

    [LoadColumn(2)]
    [ColumnName(@"F3")]
    public float F3 { get; set; }

    [LoadColumn(3)]
    [ColumnName(@"F4")]
    public float F4 { get; set; }

    [LoadColumn(4)]
    [ColumnName(@"F5")]
    public float F5 { get; set; }

    [LoadColumn(5)]
    [ColumnName(@"F6")]
    public float F6 { get; set; }

    [LoadColumn(6)]
    [ColumnName(@"F7")]
    public float F7 { get; set; }

    [LoadColumn(7)]
    [ColumnName(@"F8")]
    public float F8 { get; set; }

    [LoadColumn(8)]
    [ColumnName(@"F9")]
    public float F9 { get; set; }

    [LoadColumn(9)]
    [ColumnName(@"F10")]
    public float F10 { get; set; }

    [LoadColumn(10)]
    [ColumnName(@"Y")]
    public float Y { get; set; }
}

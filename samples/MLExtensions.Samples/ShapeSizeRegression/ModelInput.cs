using Microsoft.ML.Data;

namespace MLExtensions.Samples.ShapeSizeRegression;

/// <summary>
/// One row of data/shape-sizes/labels.csv: the image path relative to data/shape-sizes/ and the size score 1–5.
/// The file's Score column is read as Label, so that it does not clash with the predicted Score.
/// </summary>
public class ModelInput
{
    [LoadColumn(0)]
    [ColumnName(@"ImagePath")]
    public string ImagePath { get; set; } = "";

    [LoadColumn(1)]
    [ColumnName(@"Label")]
    public float Label { get; set; }
}

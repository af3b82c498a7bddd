using Microsoft.ML.Data;

namespace MLExtensions.Samples.YourOwnNetwork;

/// <summary>One image of data/shapes/: its path relative to that folder (e.g. circle/circle_007.png) and its class.</summary>
public class ModelInput
{
    [ColumnName(@"ImagePath")]
    public string ImagePath { get; set; } = "";

    [ColumnName(@"Label")]
    public string Label { get; set; } = "";
}

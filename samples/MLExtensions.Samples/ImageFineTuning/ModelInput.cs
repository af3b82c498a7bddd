using Microsoft.ML.Data;

namespace MLExtensions.Samples.ImageFineTuning;

/// <summary>One image of data/shapes-in-clutter/: its path relative to that folder (e.g. cross/cross_07.png) and its class.</summary>
public class ModelInput
{
    [ColumnName(@"ImagePath")]
    public string ImagePath { get; set; } = "";

    [ColumnName(@"Label")]
    public string Label { get; set; } = "";
}

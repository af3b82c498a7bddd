using Microsoft.ML.Data;

namespace MLExtensions.Samples.NamesByLanguage;

/// <summary>One name of data/names/: its text and its language (the file name, e.g. Aurish).</summary>
public class ModelInput
{
    [ColumnName(@"Text")]
    public string Text { get; set; } = "";

    [ColumnName(@"Label")]
    public string Label { get; set; } = "";
}

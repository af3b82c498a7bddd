using Microsoft.ML.Data;

namespace MLExtensions.Samples.SlotFilling;

/// <summary>One booking sentence of data/slot-filling.tsv: its words and one BIO tag per word.</summary>
public class ModelInput
{
    [LoadColumn(0), ColumnName(@"Text")]
    public string Text { get; set; } = "";

    /// <summary>Space-separated tags, one per word (only needed for training; give any tags of the right count, or the words themselves, to predict).</summary>
    [LoadColumn(1), ColumnName(@"Tags")]
    public string Tags { get; set; } = "";
}

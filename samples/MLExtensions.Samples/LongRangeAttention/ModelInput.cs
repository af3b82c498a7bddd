namespace MLExtensions.Samples.LongRangeAttention;

/// <summary>A sequence of space-separated tokens and whether its first and last tokens are the same.</summary>
public class ModelInput
{
    public string Text { get; set; } = "";

    public bool Label { get; set; }
}

namespace MLExtensions.Plots;

/// <summary>Options of <see cref="PredictedVsActualPlot"/>.</summary>
public sealed class PredictedVsActualOptions : PlotOptions
{
    /// <summary>The actual values' column when reading scored data; "Label" by default.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The predictions' column when reading scored data; "Score" by default.</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>What the values are (for the axis titles, e.g. "price"); "value" by default.</summary>
    public string? Quantity { get; set; }
}

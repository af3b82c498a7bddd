namespace MLExtensions.Plots;

/// <summary>Options of <see cref="ConfusionMatrixPlot"/>.</summary>
public sealed class ConfusionMatrixPlotOptions : PlotOptions
{
    /// <summary>
    /// The class names in the matrix's order (the label key's order, for example from
    /// <see cref="LabelNames.FromKeyColumn"/>); "class 1", "class 2", … when null.
    /// For binary metrics ML.NET orders the classes positive, negative.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; set; }
}

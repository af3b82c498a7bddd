namespace MLExtensions.Plots;

/// <summary>Options of <see cref="AttentionHeatMapPlot"/>.</summary>
public sealed class AttentionHeatMapOptions : PlotOptions
{
    /// <summary>The encoder layer the weights come from (as passed to <c>GetAttentionWeights</c>); shown in the panel titles.</summary>
    public int? Layer { get; set; }

    /// <summary>Labels of the positions (the tokens of the row), for both axes; positions 0, 1, … when null.</summary>
    public IReadOnlyList<string>? Tokens { get; set; }

    /// <summary>Panels per row; 0 picks a near-square grid.</summary>
    public int Columns { get; set; }

    /// <summary>Side of one panel in pixels; 0 sizes it from the number of positions (about 13 pixels each, within 200–680).</summary>
    public int PanelSize { get; set; }
}

namespace MLExtensions.Plots;

/// <summary>What every picture of this library shares: its title and its size.</summary>
public abstract class PlotOptions
{
    /// <summary>The title above the picture; each picture has a default that says what it shows.</summary>
    public string? Title { get; set; }

    /// <summary>A second line under the title; by default a short summary of the data (counts, the best value).</summary>
    public string? Subtitle { get; set; }

    /// <summary>Width in pixels (SVG: user units); 0 picks a width that fits the content.</summary>
    public int Width { get; set; }

    /// <summary>Height in pixels (SVG: user units); 0 picks a height that fits the content.</summary>
    public int Height { get; set; }
}

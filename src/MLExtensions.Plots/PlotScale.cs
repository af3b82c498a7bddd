namespace MLExtensions.Plots;

/// <summary>How an axis maps its values.</summary>
public enum PlotScale
{
    /// <summary>Linear, unless the values span more than a factor of 20 (and are all positive): then logarithmic.</summary>
    Auto,

    /// <summary>Linear, from 0 when no value is negative.</summary>
    Linear,

    /// <summary>Logarithmic (all values must be positive).</summary>
    Logarithmic,
}

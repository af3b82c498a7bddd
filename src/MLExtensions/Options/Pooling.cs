namespace MLExtensions;

/// <summary>Spatial pooling after a convolution block.</summary>
public enum Pooling
{
    /// <summary>No pooling.</summary>
    None,
    /// <summary>Maximum over each window.</summary>
    Max,
    /// <summary>Mean over each window.</summary>
    Average,
}

namespace MLExtensions;

/// <summary>One block of <see cref="CnnArchitecture.ConvStack"/>: convolution, optional batch norm, activation, optional pooling.</summary>
public sealed class ConvLayer
{
    /// <summary>Creates a block.</summary>
    public ConvLayer(int outputChannels, int kernelSize = 3, int stride = 1, int padding = SamePadding, Pooling pooling = Pooling.Max, int poolSize = 2)
    {
        OutputChannels = outputChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Pooling = pooling;
        PoolSize = poolSize;
    }

    /// <summary>The <see cref="Padding"/> value meaning "same": kernel / 2.</summary>
    public const int SamePadding = -1;

    /// <summary>Number of filters.</summary>
    public int OutputChannels { get; set; }

    /// <summary>Square kernel size.</summary>
    public int KernelSize { get; set; }

    /// <summary>Convolution stride.</summary>
    public int Stride { get; set; }

    /// <summary>Zero padding on each side; <see cref="SamePadding"/> (the default) gives kernel / 2.</summary>
    public int Padding { get; set; }

    /// <summary>Pooling after the activation.</summary>
    public Pooling Pooling { get; set; }

    /// <summary>Pooling window and stride.</summary>
    public int PoolSize { get; set; }

    /// <summary>Batch normalization between the convolution and the activation.</summary>
    public bool BatchNorm { get; set; }

    internal int EffectivePadding => Padding == SamePadding ? KernelSize / 2 : Padding;
}

namespace MLExtensions;

/// <summary>Where the network is trained.</summary>
public enum TorchDevice
{
    /// <summary>CUDA when a CUDA backend and a GPU are present, otherwise the CPU.</summary>
    Auto,
    /// <summary>Always the CPU.</summary>
    Cpu,
    /// <summary>The first CUDA GPU; training fails with a clear error when CUDA is not available.</summary>
    Cuda,
}

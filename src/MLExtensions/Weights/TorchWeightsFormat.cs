namespace MLExtensions;

/// <summary>File formats of <see cref="TorchWeights"/>.</summary>
public enum TorchWeightsFormat
{
    /// <summary>PyTorch's <c>torch.save</c> zip format (<c>.pt</c>, <c>.pth</c>): a pickle plus raw tensor data.</summary>
    PyTorch,

    /// <summary>The <c>.safetensors</c> format: a JSON header and raw tensor data.</summary>
    Safetensors,
}

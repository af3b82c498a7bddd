namespace MLExtensions;

/// <summary>Where <see cref="PretrainedWeights"/> come from.</summary>
public enum PretrainedWeightsFormat
{
    /// <summary>A PyTorch state_dict (<c>.pt</c>, <c>.pth</c>) or a <c>.safetensors</c> file with torchvision's key names.</summary>
    StateDict,

    /// <summary>An ONNX model of the same architecture (for example ML.NET's ImageNet ResNet-18), read node by node.</summary>
    Onnx,
}

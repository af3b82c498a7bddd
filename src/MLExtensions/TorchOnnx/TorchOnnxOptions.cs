using MLExtensions.Onnx;

namespace MLExtensions;

/// <summary>Options of a standalone ONNX export with <see cref="TorchOnnx"/>.</summary>
public sealed class TorchOnnxOptions
{
    /// <summary>The graph input's name. Default <c>input</c>.</summary>
    public string InputName { get; set; } = "input";

    /// <summary>The graph output's name. Default <c>output</c>.</summary>
    public string OutputName { get; set; } = "output";

    /// <summary>
    /// The input's element type: <see cref="OnnxTensorType.Float"/> or <see cref="OnnxTensorType.Int64"/> (token
    /// indices). Default (null): int64 when the first layer (through nested <c>Sequential</c>s) is an <c>Embedding</c>,
    /// float otherwise.
    /// </summary>
    public OnnxTensorType? InputType { get; set; }
}

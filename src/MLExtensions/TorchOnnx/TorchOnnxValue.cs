using MLExtensions.Onnx;

namespace MLExtensions;

/// <summary>
/// A tensor flowing through an ONNX graph while a TorchSharp module is exported: the ONNX value's name, its shape
/// (<c>-1</c> for a dimension known only at run time, such as the batch) and its element type.
/// </summary>
/// <param name="Name">The value's name in the <see cref="OnnxGraph"/>.</param>
/// <param name="Shape">The dimensions; <c>-1</c> marks a dynamic one.</param>
/// <param name="ElementType">The element type: <see cref="OnnxTensorType.Float"/>, or
/// <see cref="OnnxTensorType.Int64"/> for token indices.</param>
public sealed record TorchOnnxValue(string Name, long[] Shape, OnnxTensorType ElementType = OnnxTensorType.Float)
{
    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>A value of the same element type with another name and shape (typically a node's output).</summary>
    public TorchOnnxValue With(string name, params long[] shape) => new(name, shape, ElementType);

    /// <summary>The shape as PyTorch prints it, <c>-1</c> standing for a dynamic dimension.</summary>
    public string ShapeText => FormatShape(Shape);

    internal static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}

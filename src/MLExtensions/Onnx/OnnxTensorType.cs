namespace MLExtensions.Onnx;

/// <summary>
/// Element types of ONNX tensors. The numeric values are those of the ONNX <c>TensorProto.DataType</c>
/// enumeration, so a member can be written to the wire (or used as a <c>Cast</c> node's <c>to</c> attribute) as is.
/// </summary>
public enum OnnxTensorType
{
    /// <summary>32-bit IEEE 754 floating point (<c>FLOAT</c>).</summary>
    Float = 1,

    /// <summary>32-bit signed integer (<c>INT32</c>).</summary>
    /// <summary>8-bit unsigned integer (<c>TensorProto.DataType.UINT8</c>).</summary>
    UInt8 = 2,

    /// <summary>16-bit unsigned integer (<c>UINT16</c>).</summary>
    UInt16 = 4,

    Int32 = 6,

    /// <summary>64-bit signed integer (<c>INT64</c>).</summary>
    Int64 = 7,

    /// <summary>UTF-8 string (<c>STRING</c>).</summary>
    String = 8,

    /// <summary>Boolean (<c>BOOL</c>).</summary>
    Bool = 9,

    /// <summary>64-bit IEEE 754 floating point (<c>DOUBLE</c>).</summary>
    Double = 11,

    /// <summary>32-bit unsigned integer (<c>UINT32</c>).</summary>
    UInt32 = 12,

    /// <summary>64-bit unsigned integer (<c>UINT64</c>).</summary>
    UInt64 = 13,
}

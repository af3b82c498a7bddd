using Google.Protobuf;
using MLExtensions.Onnx.Proto;

namespace MLExtensions.Onnx;

/// <summary>
/// A named attribute of an ONNX node (an <c>AttributeProto</c>), such as Gemm's <c>transB</c> or Transpose's
/// <c>perm</c>. Create one with the static factories; the value is copied, so later changes to the caller's
/// arrays do not affect it.
/// </summary>
public sealed class OnnxAttribute
{
    private readonly AttributeProto _proto;

    private OnnxAttribute(string name, AttributeProto.Types.AttributeType type, Action<AttributeProto> fill)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        // The type discriminator is mandatory since IR version 2; it tells an empty list of ints from an empty list
        // of floats, which otherwise look identical (no fields at all).
        _proto = new AttributeProto { Name = name, Type = type };
        fill(_proto);
    }

    /// <summary>The attribute's name, as the operator's specification spells it (e.g. <c>transB</c>).</summary>
    public string Name => _proto.Name;

    /// <summary>Creates an integer attribute (e.g. Gemm's <c>transB</c>, Softmax's <c>axis</c>, Cast's <c>to</c>).</summary>
    public static OnnxAttribute Int(string name, long v) => new(name, AttributeProto.Types.AttributeType.Int, a => a.I = v);

    /// <summary>Creates a float attribute (e.g. LeakyRelu's <c>alpha</c>).</summary>
    public static OnnxAttribute Float(string name, float v) => new(name, AttributeProto.Types.AttributeType.Float, a => a.F = v);

    /// <summary>Creates a string attribute (e.g. an LSTM's <c>direction</c>).</summary>
    public static OnnxAttribute String(string name, string v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(name, AttributeProto.Types.AttributeType.String, a => a.S = ByteString.CopyFromUtf8(v));
    }

    /// <summary>Creates a list-of-integers attribute (e.g. Transpose's <c>perm</c>).</summary>
    public static OnnxAttribute Ints(string name, params long[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(name, AttributeProto.Types.AttributeType.Ints, a => a.Ints.AddRange(v));
    }

    /// <summary>Creates a list-of-floats attribute (e.g. Constant's <c>value_floats</c>).</summary>
    public static OnnxAttribute Floats(string name, params float[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(name, AttributeProto.Types.AttributeType.Floats, a => a.Floats.AddRange(v));
    }

    /// <summary>Creates a list-of-strings attribute (e.g. an LSTM's <c>activations</c>).</summary>
    public static OnnxAttribute Strings(string name, params string[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (Array.IndexOf(v, null) >= 0)
            throw new ArgumentException("Strings attributes cannot contain null.", nameof(v));
        return new(name, AttributeProto.Types.AttributeType.Strings, a => a.Strings.AddRange(v.Select(ByteString.CopyFromUtf8)));
    }

    /// <summary>
    /// Creates a float tensor attribute, typically a Constant node's <c>value</c>. <paramref name="dims"/> is the
    /// tensor's shape in row-major order; no dims means a scalar, which needs exactly one value.
    /// </summary>
    public static OnnxAttribute Tensor(string name, float[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(dims);
        var tensor = OnnxTensorData.Floats("", values, dims.ToArray());
        return new(name, AttributeProto.Types.AttributeType.Tensor, a => a.T = tensor);
    }

    /// <summary>A copy of the attribute's protobuf message.</summary>
    internal AttributeProto ToProto() => _proto.Clone();
}

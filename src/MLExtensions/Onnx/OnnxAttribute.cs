namespace MLExtensions.Onnx;

/// <summary>
/// A named attribute of an ONNX node (an <c>AttributeProto</c>), such as Gemm's <c>transB</c> or Transpose's
/// <c>perm</c>. Create one with the static factories; the value is copied, so later changes to the caller's
/// arrays do not affect it.
/// </summary>
public sealed class OnnxAttribute
{
    // AttributeProto field numbers.
    private const int NameField = 1;
    private const int FloatField = 2;   // f
    private const int IntField = 3;     // i
    private const int StringField = 4;  // s
    private const int TensorField = 5;  // t
    private const int FloatsField = 7;
    private const int IntsField = 8;
    private const int StringsField = 9;
    private const int TypeField = 20;

    /// <summary>The <c>AttributeProto.AttributeType</c> values of the kinds this class supports.</summary>
    private enum Kind
    {
        Float = 1,
        Int = 2,
        String = 3,
        Tensor = 4,
        Floats = 6,
        Ints = 7,
        Strings = 8,
    }

    private readonly Kind _kind;
    private readonly object _value;

    // Only for Kind.Tensor: the shape of the float tensor held (as raw data) in _value.
    private readonly long[] _tensorDims = [];

    private OnnxAttribute(string name, Kind kind, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _kind = kind;
        _value = value;
    }

    private OnnxAttribute(string name, byte[] rawFloats, long[] dims)
        : this(name, Kind.Tensor, rawFloats)
    {
        _tensorDims = dims;
    }

    /// <summary>The attribute's name, as the operator's specification spells it (e.g. <c>transB</c>).</summary>
    public string Name { get; }

    /// <summary>Creates an integer attribute (e.g. Gemm's <c>transB</c>, Softmax's <c>axis</c>, Cast's <c>to</c>).</summary>
    public static OnnxAttribute Int(string name, long v) => new(name, Kind.Int, v);

    /// <summary>Creates a float attribute (e.g. LeakyRelu's <c>alpha</c>).</summary>
    public static OnnxAttribute Float(string name, float v) => new(name, Kind.Float, v);

    /// <summary>Creates a string attribute (e.g. an LSTM's <c>direction</c>).</summary>
    public static OnnxAttribute String(string name, string v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(name, Kind.String, v);
    }

    /// <summary>Creates a list-of-integers attribute (e.g. Transpose's <c>perm</c>).</summary>
    public static OnnxAttribute Ints(string name, params long[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(name, Kind.Ints, v.ToArray());
    }

    /// <summary>Creates a list-of-floats attribute (e.g. Constant's <c>value_floats</c>).</summary>
    public static OnnxAttribute Floats(string name, params float[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(name, Kind.Floats, v.ToArray());
    }

    /// <summary>Creates a list-of-strings attribute (e.g. an LSTM's <c>activations</c>).</summary>
    public static OnnxAttribute Strings(string name, params string[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (Array.IndexOf(v, null) >= 0)
        {
            throw new ArgumentException("Strings attributes cannot contain null.", nameof(v));
        }

        return new(name, Kind.Strings, v.ToArray());
    }

    /// <summary>
    /// Creates a float tensor attribute, typically a Constant node's <c>value</c>. <paramref name="dims"/> is the
    /// tensor's shape in row-major order; no dims means a scalar, which needs exactly one value.
    /// </summary>
    public static OnnxAttribute Tensor(string name, float[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(dims);
        OnnxProtoWriter.CheckElementCount(dims, values.Length, nameof(values));
        return new(name, OnnxProtoWriter.ToRawData(values), dims.ToArray());
    }

    /// <summary>Writes the fields of this attribute's <c>AttributeProto</c>.</summary>
    internal void WriteTo(OnnxProtoWriter writer)
    {
        writer.String(NameField, Name);
        switch (_kind)
        {
            case Kind.Float:
                writer.Float(FloatField, (float)_value);
                break;
            case Kind.Int:
                writer.Int64(IntField, (long)_value);
                break;
            case Kind.String:
                writer.String(StringField, (string)_value);
                break;
            case Kind.Tensor:
                var raw = (byte[])_value;
                writer.Message(TensorField, w => w.Tensor(null, OnnxTensorType.Float, _tensorDims, raw, null));
                break;
            case Kind.Floats:
                foreach (float f in (float[])_value)
                {
                    writer.Float(FloatsField, f);
                }

                break;
            case Kind.Ints:
                foreach (long i in (long[])_value)
                {
                    writer.Int64(IntsField, i);
                }

                break;
            case Kind.Strings:
                foreach (string s in (string[])_value)
                {
                    writer.String(StringsField, s);
                }

                break;
            default:
                throw new InvalidOperationException($"Unhandled attribute kind {_kind}.");
        }

        // The type discriminator is mandatory since IR version 2; it is what tells an empty list of ints from an
        // empty list of floats, which otherwise look identical (no fields at all).
        writer.Int64(TypeField, (long)_kind);
    }
}

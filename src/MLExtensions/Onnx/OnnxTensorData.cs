using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using MLExtensions.Onnx.Proto;

namespace MLExtensions.Onnx;

/// <summary>Encodes and decodes the values of ONNX tensors (<c>TensorProto</c>).</summary>
internal static class OnnxTensorData
{
    /// <summary>A float tensor with its values as little-endian <c>raw_data</c>.</summary>
    public static TensorProto Floats(string name, ReadOnlySpan<float> values, long[] dims)
    {
        CheckElementCount(dims, values.Length, nameof(values));
        var bytes = new byte[values.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
            MemoryMarshal.AsBytes(values).CopyTo(bytes);
        else
            for (int i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        return Tensor(name, OnnxTensorType.Float, dims, UnsafeByteOperations.UnsafeWrap(bytes));
    }

    /// <summary>A 64-bit integer tensor with its values as little-endian <c>raw_data</c>.</summary>
    public static TensorProto Longs(string name, ReadOnlySpan<long> values, long[] dims)
    {
        CheckElementCount(dims, values.Length, nameof(values));
        var bytes = new byte[values.Length * sizeof(long)];
        if (BitConverter.IsLittleEndian)
            MemoryMarshal.AsBytes(values).CopyTo(bytes);
        else
            for (int i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        return Tensor(name, OnnxTensorType.Int64, dims, UnsafeByteOperations.UnsafeWrap(bytes));
    }

    /// <summary>A string tensor (UTF-8 <c>string_data</c>).</summary>
    public static TensorProto Strings(string name, IReadOnlyList<string> values, long[] dims)
    {
        CheckElementCount(dims, values.Count, nameof(values));
        var tensor = new TensorProto { Name = name, DataType = (int)OnnxTensorType.String };
        tensor.Dims.AddRange(dims);
        foreach (string v in values)
            tensor.StringData.Add(ByteString.CopyFromUtf8(v));
        return tensor;
    }

    private static TensorProto Tensor(string name, OnnxTensorType type, long[] dims, ByteString raw)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = raw };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>The values of a float tensor, whether stored as <c>raw_data</c> or <c>float_data</c>.</summary>
    public static float[] ReadFloats(TensorProto tensor)
    {
        if (tensor.DataType != (int)OnnxTensorType.Float)
            throw new InvalidDataException($"ONNX tensor '{tensor.Name}' holds element type {tensor.DataType}, not float (1).");
        if (tensor.ExternalData.Count > 0 || tensor.DataLocation != 0)
            throw new InvalidDataException($"ONNX tensor '{tensor.Name}' keeps its values in an external file, which is not supported.");
        long count = ElementCount(tensor.Dims);
        float[] values;
        if (!tensor.RawData.IsEmpty)
        {
            var raw = tensor.RawData.Span;
            if (raw.Length != count * sizeof(float))
                throw new InvalidDataException($"ONNX tensor '{tensor.Name}' has {raw.Length} bytes of data for {count} floats.");
            values = new float[count];
            for (int i = 0; i < values.Length; i++)
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * sizeof(float)));
        }
        else
        {
            if (tensor.FloatData.Count != count)
                throw new InvalidDataException($"ONNX tensor '{tensor.Name}' has {tensor.FloatData.Count} values for shape [{string.Join(", ", tensor.Dims)}].");
            values = tensor.FloatData.ToArray();
        }
        return values;
    }

    /// <summary>The number of elements of a shape (1 for a scalar).</summary>
    public static long ElementCount(IEnumerable<long> dims)
    {
        long count = 1;
        foreach (long d in dims)
            count = checked(count * d);
        return count;
    }

    /// <summary>
    /// Checks that a tensor of shape <paramref name="dims"/> holds exactly <paramref name="valueCount"/> elements
    /// (a scalar, written with no dims, holds one) and that no dimension is negative.
    /// </summary>
    public static void CheckElementCount(IReadOnlyList<long> dims, int valueCount, string paramName)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Any(d => d < 0))
            throw new ArgumentException($"Tensor dimensions must be non-negative, got [{string.Join(", ", dims)}].", paramName);
        long count = ElementCount(dims);
        if (count != valueCount)
            throw new ArgumentException(
                $"Shape [{string.Join(", ", dims)}] holds {count} element(s) but {valueCount} value(s) were given (no dims means a scalar).",
                paramName);
    }
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;

namespace MLExtensions.Onnx;

/// <summary>
/// Writes protobuf fields for the handful of ONNX messages this library emits.
/// </summary>
/// <remarks>
/// <para>
/// A writer runs in one of two modes: <em>measuring</em>, where it only adds up how many bytes the fields would
/// take, or <em>writing</em>, where it emits them to a <see cref="CodedOutputStream"/>. Each message is described
/// once, as a callback that calls the field methods below. A length-delimited sub-message needs its length before
/// its body, so <see cref="Message"/> first replays the callback in measuring mode and then runs it for real. Nothing
/// is buffered, and large tensor payloads are copied straight to the output exactly once.
/// </para>
/// <para>
/// ONNX is defined in proto2 syntax without <c>packed</c> options, so repeated scalars are written unpacked (one tag
/// per element), the canonical proto2 encoding; every protobuf parser accepts it.
/// </para>
/// </remarks>
internal sealed class OnnxProtoWriter
{
    private readonly CodedOutputStream? _output;
    private long _size;

    private OnnxProtoWriter(CodedOutputStream? output) => _output = output;

    /// <summary>Returns the encoded size, in bytes, of the fields that <paramref name="body"/> writes.</summary>
    public static long Measure(Action<OnnxProtoWriter> body)
    {
        var measurer = new OnnxProtoWriter(null);
        body(measurer);
        return measurer._size;
    }

    /// <summary>Writes the fields that <paramref name="body"/> describes to <paramref name="output"/>.</summary>
    public static void Write(CodedOutputStream output, Action<OnnxProtoWriter> body)
    {
        ArgumentNullException.ThrowIfNull(output);
        body(new OnnxProtoWriter(output));
    }

    /// <summary>Writes a varint-encoded <c>int64</c> field (also used for <c>int32</c> and enum fields).</summary>
    public void Int64(int field, long value)
    {
        if (_output is null)
        {
            _size += CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeInt64Size(value);
            return;
        }

        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt64(value);
    }

    /// <summary>Writes a <c>float</c> field (fixed 32 bits).</summary>
    public void Float(int field, float value)
    {
        if (_output is null)
        {
            _size += CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeFloatSize(value);
            return;
        }

        _output.WriteTag(field, WireFormat.WireType.Fixed32);
        _output.WriteFloat(value);
    }

    /// <summary>
    /// Writes a <c>string</c> field as UTF-8. ONNX declares some text fields as <c>bytes</c> holding UTF-8
    /// (<c>AttributeProto.s</c>, <c>TensorProto.string_data</c>, ...); both encode identically on the wire.
    /// An empty string is written too: callers decide which fields to emit.
    /// </summary>
    public void String(int field, string value)
    {
        if (_output is null)
        {
            _size += CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeStringSize(value);
            return;
        }

        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteString(value);
    }

    /// <summary>Writes a <c>bytes</c> field without copying <paramref name="value"/> first.</summary>
    public void Bytes(int field, ReadOnlyMemory<byte> value)
    {
        if (_output is null)
        {
            _size += CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(value.Length) + value.Length;
            return;
        }

        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(UnsafeByteOperations.UnsafeWrap(value));
    }

    /// <summary>Writes a length-delimited sub-message whose fields <paramref name="body"/> describes.</summary>
    public void Message(int field, Action<OnnxProtoWriter> body)
    {
        long length = Measure(body);
        if (length > int.MaxValue)
        {
            throw new InvalidOperationException(
                $"An ONNX message of {length} bytes exceeds protobuf's 2 GB limit; the model is too large to serialize in one piece.");
        }

        if (_output is null)
        {
            _size += CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize((int)length) + length;
            return;
        }

        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteLength((int)length);
        body(this);
    }

    /// <summary>
    /// Writes the fields of a <c>TensorProto</c>: dims, data type, optional name, and the data either as
    /// <paramref name="rawData"/> (fixed-width little-endian values) or, for strings, as <paramref name="stringData"/>.
    /// </summary>
    public void Tensor(string? name, OnnxTensorType type, IReadOnlyList<long> dims, ReadOnlyMemory<byte> rawData, IReadOnlyList<string>? stringData)
    {
        // TensorProto field numbers.
        const int Dims = 1, DataType = 2, StringData = 6, Name = 8, RawData = 9;

        foreach (long d in dims)
        {
            Int64(Dims, d);
        }

        Int64(DataType, (long)type);
        if (stringData is not null)
        {
            foreach (string s in stringData)
            {
                String(StringData, s);
            }
        }
        else
        {
            Bytes(RawData, rawData);
        }

        if (!string.IsNullOrEmpty(name))
        {
            String(Name, name);
        }
    }

    /// <summary>Encodes floats as the little-endian IEEE 754 bytes that <c>TensorProto.raw_data</c> requires.</summary>
    public static byte[] ToRawData(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(bytes);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
            }
        }

        return bytes;
    }

    /// <summary>Encodes 64-bit integers as the little-endian bytes that <c>TensorProto.raw_data</c> requires.</summary>
    public static byte[] ToRawData(ReadOnlySpan<long> values)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(bytes);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
            }
        }

        return bytes;
    }

    /// <summary>
    /// Checks that a tensor of shape <paramref name="dims"/> holds exactly <paramref name="valueCount"/> elements
    /// (a scalar, written with no dims, holds one) and that no dimension is negative.
    /// </summary>
    public static void CheckElementCount(IReadOnlyList<long> dims, int valueCount, string paramName)
    {
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Tensor dimensions must be non-negative, got [{string.Join(", ", dims)}].", paramName);
            }

            count = checked(count * d);
        }

        if (count != valueCount)
        {
            throw new ArgumentException(
                $"Shape [{string.Join(", ", dims)}] holds {count} element(s) but {valueCount} value(s) were given (no dims means a scalar).",
                paramName);
        }
    }
}

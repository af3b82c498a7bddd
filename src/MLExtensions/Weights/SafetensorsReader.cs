using System.Buffers.Binary;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Weights;

/// <summary>
/// Reads a <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header mapping each name to
/// <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> (offsets into the data after the header; the optional
/// <c>__metadata__</c> entry holds strings), then the raw little-endian data. Every field is checked against the file's
/// size before anything is read.
/// </summary>
internal static class SafetensorsReader
{
    private const long MaxHeaderBytes = 100L << 20;

    public static Dictionary<string, Tensor> Read(Stream stream, string source)
    {
        var prefix = new byte[8];
        ReadExactly(stream, prefix, source, "its header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        long available = stream.CanSeek ? stream.Length - 8 : long.MaxValue;
        if (headerLength == 0 || headerLength > MaxHeaderBytes || (long)headerLength > available)
            throw new InvalidDataException($"{source} is not a safetensors file: its header length {headerLength} is " +
                (stream.CanSeek && (long)headerLength > available ? $"more than the {available} bytes that follow." : "out of range."));
        var header = new byte[headerLength];
        ReadExactly(stream, header, source, "its header");

        var entries = new List<(string Name, ScalarType Type, int Size, long[] Shape, long Begin, long End)>();
        try
        {
            using var json = JsonDocument.Parse(header);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{source}: the safetensors header is not a JSON object.");
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                    continue;
                entries.Add(Entry(property, source));
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the safetensors header is not valid JSON: {e.Message}", e);
        }

        long dataLength = stream.CanSeek ? stream.Length - 8 - (long)headerLength : long.MaxValue;
        foreach (var e in entries)
        {
            long elements = e.Shape.Aggregate(1L, (a, b) => checked(a * b));
            long bytes = checked(elements * e.Size);
            if (e.Begin < 0 || e.End < e.Begin || e.End > dataLength)
                throw new InvalidDataException($"{source}: tensor '{e.Name}' has data_offsets [{e.Begin}, {e.End}] outside the " +
                    $"{dataLength} bytes of data (the file is truncated or corrupt).");
            if (e.End - e.Begin != bytes)
                throw new InvalidDataException($"{source}: tensor '{e.Name}' of shape {TorchOnnxValue.FormatShape(e.Shape)} and type " +
                    $"{e.Type} needs {bytes} bytes, but its data_offsets span {e.End - e.Begin}.");
            if (bytes > int.MaxValue)
                throw new InvalidDataException($"{source}: tensor '{e.Name}' is larger than 2 GB, which is not read.");
        }

        long dataStart = 8 + (long)headerLength;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            long position = 0;
            foreach (var e in entries.OrderBy(e => e.Begin))
            {
                var raw = new byte[e.End - e.Begin];
                if (stream.CanSeek)
                    stream.Position = dataStart + e.Begin;
                else if (e.Begin != position)
                    throw new InvalidDataException($"{source}: tensors whose data is not in order need a seekable stream.");
                ReadExactly(stream, raw, source, $"the data of tensor '{e.Name}'");
                position = e.End;
                var tensor = torch.empty(e.Shape, e.Type);
                tensor.bytes = raw;
                result.Add(e.Name, tensor);
            }
        }
        catch
        {
            foreach (var t in result.Values)
                t.Dispose();
            throw;
        }

        return result;
    }

    private static (string, ScalarType, int, long[], long, long) Entry(JsonProperty property, string source)
    {
        string name = property.Name;
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array
            || offsets.GetArrayLength() != 2)
            throw new InvalidDataException($"{source}: header entry '{name}' is not {{\"dtype\", \"shape\", \"data_offsets\": [begin, end]}}.");
        var (type, size) = dtype.GetString() switch
        {
            "F64" => (ScalarType.Float64, 8),
            "F32" => (ScalarType.Float32, 4),
            "F16" => (ScalarType.Float16, 2),
            "BF16" => (ScalarType.BFloat16, 2),
            "I64" => (ScalarType.Int64, 8),
            "I32" => (ScalarType.Int32, 4),
            "I16" => (ScalarType.Int16, 2),
            "I8" => (ScalarType.Int8, 1),
            "U8" => (ScalarType.Byte, 1),
            "BOOL" => (ScalarType.Bool, 1),
            var other => throw new InvalidDataException($"{source}: tensor '{name}' has dtype '{other}', which is not read."),
        };
        long[] dims = shape.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out long v) && v >= 0 ? v
            : throw new InvalidDataException($"{source}: tensor '{name}' has a shape entry that is not a non-negative integer.")).ToArray();
        long[] range = offsets.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out long v) ? v
            : throw new InvalidDataException($"{source}: tensor '{name}' has data_offsets that are not integers.")).ToArray();
        return (name, type, size, dims, range[0], range[1]);
    }

    private static void ReadExactly(Stream stream, byte[] buffer, string source, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{source} is truncated: it ends inside {what}.", e);
        }
    }
}

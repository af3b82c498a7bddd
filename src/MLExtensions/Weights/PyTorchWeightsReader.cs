using System.IO.Compression;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Weights;

/// <summary>
/// Reads a file written by PyTorch's <c>torch.save</c> (the zip format, default since PyTorch 1.6): the pickle
/// <c>&lt;archive&gt;/data.pkl</c> through <see cref="RestrictedUnpickler"/>, and each storage from
/// <c>&lt;archive&gt;/data/&lt;key&gt;</c>, raw little-endian values.
/// </summary>
internal static class PyTorchWeightsReader
{
    /// <summary>Upper bound for the pickle itself (the tensors' data is stored beside it).</summary>
    private const long MaxPickleBytes = 256L << 20;

    private sealed record StorageRef(string Key, ScalarType Type, int ElementSize, long Elements);

    /// <summary>Reads the pickled object, with every tensor materialized (on the CPU).</summary>
    public static object? Read(Stream stream, string source)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{source} is not a readable PyTorch zip file (truncated or corrupt): {e.Message}", e);
        }

        using (archive)
        {
            var pickles = archive.Entries.Where(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal)
                && e.FullName.Count(ch => ch == '/') == 1).ToList();
            if (pickles.Count != 1)
                throw new InvalidDataException($"{source} is a zip file but not one written by torch.save: it has " +
                    $"{(pickles.Count == 0 ? "no" : pickles.Count.ToString())} '<archive>/data.pkl' entr{(pickles.Count == 1 ? "y" : "ies")}.");
            string prefix = pickles[0].FullName[..^"data.pkl".Length];

            var byteOrder = archive.GetEntry(prefix + "byteorder");
            if (byteOrder is not null)
            {
                string order = Encoding.ASCII.GetString(ReadEntry(byteOrder, 16, source)).Trim();
                if (order != "little")
                    throw new InvalidDataException($"{source} stores its tensors in '{order}' byte order; only 'little' is read.");
            }

            byte[] pickle = ReadEntry(pickles[0], MaxPickleBytes, source);
            var storages = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            try
            {
                object? root = RestrictedUnpickler.Load(pickle, $"{source} ({pickles[0].FullName})", pid => StorageReference(pid, source));
                return Materialize(root, archive, prefix, storages, source);
            }
            finally
            {
                foreach (var storage in storages.Values)
                    storage.Dispose();
            }
        }
    }

    /// <summary>A persistent id <c>('storage', torch.FloatStorage, key, location, numel)</c>.</summary>
    private static object StorageReference(object?[] pid, string source)
    {
        if (pid.Length < 5 || pid[0] is not "storage" || pid[1] is not RestrictedUnpickler.Global type || pid[2] is not string key
            || pid[4] is not long elements || elements < 0)
            throw new InvalidDataException($"{source} has a persistent id that is not ('storage', type, key, location, size).");
        var (scalar, size) = type.Name switch
        {
            "DoubleStorage" => (ScalarType.Float64, 8),
            "FloatStorage" => (ScalarType.Float32, 4),
            "HalfStorage" => (ScalarType.Float16, 2),
            "BFloat16Storage" => (ScalarType.BFloat16, 2),
            "LongStorage" => (ScalarType.Int64, 8),
            "IntStorage" => (ScalarType.Int32, 4),
            "ShortStorage" => (ScalarType.Int16, 2),
            "CharStorage" => (ScalarType.Int8, 1),
            "ByteStorage" => (ScalarType.Byte, 1),
            "BoolStorage" => (ScalarType.Bool, 1),
            _ => throw new InvalidDataException($"{source} has a storage of unknown type {type.FullName}."),
        };
        return new StorageRef(key, scalar, size, elements);
    }

    /// <summary>Replaces every tensor view in the object tree by a tensor, reading each storage once.</summary>
    private static object? Materialize(object? value, ZipArchive archive, string prefix, Dictionary<string, Tensor> storages, string source)
    {
        switch (value)
        {
            case RestrictedUnpickler.TensorView view:
                return ToTensor(view, archive, prefix, storages, source);
            case RestrictedUnpickler.PickleDict dict:
                var result = new List<KeyValuePair<object, object?>>(dict.Items.Count);
                foreach (var (key, item) in dict.Items)
                    result.Add(new(key, Materialize(item, archive, prefix, storages, source)));
                return result;
            case List<object?> list:
                return list.Select(item => Materialize(item, archive, prefix, storages, source)).ToList();
            case object?[] tuple:
                return tuple.Select(item => Materialize(item, archive, prefix, storages, source)).ToArray();
            default:
                return value;
        }
    }

    private static Tensor ToTensor(RestrictedUnpickler.TensorView view, ZipArchive archive, string prefix, Dictionary<string, Tensor> storages, string source)
    {
        if (view.Storage is not StorageRef storage)
            throw new InvalidDataException($"{source} has a tensor whose storage is not a persistent storage reference.");
        if (view.Size.Length != view.Stride.Length || view.Size.Any(s => s < 0) || view.Stride.Any(s => s < 0) || view.Offset < 0)
            throw new InvalidDataException($"{source} has a tensor with size {TorchOnnxValue.FormatShape(view.Size)}, " +
                $"stride {TorchOnnxValue.FormatShape(view.Stride)} and offset {view.Offset}, which do not describe a tensor.");
        long elements = view.Size.Aggregate(1L, (a, b) => checked(a * b));
        long last = elements == 0 ? -1 : view.Offset + view.Size.Zip(view.Stride).Sum(p => checked((p.First - 1) * p.Second));
        if (last >= storage.Elements)
            throw new InvalidDataException($"{source}: a tensor of size {TorchOnnxValue.FormatShape(view.Size)} reaches element {last} " +
                $"of storage '{storage.Key}', which has {storage.Elements}.");

        if (!storages.TryGetValue(storage.Key, out var data))
        {
            var entry = archive.GetEntry($"{prefix}data/{storage.Key}")
                ?? throw new InvalidDataException($"{source} has no data for storage '{storage.Key}' (entry {prefix}data/{storage.Key} is missing).");
            long bytes = checked(storage.Elements * storage.ElementSize);
            if (entry.Length != bytes)
                throw new InvalidDataException($"{source}: storage '{storage.Key}' has {entry.Length} bytes, but {storage.Elements} " +
                    $"{storage.Type} values take {bytes}.");
            if (bytes > int.MaxValue)
                throw new InvalidDataException($"{source}: storage '{storage.Key}' is larger than 2 GB, which is not read.");
            byte[] raw = ReadEntry(entry, bytes, source);
            data = torch.empty([storage.Elements], storage.Type);
            data.bytes = raw;
            storages[storage.Key] = data;
        }

        using var strided = data.as_strided(view.Size, view.Stride, view.Offset);
        return torch.empty(view.Size, storage.Type).copy_(strided);
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, long limit, string source)
    {
        if (entry.Length > limit)
            throw new InvalidDataException($"{source}: entry {entry.FullName} has {entry.Length} bytes, more than the {limit} expected.");
        var buffer = new byte[entry.Length];
        try
        {
            using var stream = entry.Open();
            stream.ReadExactly(buffer);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"{source}: entry {entry.FullName} cannot be read (truncated or corrupt): {e.Message}", e);
        }

        return buffer;
    }
}

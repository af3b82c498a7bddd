using MLExtensions.Weights;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>
/// Loads a <c>state_dict</c> saved by PyTorch (<c>torch.save(model.state_dict(), "w.pt")</c>, or a
/// <c>.safetensors</c> file) into any TorchSharp module whose parameter and buffer names match, and saves a
/// module's state_dict in those formats.
/// </summary>
/// <remarks>
/// Loading never runs code from the file: the pickle inside a <c>.pt</c> file is read as data, and any reference to
/// something other than tensors and plain values (a class, a function such as <c>os.system</c>) is refused before it
/// is used. Truncated or malformed files fail with an <see cref="InvalidDataException"/> naming the file.
/// </remarks>
public static class TorchWeights
{
    /// <summary>Loads the weights in <paramref name="path"/> (PyTorch zip or safetensors, told apart by content) into <paramref name="module"/>.</summary>
    /// <param name="module">The module; its <c>state_dict()</c> keys are matched with the file's.</param>
    /// <param name="path">The weights file.</param>
    /// <param name="strict">When true (the default), missing and unexpected keys are errors; wrong shapes always are.</param>
    /// <param name="entry">For a PyTorch checkpoint dict such as <c>{"model": state_dict, "optimizer": ...}</c>, the key of the state_dict.</param>
    /// <exception cref="StateDictMismatchException">Keys or shapes do not match; nothing was copied.</exception>
    /// <exception cref="InvalidDataException">The file is malformed, truncated, or holds more than tensor data.</exception>
    public static TorchWeightsLoadResult Load(nn.Module module, string path, bool strict = true, string? entry = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var stateDict = Read(path, entry);
        try
        {
            return LoadStateDict(module, stateDict, strict, $"'{path}'");
        }
        finally
        {
            Dispose(stateDict);
        }
    }

    /// <summary>Loads weights from a stream (PyTorch zip or safetensors) into <paramref name="module"/>; the stream is left open.</summary>
    public static TorchWeightsLoadResult Load(nn.Module module, Stream stream, bool strict = true, string? entry = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var stateDict = Read(stream, entry);
        try
        {
            return LoadStateDict(module, stateDict, strict, "the weights stream");
        }
        finally
        {
            Dispose(stateDict);
        }
    }

    /// <summary>Reads the tensors of a weights file (on the CPU) without a module. The caller disposes them.</summary>
    public static Dictionary<string, Tensor> Read(string path, string? entry = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The weights file '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        return Read(stream, entry, $"'{path}'");
    }

    /// <summary>Reads the tensors of a weights stream (on the CPU); the stream is left open. The caller disposes them.</summary>
    public static Dictionary<string, Tensor> Read(Stream stream, string? entry = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, entry, "the weights stream");
    }

    /// <summary>
    /// Copies <paramref name="stateDict"/> into <paramref name="module"/>'s parameters and buffers (converting type and
    /// device), after checking every key and shape; on a mismatch nothing is copied.
    /// </summary>
    public static TorchWeightsLoadResult LoadStateDict(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(stateDict);
        return LoadStateDict(module, stateDict, strict, "the state_dict");
    }

    /// <summary>Saves <paramref name="module"/>'s state_dict: as safetensors for a <c>.safetensors</c> path, else in PyTorch's zip format (loadable with <c>torch.load</c>).</summary>
    public static void Save(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase)
            ? TorchWeightsFormat.Safetensors : TorchWeightsFormat.PyTorch;
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        Save(module, stream, format);
    }

    /// <summary>Writes <paramref name="module"/>'s state_dict to <paramref name="stream"/> in <paramref name="format"/>; the stream is left open.</summary>
    public static void Save(nn.Module module, Stream stream, TorchWeightsFormat format)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(stream);
        using var scope = torch.NewDisposeScope();
        var stateDict = module.state_dict();
        if (format == TorchWeightsFormat.Safetensors)
            Safetensors.SaveStateDict(stream, stateDict, leaveOpen: true);
        else if (format == TorchWeightsFormat.PyTorch)
            PyTorchPickler.PickleStateDict(stream, stateDict, leaveOpen: true);
        else
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown weights format.");
    }

    private static Dictionary<string, Tensor> Read(Stream stream, string? entry, string source)
    {
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        long start = stream.Position;
        var magic = new byte[4];
        int read = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        stream.Position = start;
        if (read == 4 && magic[0] == (byte)'P' && magic[1] == (byte)'K' && magic[2] == 3 && magic[3] == 4)
            return StateDict(PyTorchWeightsReader.Read(stream, source), entry, source);
        if (read >= 2 && magic[0] == 0x80 && magic[1] <= 5)
            throw new InvalidDataException($"{source} is a bare pickle (PyTorch's legacy format, before 1.6), which is not read; " +
                "re-save it with torch.save from a current PyTorch.");
        if (read < 4)
            throw new InvalidDataException($"{source} is truncated: it has {read} bytes.");
        if (entry is not null)
            throw new ArgumentException("A safetensors file holds one flat state_dict; entry applies only to PyTorch checkpoints.", nameof(entry));
        return SafetensorsReader.Read(stream, source);
    }

    /// <summary>The state_dict in the pickled object: its top-level dict, or the dict under <paramref name="entry"/>.</summary>
    private static Dictionary<string, Tensor> StateDict(object? root, string? entry, string source)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        bool done = false;
        try
        {
            if (root is not List<KeyValuePair<object, object?>> items)
                throw new InvalidDataException($"{source} holds a {Describe(root)}, not a state_dict (a dict of tensors).");
            if (entry is not null)
            {
                var found = items.FirstOrDefault(i => Equals(i.Key, entry));
                if (found.Key is null)
                    throw new InvalidDataException($"{source} has no entry '{entry}'; its entries are {Keys(items)}.");
                if (found.Value is not List<KeyValuePair<object, object?>> nested)
                    throw new InvalidDataException($"{source}: entry '{entry}' is a {Describe(found.Value)}, not a state_dict.");
                items = nested;
            }

            foreach (var (key, value) in items)
            {
                if (key is string name && value is Tensor tensor)
                    result[name] = tensor;
            }

            if (result.Count == 0 && items.Any(i => i.Value is List<KeyValuePair<object, object?>>))
                throw new InvalidDataException($"{source} holds a checkpoint whose entries are {Keys(items)}, not a state_dict; " +
                    "pass entry: the key of the state_dict (for example \"model_state_dict\").");
            done = true;
            return result;
        }
        finally
        {
            // Tensors outside the state_dict (other checkpoint entries), and all of them on failure, are released.
            var keep = new HashSet<object>(done ? result.Values : [], ReferenceEqualityComparer.Instance);
            DisposeTree(root, keep);
        }
    }

    private static TorchWeightsLoadResult LoadStateDict(nn.Module module, IReadOnlyDictionary<string, Tensor> source, bool strict, string sourceName)
    {
        using var scope = torch.NewDisposeScope();
        var target = module.state_dict();
        var missing = target.Keys.Where(k => !source.ContainsKey(k)).ToList();
        var unexpected = source.Keys.Where(k => !target.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var shapes = target.Where(t => source.TryGetValue(t.Key, out var s) && !s.shape.SequenceEqual(t.Value.shape))
            .Select(t => $"{t.Key}: file {TorchOnnxValue.FormatShape(source[t.Key].shape)}, module {TorchOnnxValue.FormatShape(t.Value.shape)}")
            .ToList();
        if (shapes.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
            throw new StateDictMismatchException(sourceName, missing, unexpected, shapes);

        var loaded = new List<string>();
        using (torch.no_grad())
        {
            foreach (var (key, tensor) in target)
            {
                if (source.TryGetValue(key, out var value))
                {
                    tensor.copy_(value);
                    loaded.Add(key);
                }
            }
        }

        return new TorchWeightsLoadResult(loaded, missing, unexpected);
    }

    private static string Keys(List<KeyValuePair<object, object?>> items) =>
        string.Join(", ", items.Take(10).Select(i => $"'{i.Key}'")) + (items.Count > 10 ? ", ..." : "");

    private static string Describe(object? value) => value switch
    {
        null => "None",
        Tensor => "tensor",
        List<KeyValuePair<object, object?>> => "dict",
        List<object?> => "list",
        object?[] => "tuple",
        _ => value.GetType().Name,
    };

    private static void Dispose(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values)
            t.Dispose();
    }

    private static void DisposeTree(object? value, HashSet<object> keep)
    {
        switch (value)
        {
            case Tensor t when !keep.Contains(t):
                t.Dispose();
                break;
            case List<KeyValuePair<object, object?>> dict:
                foreach (var item in dict)
                    DisposeTree(item.Value, keep);
                break;
            case List<object?> list:
                foreach (var item in list)
                    DisposeTree(item, keep);
                break;
            case object?[] tuple:
                foreach (var item in tuple)
                    DisposeTree(item, keep);
                break;
        }
    }
}

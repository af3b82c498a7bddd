using Google.Protobuf;
using MLExtensions.Onnx.Proto;

namespace MLExtensions.Onnx;

/// <summary>
/// A parsed ONNX model, with what it takes to cut parts out of it: the nodes needed to compute some values (stopping
/// at values that will be supplied otherwise), and the initializers and inputs those nodes read.
/// </summary>
internal sealed class OnnxModelView
{
    private readonly Dictionary<string, int> _producer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);

    private OnnxModelView(ModelProto model)
    {
        Model = model;
        var graph = model.Graph ?? throw new InvalidDataException("The ONNX model has no graph.");
        for (int i = 0; i < graph.Node.Count; i++)
            foreach (string output in graph.Node[i].Output)
                if (output.Length > 0)
                    _producer[output] = i;
        foreach (var initializer in graph.Initializer)
            _initializers[initializer.Name] = initializer;
        Metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    public ModelProto Model { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Parses ONNX model bytes; a malformed model gives <see cref="InvalidDataException"/>.</summary>
    public static OnnxModelView Parse(byte[] bytes)
    {
        try
        {
            return new OnnxModelView(ModelProto.Parser.ParseFrom(bytes));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException("The bytes are not a valid ONNX model: " + e.Message, e);
        }
    }

    /// <summary>
    /// The nodes needed to compute <paramref name="values"/>, in the model's (topological) order, not looking past the
    /// values in <paramref name="given"/>.
    /// </summary>
    public IReadOnlyList<NodeProto> NodesFor(IEnumerable<string> values, IReadOnlySet<string> given)
    {
        var needed = new HashSet<int>();
        var pending = new Stack<string>(values);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            string value = pending.Pop();
            if (value.Length == 0 || given.Contains(value) || !seen.Add(value))
                continue;
            if (!_producer.TryGetValue(value, out int index))
                continue; // a graph input or an initializer
            if (needed.Add(index))
                foreach (string input in Model.Graph.Node[index].Input)
                    pending.Push(input);
        }
        return needed.Order().Select(i => Model.Graph.Node[i]).ToList();
    }

    /// <summary>The initializers that <paramref name="nodes"/> read.</summary>
    public IReadOnlyList<TensorProto> InitializersOf(IEnumerable<NodeProto> nodes) =>
        nodes.SelectMany(n => n.Input).Distinct(StringComparer.Ordinal)
            .Where(_initializers.ContainsKey).Select(name => _initializers[name]).ToList();

    /// <summary>The graph inputs that <paramref name="nodes"/> read.</summary>
    public IReadOnlyList<ValueInfoProto> InputsOf(IEnumerable<NodeProto> nodes)
    {
        var read = nodes.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        return Model.Graph.Input.Where(i => read.Contains(i.Name)).ToList();
    }

    /// <summary>Every name that <paramref name="nodes"/> define or read, node names included.</summary>
    public static IEnumerable<string> NamesOf(IEnumerable<NodeProto> nodes) =>
        nodes.SelectMany(n => n.Input.Concat(n.Output).Append(n.Name));
}

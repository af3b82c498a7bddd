using Google.Protobuf;
using MLExtensions.Onnx;
using MLExtensions.Onnx.Proto;

namespace MLExtensions.Weights;

/// <summary>
/// A parsed ONNX graph to walk from its input: the nodes reading each value, constant tensors (initializers and
/// <c>Constant</c> nodes) by name, and node attributes. Every error names the file and the node.
/// </summary>
internal sealed class OnnxGraphReader
{
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);

    private OnnxGraphReader(GraphProto graph, string source)
    {
        Graph = graph;
        Source = source;
        foreach (var initializer in graph.Initializer)
            _constants[initializer.Name] = initializer;
        foreach (var node in graph.Node)
        {
            if (node.OpType == "Constant" && node.Attribute.FirstOrDefault(a => a.Name == "value")?.T is { } value)
            {
                foreach (string output in node.Output)
                    _constants[output] = value;
                continue;
            }
            foreach (string input in node.Input)
            {
                if (input.Length == 0 || _constants.ContainsKey(input))
                    continue;
                if (!_consumers.TryGetValue(input, out var list))
                    _consumers[input] = list = [];
                list.Add(node);
            }
        }
        Input = graph.Input.Select(i => i.Name).FirstOrDefault(n => !_constants.ContainsKey(n))
            ?? throw new InvalidDataException($"{source} has no graph input besides its initializers.");
    }

    public GraphProto Graph { get; }

    /// <summary>The file, quoted, for messages.</summary>
    public string Source { get; }

    /// <summary>The first graph input that is not an initializer.</summary>
    public string Input { get; }

    /// <summary>Parses the ONNX model in <paramref name="path"/>.</summary>
    public static OnnxGraphReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string source = $"'{path}'";
        if (!File.Exists(path))
            throw new FileNotFoundException($"The ONNX model {source} does not exist.", path);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{source} is not a valid ONNX model: {e.Message}", e);
        }
        return new OnnxGraphReader(model.Graph ?? throw new InvalidDataException($"{source} is an ONNX model without a graph."), source);
    }

    /// <summary>The nodes that read <paramref name="value"/>.</summary>
    public IReadOnlyList<NodeProto> Consumers(string value) =>
        _consumers.TryGetValue(value, out var list) ? list : [];

    /// <summary>The one node reading <paramref name="value"/>, which must be a <paramref name="opType"/>.</summary>
    public NodeProto Next(string value, params string[] opType)
    {
        var consumers = Consumers(value);
        if (consumers.Count != 1 || !opType.Contains(consumers[0].OpType))
            throw Error($"value '{value}' should be read by one {string.Join(" or ", opType)} node, but it is read by " +
                (consumers.Count == 0 ? "no node" : string.Join(", ", consumers.Select(Describe))) + ".");
        return consumers[0];
    }

    /// <summary>Whether <paramref name="name"/> is a constant (initializer or Constant node).</summary>
    public bool IsConstant(string name) => _constants.ContainsKey(name);

    /// <summary>The constant tensor <paramref name="name"/>, read by <paramref name="node"/>.</summary>
    public TensorProto Constant(NodeProto node, string name) =>
        _constants.TryGetValue(name, out var tensor)
            ? tensor
            : throw Error($"{Describe(node)} reads '{name}', which is not a constant (an initializer or a Constant node).");

    /// <summary>The float values of constant <paramref name="name"/> with its dims.</summary>
    public (float[] Values, long[] Dims) Floats(NodeProto node, string name)
    {
        var tensor = Constant(node, name);
        try
        {
            return (OnnxTensorData.ReadFloats(tensor), tensor.Dims.ToArray());
        }
        catch (InvalidDataException e)
        {
            throw Error($"{Describe(node)}: {e.Message}");
        }
    }

    /// <summary>An integer-list attribute, or <paramref name="fallback"/> when absent.</summary>
    public static long[]? Ints(NodeProto node, string name, long[]? fallback = null) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.Ints.ToArray() : fallback;

    /// <summary>An integer attribute, or <paramref name="fallback"/> when absent.</summary>
    public static long Int(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    /// <summary>A float attribute, or <paramref name="fallback"/> when absent.</summary>
    public static float Float(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    /// <summary>A string attribute, or <paramref name="fallback"/> when absent.</summary>
    public static string String(NodeProto node, string name, string fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.S.ToStringUtf8() : fallback;

    /// <summary>"Conv node 'Convolution249'" (or its first output when it has no name).</summary>
    public static string Describe(NodeProto node) =>
        $"{node.OpType} node '{(node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault())}'";

    /// <summary>An error about the model, naming the file.</summary>
    public InvalidDataException Error(string message) => new($"{Source}: {message}");
}

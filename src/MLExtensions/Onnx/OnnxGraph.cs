using System.Reflection;
using Google.Protobuf;
using MLExtensions.Onnx.Proto;

namespace MLExtensions.Onnx;

/// <summary>
/// Builds an ONNX graph (inputs, outputs, initializers and nodes, all in the default <c>ai.onnx</c> domain) and
/// serializes it as a complete ONNX model that ONNX Runtime, and hence ML.NET's OnnxTransformer, can load.
/// </summary>
/// <remarks>
/// Values are referred to by name, as in ONNX itself. Every value must be defined exactly once (as a graph input,
/// an initializer or a node output), and nodes must be added in topological order: a node may only consume values
/// defined by graph inputs, initializers or earlier nodes. Both rules are checked when the model is serialized.
/// Use <see cref="UniqueName"/> to obtain fresh value names.
/// </remarks>
public sealed class OnnxGraph
{
    /// <summary>The ONNX IR version written to models (IR 8 covers operator sets up to 18).</summary>
    private const long IrVersion = 8;

    private const string ProducerName = "MLExtensions";

    private static readonly string ProducerVersion = GetProducerVersion();

    private readonly List<ValueInfoProto> _inputs = [];
    private readonly List<ValueInfoProto> _outputs = [];
    private readonly List<TensorProto> _initializers = [];
    private readonly List<NodeProto> _nodes = [];

    // Every name that appears anywhere in the graph (values, node names, names handed out by UniqueName).
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);

    // Names of the values defined so far: graph inputs, initializers and node outputs.
    private readonly HashSet<string> _definedValues = new(StringComparer.Ordinal);

    // Next suffix to try per UniqueName prefix, so that repeated requests stay linear.
    private readonly Dictionary<string, int> _nextSuffix = new(StringComparer.Ordinal);

    /// <summary>Creates an empty graph.</summary>
    /// <param name="name">The graph's name, stored in <c>GraphProto.name</c>.</param>
    public OnnxGraph(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The graph's name.</summary>
    public string Name { get; }

    /// <summary>Declares a graph input.</summary>
    /// <param name="name">The input's name, which nodes use to consume it.</param>
    /// <param name="type">The element type.</param>
    /// <param name="dims">
    /// The shape. A negative dimension is symbolic (unknown until run time, e.g. the batch size); within one input
    /// the first symbolic dimension is named <c>N</c>, the next ones <c>N1</c>, <c>N2</c>, and so on. No dims means a scalar.
    /// </param>
    public void AddInput(string name, OnnxTensorType type, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        Define(name, nameof(name));
        _inputs.Add(ValueInfo(name, type, dims));
    }

    /// <summary>Declares a graph output: a value that a graph input, an initializer or a node defines.</summary>
    /// <param name="name">The name of the value to expose.</param>
    /// <param name="type">The element type.</param>
    /// <param name="dims">The shape, with negative dimensions symbolic as in <see cref="AddInput(string, OnnxTensorType, long[])"/>.</param>
    public void AddOutput(string name, OnnxTensorType type, params long[] dims)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(dims);
        if (_outputs.Exists(o => o.Name == name))
        {
            throw new ArgumentException($"'{name}' is already a graph output.", nameof(name));
        }

        _usedNames.Add(name);
        _outputs.Add(ValueInfo(name, type, dims));
    }

    /// <summary>Adds a constant float tensor (e.g. weights), stored as little-endian raw data.</summary>
    /// <param name="name">The initializer's name; it must not name another value.</param>
    /// <param name="values">The elements in row-major order; they are copied.</param>
    /// <param name="dims">The shape; no dims means a scalar.</param>
    /// <returns><paramref name="name"/>, so the call can appear where a node input is expected.</returns>
    public string AddInitializer(string name, float[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        return AddInitializer(name, () => OnnxTensorData.Floats(name, values, dims.ToArray()));
    }

    /// <summary>Adds a constant 64-bit integer tensor (e.g. a Reshape shape or Gather indices), stored as raw data.</summary>
    /// <param name="name">The initializer's name; it must not name another value.</param>
    /// <param name="values">The elements in row-major order; they are copied.</param>
    /// <param name="dims">The shape; no dims means a scalar.</param>
    /// <returns><paramref name="name"/>.</returns>
    public string AddInitializer(string name, long[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        return AddInitializer(name, () => OnnxTensorData.Longs(name, values, dims.ToArray()));
    }

    /// <summary>Adds a constant string tensor (e.g. class labels), stored as UTF-8 <c>string_data</c>.</summary>
    /// <param name="name">The initializer's name; it must not name another value.</param>
    /// <param name="values">The elements in row-major order; they are copied.</param>
    /// <param name="dims">The shape; no dims means a scalar.</param>
    /// <returns><paramref name="name"/>.</returns>
    public string AddInitializer(string name, string[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (Array.IndexOf(values, null) >= 0)
        {
            throw new ArgumentException("String tensors cannot contain null.", nameof(values));
        }

        return AddInitializer(name, () => OnnxTensorData.Strings(name, values, dims.ToArray()));
    }

    /// <summary>Adds a node with a single output.</summary>
    /// <param name="opType">The operator, e.g. <c>Gemm</c>.</param>
    /// <param name="inputs">The input value names in the operator's order; an empty string marks an omitted optional input.</param>
    /// <param name="output">The name of the value the node defines.</param>
    /// <param name="attributes">The node's attributes.</param>
    /// <returns><paramref name="output"/>.</returns>
    public string AddNode(string opType, string[] inputs, string output, params OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(output);
        return AddNode(opType, inputs, [output], attributes)[0];
    }

    /// <summary>Adds a node with any number of outputs. The node gets a unique name derived from <paramref name="opType"/>.</summary>
    /// <param name="opType">The operator, e.g. <c>LSTM</c>.</param>
    /// <param name="inputs">The input value names in the operator's order; an empty string marks an omitted optional input.</param>
    /// <param name="outputs">The names of the values the node defines; an empty string marks an unused optional output.</param>
    /// <param name="attributes">The node's attributes.</param>
    /// <returns><paramref name="outputs"/>.</returns>
    public string[] AddNode(string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes) =>
        AddNodeCore(opType, inputs, outputs, attributes, domain: "", nodeName: null);

    /// <summary>
    /// Adds a node of the <c>ai.onnx.ml</c> domain with a chosen node name (for example ML.NET's
    /// <c>mlnet.&lt;column&gt;.SlotNames</c> convention, which OnnxTransformer reads as a column's slot names).
    /// The model then imports <c>ai.onnx.ml</c> at <see cref="MlOpsetVersion"/>.
    /// </summary>
    public string AddMlNode(string nodeName, string opType, string[] inputs, string output, params OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        ArgumentException.ThrowIfNullOrEmpty(output);
        if (!_usedNames.Add(nodeName))
        {
            throw new ArgumentException($"The name '{nodeName}' is already used in the graph.", nameof(nodeName));
        }

        return AddNodeCore(opType, inputs, [output], attributes, MlDomain, nodeName)[0];
    }

    /// <summary>The <c>ai.onnx.ml</c> operator set version imported when the graph has nodes of that domain.</summary>
    public const int MlOpsetVersion = 3;

    private const string MlDomain = "ai.onnx.ml";

    private string[] AddNodeCore(string opType, string[] inputs, string[] outputs, OnnxAttribute[] attributes, string domain, string? nodeName)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(attributes);
        if (Array.IndexOf(inputs, null) >= 0)
        {
            throw new ArgumentException("Node inputs cannot be null; use an empty string for an omitted optional input.", nameof(inputs));
        }

        if (Array.IndexOf(attributes, null) >= 0)
        {
            throw new ArgumentException("Node attributes cannot be null.", nameof(attributes));
        }

        var attributeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            if (!attributeNames.Add(attribute.Name))
            {
                throw new ArgumentException($"Attribute '{attribute.Name}' is given twice.", nameof(attributes));
            }
        }

        // Validate all outputs before defining any, so a rejected call leaves the graph unchanged.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string output in outputs)
        {
            if (output is null)
            {
                throw new ArgumentException("Node outputs cannot be null; use an empty string for an unused optional output.", nameof(outputs));
            }

            if (output.Length > 0 && (_definedValues.Contains(output) || !seen.Add(output)))
            {
                throw new ArgumentException($"The value '{output}' is already defined; every value must be defined once.", nameof(outputs));
            }
        }

        foreach (string output in outputs)
        {
            if (output.Length > 0)
            {
                Define(output, nameof(outputs));
            }
        }

        foreach (string input in inputs)
        {
            if (input.Length > 0)
            {
                _usedNames.Add(input);
            }
        }

        var node = new NodeProto { Name = nodeName ?? UniqueName(opType), OpType = opType, Domain = domain };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes.Select(a => a.ToProto()));
        _nodes.Add(node);
        return outputs;
    }

    /// <summary>Adds a node whose single output gets a fresh name derived from <paramref name="opType"/>, and returns that name.</summary>
    public string Node(string opType, string[] inputs, params OnnxAttribute[] attributes) =>
        AddNode(opType, inputs, UniqueName(opType.ToLowerInvariant()), attributes);

    /// <summary>Adds a 1-D int64 constant under a fresh name derived from <paramref name="prefix"/>, and returns that name.</summary>
    public string Longs(string prefix, params long[] values) => AddInitializer(UniqueName(prefix), values, values.Length);

    /// <summary>Adds a float constant (a scalar for one value, else 1-D) under a fresh name derived from <paramref name="prefix"/>.</summary>
    public string Floats(string prefix, params float[] values) =>
        values.Length == 1 ? AddInitializer(UniqueName(prefix), values) : AddInitializer(UniqueName(prefix), values, values.Length);

    /// <summary>
    /// Returns a name that no value, node or earlier <see cref="UniqueName"/> result in this graph uses, and reserves it:
    /// <paramref name="prefix"/> itself if free, otherwise <c>prefix_1</c>, <c>prefix_2</c>, ... (the first free one).
    /// </summary>
    public string UniqueName(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (_usedNames.Add(prefix))
        {
            return prefix;
        }

        int suffix = _nextSuffix.GetValueOrDefault(prefix, 1);
        string candidate;
        do
        {
            candidate = $"{prefix}_{suffix++}";
        }
        while (!_usedNames.Add(candidate));

        _nextSuffix[prefix] = suffix;
        return candidate;
    }

    /// <summary>Serializes the graph as a complete ONNX model.</summary>
    /// <param name="opsetVersion">The version of the default (<c>ai.onnx</c>) operator set the nodes follow.</param>
    /// <param name="metadata">Optional key/value pairs stored in <c>ModelProto.metadata_props</c>.</param>
    /// <returns>The model's bytes, ready for a file or <c>InferenceSession</c>.</returns>
    /// <exception cref="InvalidOperationException">The graph is not well formed (see the class remarks).</exception>
    public byte[] ToModelBytes(int opsetVersion = 17, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var model = ToModel(opsetVersion, metadata);
        long size = model.CalculateSize();
        if (size > int.MaxValue)
            throw new InvalidOperationException($"The model takes {size} bytes, more than protobuf's 2 GB limit.");
        return model.ToByteArray();
    }

    /// <summary>Serializes the graph as a complete ONNX model to <paramref name="stream"/>, which is left open.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="opsetVersion">The version of the default (<c>ai.onnx</c>) operator set the nodes follow.</param>
    /// <param name="metadata">Optional key/value pairs stored in <c>ModelProto.metadata_props</c>.</param>
    /// <exception cref="InvalidOperationException">The graph is not well formed (see the class remarks).</exception>
    public void WriteTo(Stream stream, int opsetVersion = 17, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ToModel(opsetVersion, metadata).WriteTo(stream);
    }

    /// <summary>Declares a graph input copied from another model.</summary>
    internal void AddInput(ValueInfoProto input)
    {
        Define(input.Name, nameof(input));
        _inputs.Add(input.Clone());
    }

    /// <summary>Reserves names (values or nodes that will be copied in later) so that <see cref="UniqueName"/> never returns them.</summary>
    internal void Reserve(IEnumerable<string> names)
    {
        foreach (string name in names)
            if (name.Length > 0)
                _usedNames.Add(name);
    }

    /// <summary>
    /// Appends nodes and initializers of another model as they are (names included). Their names must not clash with
    /// values defined here; reserve them with <see cref="Reserve"/> before adding the nodes that come first.
    /// </summary>
    internal void Append(IEnumerable<NodeProto> nodes, IEnumerable<TensorProto> initializers)
    {
        foreach (var initializer in initializers)
        {
            Define(initializer.Name, nameof(initializers));
            _initializers.Add(initializer.Clone());
        }
        foreach (var node in nodes)
        {
            foreach (string output in node.Output)
                if (output.Length > 0)
                    Define(output, nameof(nodes));
            _usedNames.Add(node.Name);
            _nodes.Add(node.Clone());
        }
    }

    /// <summary>Validates the graph and builds the <c>ModelProto</c>.</summary>
    internal ModelProto ToModel(int opsetVersion = 17, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(opsetVersion, 1);
        Validate();
        var graph = new GraphProto { Name = Name };
        graph.Node.AddRange(_nodes.Select(n => n.Clone()));
        graph.Initializer.AddRange(_initializers);
        graph.Input.AddRange(_inputs);
        graph.Output.AddRange(_outputs);

        var model = new ModelProto
        {
            IrVersion = IrVersion, ProducerName = ProducerName, ProducerVersion = ProducerVersion, Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opsetVersion }); // the default domain, ai.onnx
        if (_nodes.Any(n => n.Domain == MlDomain))
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = MlDomain, Version = MlOpsetVersion });
        foreach (var entry in metadata ?? new Dictionary<string, string>())
        {
            if (entry.Key is null || entry.Value is null)
                throw new ArgumentException("Metadata keys and values cannot be null.", nameof(metadata));
            model.MetadataProps.Add(new StringStringEntryProto { Key = entry.Key, Value = entry.Value });
        }
        return model;
    }

    private string AddInitializer(string name, Func<TensorProto> create)
    {
        var tensor = create(); // validates the shape before the name is taken
        Define(name, nameof(name));
        _initializers.Add(tensor);
        return name;
    }

    /// <summary>Records that a value is defined, rejecting a second definition of the same name.</summary>
    private void Define(string name, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, paramName);
        if (!_definedValues.Add(name))
            throw new ArgumentException($"The value '{name}' is already defined; every value must be defined once.", paramName);
        _usedNames.Add(name);
    }

    /// <summary>Checks that every consumed value is defined before use and that every graph output is defined.</summary>
    private void Validate()
    {
        var available = new HashSet<string>(StringComparer.Ordinal);
        available.UnionWith(_inputs.Select(i => i.Name));
        available.UnionWith(_initializers.Select(i => i.Name));
        foreach (var node in _nodes)
        {
            foreach (string input in node.Input)
                if (input.Length > 0 && !available.Contains(input))
                    throw new InvalidOperationException(
                        $"Node '{node.Name}' ({node.OpType}) consumes '{input}', which no graph input, initializer or earlier node defines.");
            available.UnionWith(node.Output.Where(o => o.Length > 0));
        }
        foreach (var output in _outputs)
            if (!available.Contains(output.Name))
                throw new InvalidOperationException($"Graph output '{output.Name}' is not defined by any input, initializer or node.");
    }

    /// <summary>A typed, shaped graph input or output. Negative dims are symbolic: N, N1, N2, ... within one value.</summary>
    private static ValueInfoProto ValueInfo(string name, OnnxTensorType type, long[] dims)
    {
        // The shape is always written, even with no dims: an empty shape means a scalar, a missing one an unknown rank.
        var shape = new TensorShapeProto();
        int symbolic = 0;
        foreach (long d in dims)
            shape.Dim.Add(d >= 0
                ? new TensorShapeProto.Types.Dimension { DimValue = d }
                : new TensorShapeProto.Types.Dimension { DimParam = symbolic++ == 0 ? "N" : $"N{symbolic - 1}" });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static string GetProducerVersion()
    {
        var assembly = typeof(OnnxGraph).Assembly;
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            // Drop SemVer build metadata such as the "+<commit>" that the SDK appends.
            int plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus >= 0 ? informational[..plus] : informational;
        }
        return assembly.GetName().Version?.ToString() ?? "0.0.0";
    }
}

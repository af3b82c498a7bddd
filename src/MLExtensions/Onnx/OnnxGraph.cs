using System.Reflection;
using Google.Protobuf;

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

    private readonly List<ValueInfo> _inputs = [];
    private readonly List<ValueInfo> _outputs = [];
    private readonly List<Initializer> _initializers = [];
    private readonly List<Node> _nodes = [];

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
        _inputs.Add(new ValueInfo(name, type, dims.ToArray()));
    }

    /// <summary>Declares a graph output: a value that a graph input, an initializer or a node defines.</summary>
    /// <param name="name">The name of the value to expose.</param>
    /// <param name="type">The element type.</param>
    /// <param name="dims">The shape, with negative dimensions symbolic as in <see cref="AddInput"/>.</param>
    public void AddOutput(string name, OnnxTensorType type, params long[] dims)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(dims);
        if (_outputs.Exists(o => o.Name == name))
        {
            throw new ArgumentException($"'{name}' is already a graph output.", nameof(name));
        }

        _usedNames.Add(name);
        _outputs.Add(new ValueInfo(name, type, dims.ToArray()));
    }

    /// <summary>Adds a constant float tensor (e.g. weights), stored as little-endian raw data.</summary>
    /// <param name="name">The initializer's name; it must not name another value.</param>
    /// <param name="values">The elements in row-major order; they are copied.</param>
    /// <param name="dims">The shape; no dims means a scalar.</param>
    /// <returns><paramref name="name"/>, so the call can appear where a node input is expected.</returns>
    public string AddInitializer(string name, float[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        return AddInitializer(name, OnnxTensorType.Float, values.Length, dims, OnnxProtoWriter.ToRawData(values), null);
    }

    /// <summary>Adds a constant 64-bit integer tensor (e.g. a Reshape shape or Gather indices), stored as raw data.</summary>
    /// <param name="name">The initializer's name; it must not name another value.</param>
    /// <param name="values">The elements in row-major order; they are copied.</param>
    /// <param name="dims">The shape; no dims means a scalar.</param>
    /// <returns><paramref name="name"/>.</returns>
    public string AddInitializer(string name, long[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        return AddInitializer(name, OnnxTensorType.Int64, values.Length, dims, OnnxProtoWriter.ToRawData(values), null);
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

        return AddInitializer(name, OnnxTensorType.String, values.Length, dims, ReadOnlyMemory<byte>.Empty, values.ToArray());
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

        _nodes.Add(new Node(nodeName ?? UniqueName(opType), opType, inputs.ToArray(), outputs.ToArray(), attributes.ToArray(), domain));
        return outputs;
    }

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
        Action<OnnxProtoWriter> model = PrepareModel(opsetVersion, metadata);
        long size = OnnxProtoWriter.Measure(model);
        if (size > int.MaxValue)
        {
            throw new InvalidOperationException($"The model takes {size} bytes, more than protobuf's 2 GB limit.");
        }

        var bytes = new byte[size];
        var output = new CodedOutputStream(bytes);
        OnnxProtoWriter.Write(output, model);
        output.CheckNoSpaceLeft();
        return bytes;
    }

    /// <summary>Serializes the graph as a complete ONNX model to <paramref name="stream"/>, which is left open.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="opsetVersion">The version of the default (<c>ai.onnx</c>) operator set the nodes follow.</param>
    /// <param name="metadata">Optional key/value pairs stored in <c>ModelProto.metadata_props</c>.</param>
    /// <exception cref="InvalidOperationException">The graph is not well formed (see the class remarks).</exception>
    public void WriteTo(Stream stream, int opsetVersion = 17, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Action<OnnxProtoWriter> model = PrepareModel(opsetVersion, metadata);
        using var output = new CodedOutputStream(stream, leaveOpen: true);
        OnnxProtoWriter.Write(output, model);
        output.Flush();
    }

    private string AddInitializer(string name, OnnxTensorType type, int count, long[] dims, ReadOnlyMemory<byte> raw, string[]? strings)
    {
        ArgumentNullException.ThrowIfNull(dims);
        OnnxProtoWriter.CheckElementCount(dims, count, "values");
        Define(name, nameof(name));
        _initializers.Add(new Initializer(name, type, dims.ToArray(), raw, strings));
        return name;
    }

    /// <summary>Records that a value is defined, rejecting a second definition of the same name.</summary>
    private void Define(string name, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, paramName);
        if (!_definedValues.Add(name))
        {
            throw new ArgumentException($"The value '{name}' is already defined; every value must be defined once.", paramName);
        }

        _usedNames.Add(name);
    }

    /// <summary>Validates the graph and returns the description of the <c>ModelProto</c> fields.</summary>
    private Action<OnnxProtoWriter> PrepareModel(int opsetVersion, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(opsetVersion, 1);
        Validate();

        // Copy the metadata now so that the measuring and writing passes see the same entries.
        var entries = metadata?.ToArray() ?? [];
        foreach (var entry in entries)
        {
            if (entry.Key is null || entry.Value is null)
            {
                throw new ArgumentException("Metadata keys and values cannot be null.", nameof(metadata));
            }
        }

        // ModelProto field numbers.
        const int IrVersionField = 1, ProducerNameField = 2, ProducerVersionField = 3, GraphField = 7,
            OpsetImportField = 8, MetadataPropsField = 14;

        // OperatorSetIdProto and StringStringEntryProto field numbers.
        const int OpsetDomain = 1, OpsetVersion = 2, EntryKey = 1, EntryValue = 2;

        return w =>
        {
            w.Int64(IrVersionField, IrVersion);
            w.String(ProducerNameField, ProducerName);
            w.String(ProducerVersionField, ProducerVersion);
            w.Message(GraphField, WriteGraph);
            w.Message(OpsetImportField, opset =>
            {
                opset.String(OpsetDomain, ""); // the default ONNX domain, ai.onnx
                opset.Int64(OpsetVersion, opsetVersion);
            });
            if (_nodes.Any(n => n.Domain == MlDomain))
            {
                w.Message(OpsetImportField, opset =>
                {
                    opset.String(OpsetDomain, MlDomain);
                    opset.Int64(OpsetVersion, MlOpsetVersion);
                });
            }
            foreach (var entry in entries)
            {
                w.Message(MetadataPropsField, e =>
                {
                    e.String(EntryKey, entry.Key);
                    e.String(EntryValue, entry.Value);
                });
            }
        };
    }

    /// <summary>Checks that every consumed value is defined before use and that every graph output is defined.</summary>
    private void Validate()
    {
        var available = new HashSet<string>(StringComparer.Ordinal);
        available.UnionWith(_inputs.Select(i => i.Name));
        available.UnionWith(_initializers.Select(i => i.Name));
        foreach (var node in _nodes)
        {
            foreach (string input in node.Inputs)
            {
                if (input.Length > 0 && !available.Contains(input))
                {
                    throw new InvalidOperationException(
                        $"Node '{node.Name}' ({node.OpType}) consumes '{input}', which no graph input, initializer or earlier node defines.");
                }
            }

            available.UnionWith(node.Outputs.Where(o => o.Length > 0));
        }

        foreach (var output in _outputs)
        {
            if (!available.Contains(output.Name))
            {
                throw new InvalidOperationException($"Graph output '{output.Name}' is not defined by any input, initializer or node.");
            }
        }
    }

    /// <summary>Writes the fields of the <c>GraphProto</c>.</summary>
    private void WriteGraph(OnnxProtoWriter w)
    {
        // GraphProto field numbers.
        const int NodeField = 1, NameField = 2, InitializerField = 5, InputField = 11, OutputField = 12;

        foreach (var node in _nodes)
        {
            w.Message(NodeField, node.WriteTo);
        }

        w.String(NameField, Name);
        foreach (var initializer in _initializers)
        {
            w.Message(InitializerField, initializer.WriteTo);
        }

        foreach (var input in _inputs)
        {
            w.Message(InputField, input.WriteTo);
        }

        foreach (var output in _outputs)
        {
            w.Message(OutputField, output.WriteTo);
        }
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

    /// <summary>A typed, shaped value name: a graph input or output (<c>ValueInfoProto</c>).</summary>
    private sealed record ValueInfo(string Name, OnnxTensorType Type, long[] Dims)
    {
        public void WriteTo(OnnxProtoWriter w)
        {
            // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto and TensorShapeProto.Dimension field numbers.
            const int ValueName = 1, ValueType = 2, TypeTensor = 1, ElemType = 1, Shape = 2, ShapeDim = 1,
                DimValue = 1, DimParam = 2;

            w.String(ValueName, Name);
            w.Message(ValueType, type => type.Message(TypeTensor, tensor =>
            {
                tensor.Int64(ElemType, (long)Type);

                // Always written, even with no dims: an empty shape means a scalar, a missing one an unknown rank.
                tensor.Message(Shape, shape =>
                {
                    int symbolic = 0;
                    foreach (long d in Dims)
                    {
                        shape.Message(ShapeDim, dim =>
                        {
                            if (d >= 0)
                            {
                                dim.Int64(DimValue, d);
                            }
                            else
                            {
                                dim.String(DimParam, symbolic == 0 ? "N" : $"N{symbolic}");
                            }
                        });
                        if (d < 0)
                        {
                            symbolic++;
                        }
                    }
                });
            }));
        }
    }

    /// <summary>A constant tensor in <c>GraphProto.initializer</c>.</summary>
    private sealed record Initializer(string Name, OnnxTensorType Type, long[] Dims, ReadOnlyMemory<byte> RawData, string[]? StringData)
    {
        public void WriteTo(OnnxProtoWriter w) => w.Tensor(Name, Type, Dims, RawData, StringData);
    }

    /// <summary>An operator invocation (<c>NodeProto</c>).</summary>
    private sealed record Node(string Name, string OpType, string[] Inputs, string[] Outputs, OnnxAttribute[] Attributes, string Domain = "")
    {
        public void WriteTo(OnnxProtoWriter w)
        {
            // NodeProto field numbers. The domain (7) is written only for nodes outside the default ONNX domain.
            const int InputField = 1, OutputField = 2, NameField = 3, OpTypeField = 4, AttributeField = 5, DomainField = 7;

            // Inputs and outputs are positional, so empty names (omitted optional values) must be written too.
            foreach (string input in Inputs)
            {
                w.String(InputField, input);
            }

            foreach (string output in Outputs)
            {
                w.String(OutputField, output);
            }

            w.String(NameField, Name);
            w.String(OpTypeField, OpType);
            foreach (var attribute in Attributes)
            {
                w.Message(AttributeField, attribute.WriteTo);
            }

            if (Domain.Length > 0)
            {
                w.String(DomainField, Domain);
            }
        }
    }
}

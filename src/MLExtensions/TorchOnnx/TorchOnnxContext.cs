using MLExtensions.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>
/// What a module sees while it is exported to ONNX: the graph being built, its own path in the module tree, and
/// helpers to write its children (standard layers or other exportable modules), its weights and nodes.
/// </summary>
public sealed class TorchOnnxContext
{
    internal TorchOnnxContext(OnnxGraph graph, nn.Module module, string modulePath)
    {
        Graph = graph;
        Module = module;
        ModulePath = modulePath;
    }

    /// <summary>The ONNX graph being built.</summary>
    public OnnxGraph Graph { get; }

    /// <summary>The module being exported.</summary>
    public nn.Module Module { get; }

    /// <summary>The module's path in the tree (<c>features.3</c>); empty for the exported module itself.</summary>
    public string ModulePath { get; }

    /// <summary>
    /// Writes <paramref name="child"/> (a standard TorchSharp layer, a <c>Sequential</c> of them, or a module
    /// implementing <see cref="ITorchOnnxExportable"/>) reading <paramref name="input"/>, and returns its output.
    /// </summary>
    /// <exception cref="TorchOnnxExportException">The child, or a module inside it, cannot be exported.</exception>
    public TorchOnnxValue Export(nn.Module child, TorchOnnxValue input)
    {
        ArgumentNullException.ThrowIfNull(child);
        ArgumentNullException.ThrowIfNull(input);
        return ChildContext(child).Write(input);
    }

    /// <summary>
    /// Writes an <c>LSTM</c>, <c>GRU</c> or <c>RNN</c> child and returns all its outputs: the output sequence and the
    /// final hidden state <c>[layers·directions, N, hidden]</c> (and, for an LSTM, the final cell state), as the
    /// module's <c>forward</c> returns them with zero initial states.
    /// </summary>
    public TorchOnnxRecurrentOutputs ExportRecurrent(nn.Module recurrent, TorchOnnxValue input)
    {
        ArgumentNullException.ThrowIfNull(recurrent);
        ArgumentNullException.ThrowIfNull(input);
        var context = ChildContext(recurrent);
        return RecurrentWriters.Write(context, input);
    }

    /// <summary>Adds <paramref name="tensor"/> as a float initializer named after the module (<c>path.name</c>) and returns its name.</summary>
    public string Weight(string name, Tensor tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(tensor);
        using var cpu = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
        return Graph.AddInitializer(Name(name), cpu.data<float>().ToArray(), cpu.shape);
    }

    /// <summary>Adds a float constant of the given shape (a scalar without dims) and returns its name.</summary>
    public string Constant(string name, float[] values, params long[] dims) => Graph.AddInitializer(Name(name), values, dims);

    /// <summary>Adds an int64 constant (a 1-D vector, as Reshape shapes and axes are) and returns its name.</summary>
    public string Longs(string name, params long[] values) => Graph.AddInitializer(Name(name), values, values.Length);

    /// <summary>Adds a single-output node whose output has <paramref name="shape"/> and returns that value.</summary>
    /// <param name="opType">The ONNX operator (opset 17).</param>
    /// <param name="inputs">The input value names.</param>
    /// <param name="shape">The output's shape, <c>-1</c> for dynamic dimensions.</param>
    /// <param name="attributes">The node's attributes.</param>
    public TorchOnnxValue Node(string opType, string[] inputs, long[] shape, params OnnxAttribute[] attributes) =>
        Node(opType, inputs, shape, OnnxTensorType.Float, attributes);

    /// <summary>Adds a single-output node whose output has the given shape and element type, and returns that value.</summary>
    public TorchOnnxValue Node(string opType, string[] inputs, long[] shape, OnnxTensorType elementType, params OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(shape);
        string output = Graph.AddNode(opType, inputs, Name(opType.ToLowerInvariant()), attributes);
        return new TorchOnnxValue(output, shape.ToArray(), elementType);
    }

    /// <summary>A fresh value name derived from the module's path (<c>path.suffix</c>).</summary>
    public string Name(string suffix)
    {
        ArgumentException.ThrowIfNullOrEmpty(suffix);
        return Graph.UniqueName(ModulePath.Length == 0 ? suffix : $"{ModulePath}.{suffix}");
    }

    /// <summary>An exception for this module whose message starts with its path.</summary>
    public TorchOnnxExportException Error(string message) => new(ModulePath, message);

    /// <summary>Writes the context's module: its own <see cref="ITorchOnnxExportable"/> code, else a standard writer.</summary>
    internal TorchOnnxValue Write(TorchOnnxValue input)
    {
        TorchOnnxValue output;
        if (Module is ITorchOnnxExportable exportable)
        {
            output = exportable.ExportOnnx(this, input)
                ?? throw Error($"{Module.GetType().FullName}.ExportOnnx returned null; it must return the value its nodes produce.");
        }
        else if (ModuleWriters.TryGet(Module.GetType(), out var writer))
        {
            output = writer(this, input);
        }
        else
        {
            throw Error($"{Module.GetType().FullName} is not exportable to ONNX. {ModuleWriters.SupportedText} To export it, " +
                $"implement {nameof(MLExtensions)}.{nameof(ITorchOnnxExportable)} on it and write its nodes with the OnnxGraph builder " +
                "(see \"Your own network\" in the README).");
        }

        if (output.Shape is null || string.IsNullOrEmpty(output.Name))
            throw Error("the exported output has no name or shape.");
        return output;
    }

    /// <summary>Checks that <paramref name="input"/> has a rank in the given range and returns it.</summary>
    internal void RequireRank(TorchOnnxValue input, int min, int max, string expected)
    {
        if (input.Rank < min || input.Rank > max)
            throw Error($"{Module.GetType().Name} expects {expected}, but its input has shape {input.ShapeText}.");
    }

    /// <summary>Checks that dimension <paramref name="axis"/> of <paramref name="input"/> is known and equals <paramref name="size"/>.</summary>
    internal void RequireDim(TorchOnnxValue input, int axis, long size, string what)
    {
        long actual = input.Shape[axis];
        if (actual != size)
            throw Error($"{Module.GetType().Name} expects {size} {what} (dimension {axis}), but its input has shape {input.ShapeText}" +
                (actual < 0 ? "; that dimension must be fixed, not dynamic." : "."));
    }

    private TorchOnnxContext ChildContext(nn.Module child)
    {
        string? name = null;
        foreach (var (childName, module) in Module.named_children())
        {
            if (ReferenceEquals(module, child))
            {
                name = childName;
                break;
            }
        }

        name ??= child.GetName();
        return new TorchOnnxContext(Graph, child, ModulePath.Length == 0 ? name : $"{ModulePath}.{name}");
    }
}

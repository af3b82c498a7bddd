using MLExtensions.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>
/// Exports TorchSharp modules to ONNX: networks of standard layers (<c>Sequential</c>, <c>Linear</c>, convolutions,
/// pooling, batch and layer norm, dropout, activations, <c>Embedding</c>, <c>LSTM</c>/<c>GRU</c>/<c>RNN</c>...) and
/// modules that write their own nodes through <see cref="ITorchOnnxExportable"/>. The graph computes the module's
/// <c>forward</c> in evaluation mode (dropout off, batch norm with its running statistics); the module's own mode is
/// restored afterwards.
/// </summary>
public static class TorchOnnx
{
    /// <summary>The ONNX operator set the exported graphs use.</summary>
    public const int OpsetVersion = 17;

    /// <summary>Exports <paramref name="module"/> as an ONNX model file.</summary>
    /// <param name="module">The network.</param>
    /// <param name="inputShape">The input's shape, <c>-1</c> for a dynamic dimension, e.g. <c>[-1, 3, 32, 32]</c> for
    /// a batch of images or <c>[-1, -1]</c> for token sequences of any batch size and length.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="options">Input and output names and the input type.</param>
    /// <exception cref="TorchOnnxExportException">A module cannot be exported, or rejects the input shape; the message names its path.</exception>
    public static void Export(nn.Module module, long[] inputShape, string path, TorchOnnxOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = ToBytes(module, inputShape, options);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Exports <paramref name="module"/> as an ONNX model written to <paramref name="stream"/>, which is left open.</summary>
    public static void Export(nn.Module module, long[] inputShape, Stream stream, TorchOnnxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes = ToBytes(module, inputShape, options);
        stream.Write(bytes);
    }

    /// <summary>Exports <paramref name="module"/> and returns the ONNX model's bytes (for ONNX Runtime's <c>InferenceSession</c>).</summary>
    public static byte[] ToBytes(nn.Module module, long[] inputShape, TorchOnnxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        options ??= new TorchOnnxOptions();
        ArgumentException.ThrowIfNullOrEmpty(options.InputName, nameof(options.InputName));
        ArgumentException.ThrowIfNullOrEmpty(options.OutputName, nameof(options.OutputName));
        if (options.InputName == options.OutputName)
            throw new ArgumentException($"The input and output names are both '{options.InputName}'.", nameof(options));
        var type = options.InputType ?? DefaultInputType(module);
        var graph = new OnnxGraph(module.GetName());
        graph.AddInput(options.InputName, type, CheckShape(inputShape));
        graph.UniqueName(options.OutputName); // reserved, so that no node inside takes it
        var output = Append(graph, module, new TorchOnnxValue(options.InputName, inputShape.ToArray(), type));
        graph.AddNode("Identity", [output.Name], options.OutputName);
        graph.AddOutput(options.OutputName, output.ElementType, output.Shape);
        return graph.ToModelBytes(OpsetVersion);
    }

    /// <summary>
    /// Appends <paramref name="module"/>'s nodes to <paramref name="graph"/>, reading the value named
    /// <paramref name="inputName"/> (a graph input or another node's output), and returns the module's output value.
    /// Use this to put the module inside a larger graph (an input adapter before it, a head after it).
    /// </summary>
    /// <param name="graph">The graph to extend; it must define <paramref name="inputName"/>.</param>
    /// <param name="module">The network.</param>
    /// <param name="inputName">The value the module reads.</param>
    /// <param name="inputShape">That value's shape, <c>-1</c> for dynamic dimensions.</param>
    /// <param name="inputType">That value's element type.</param>
    /// <returns>The module's output: its value name, shape and element type.</returns>
    public static TorchOnnxValue Append(OnnxGraph graph, nn.Module module, string inputName, long[] inputShape,
        OnnxTensorType inputType = OnnxTensorType.Float)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputName);
        return Append(graph, module, new TorchOnnxValue(inputName, CheckShape(inputShape).ToArray(), inputType));
    }

    /// <summary>Appends <paramref name="module"/>'s nodes reading <paramref name="input"/> and returns its output value.</summary>
    public static TorchOnnxValue Append(OnnxGraph graph, nn.Module module, TorchOnnxValue input)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        CheckShape(input.Shape);
        if (input.ElementType is not (OnnxTensorType.Float or OnnxTensorType.Int64))
            throw new ArgumentException($"The input must be float or int64, not {input.ElementType}.", nameof(input));

        var modes = new List<(nn.Module Module, bool Training)>();
        CollectModes(module, modes);
        try
        {
            module.eval();
            long[]? expected = RunForward(module, input, modes.Select(m => m.Module).OfType<Embedding>());
            var output = new TorchOnnxContext(graph, module, "").Write(input);
            if (expected is not null && !Matches(output.Shape, expected))
                throw new TorchOnnxExportException("", $"the ONNX nodes written for {module.GetType().Name} give shape {output.ShapeText}, " +
                    $"but its forward returns {TorchOnnxValue.FormatShape(expected)} for a probe input; " +
                    "an ExportOnnx method writes a different computation than forward.");
            return output;
        }
        finally
        {
            foreach (var (m, training) in modes)
                m.train(training);
        }
    }

    /// <summary>
    /// The input type <see cref="ToBytes"/> uses by default: int64 when the module's first layer (its first registered
    /// child, recursively) is an <c>Embedding</c>, float otherwise.
    /// </summary>
    public static OnnxTensorType DefaultInputType(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var first = module;
        while (first.named_children().Select(c => c.module).FirstOrDefault() is { } next)
            first = next;

        return first is Embedding ? OnnxTensorType.Int64 : OnnxTensorType.Float;
    }

    private static long[] CheckShape(long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0 || shape.Any(d => d == 0 || d < -1))
            throw new ArgumentException($"The input shape {TorchOnnxValue.FormatShape(shape)} must have at least one dimension, " +
                "each positive or -1 (dynamic).", nameof(shape));
        return shape;
    }

    /// <summary>Each module's mode in pre-order, so that restoring in this order gives every module its own mode back.</summary>
    private static void CollectModes(nn.Module module, List<(nn.Module, bool)> modes)
    {
        modes.Add((module, module.training));
        foreach (var (_, child) in module.named_children())
            CollectModes(child, modes);
    }

    /// <summary>
    /// Runs the module once on zeros of the input's shape (the first dynamic dimension set to 2, others to
    /// <see cref="ProbeSize"/>): a shape the module rejects fails here with TorchSharp's own message, and the output's
    /// shape checks the exported graph's. With dynamic sizes besides the batch a failure only skips the check (the
    /// probe size may be too small for the network). Embedding rows, which an Embedding with max_norm rescales when it
    /// looks them up, are put back.
    /// </summary>
    private static long[]? RunForward(nn.Module module, TorchOnnxValue input, IEnumerable<Embedding> embeddings)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var device = module.parameters().FirstOrDefault()?.device ?? torch.CPU;
        var dtype = input.ElementType == OnnxTensorType.Int64 ? ScalarType.Int64 : ScalarType.Float32;
        int dynamic = 0;
        var x = torch.zeros(input.Shape.Select(d => d >= 0 ? d : dynamic++ == 0 ? 2L : ProbeSize).ToArray(), dtype, device);
        var saved = embeddings.Select(e => (Weight: e.weight!, Copy: e.weight!.detach().clone())).ToList();
        try
        {
            Tensor? y = module switch
            {
                nn.Module<Tensor, Tensor> m => m.forward(x),
                LSTM lstm => lstm.forward(x).Item1,
                GRU gru => gru.forward(x).Item1,
                RNN rnn => rnn.forward(x, null).Item1,
                _ => null,
            };
            return y?.shape;
        }
        catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            if (dynamic > 1)
                return null;
            string reason = e.Message.Split('\n')[0].Trim();
            throw new TorchOnnxExportException("", $"{module.GetType().Name} rejects an input of shape {input.ShapeText} " +
                $"(tried with {TorchOnnxValue.FormatShape(x.shape)}): {reason}");
        }
        finally
        {
            foreach (var (weight, copy) in saved)
                weight.copy_(copy);
        }
    }

    /// <summary>The size given to dynamic dimensions other than the first when the module is probed.</summary>
    private const long ProbeSize = 16;

    private static bool Matches(long[] exported, long[] actual) =>
        exported.Length == actual.Length && exported.Zip(actual).All(p => p.First < 0 || p.First == p.Second);
}

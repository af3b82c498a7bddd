using MLExtensions.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// A trainer's network: a TorchSharp module whose ONNX export sits beside its <c>forward</c>. <see cref="WriteOnnx"/>
/// writes, node for node, the computation <c>forward</c> does in evaluation mode (dropout off, batch norm with its
/// running statistics), from the input value the layout provides to the raw outputs the task head reads.
/// </summary>
internal abstract class NetworkModule : nn.Module<Tensor, Tensor>
{
    private readonly Dictionary<string, string> _writtenValues = new(StringComparer.Ordinal);

    protected NetworkModule(string name) : base(name) { }

    /// <summary>The dense layer that produces the raw outputs (where an informed output bias goes), or null.</summary>
    public abstract Linear? OutputLayer { get; }

    /// <summary>
    /// Adds the network's nodes reading <paramref name="input"/> (what the input layout feeds: [N, features], [N, T]
    /// tokens, ...) and returns the name of the raw output value ([N, outputs]: values or logits).
    /// </summary>
    public abstract string WriteOnnx(OnnxGraph graph, string input);

    /// <summary>Learns what the network needs from the training inputs before training (for example feature statistics); nothing by default.</summary>
    public virtual void Prepare(Tensor trainingInputs) { }

    /// <summary>
    /// Values of the last <see cref="WriteOnnx"/> worth reading on their own, by role (for example
    /// "attention_weights.0" for the first encoder layer's attention weights).
    /// </summary>
    public IReadOnlyDictionary<string, string> WrittenValues => _writtenValues;

    /// <summary>Records a value of interest while writing (see <see cref="WrittenValues"/>).</summary>
    protected void RecordValue(string role, string valueName) => _writtenValues[role] = valueName;
}

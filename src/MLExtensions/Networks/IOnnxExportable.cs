using MLExtensions.Onnx;

namespace MLExtensions.Networks;

/// <summary>A network that can write itself into an ONNX graph, node for node the same computation as its <c>forward</c> in evaluation mode.</summary>
internal interface IOnnxExportable
{
    /// <summary>Adds the network's nodes reading <paramref name="input"/> (a float tensor [N, inputs]) and returns the name of its output (raw outputs [N, outputs]: values or logits).</summary>
    string ExportOnnx(OnnxGraph graph, string input);
}

namespace MLExtensions;

/// <summary>
/// Implemented by a TorchSharp module that writes its own ONNX nodes, so that <see cref="TorchOnnx"/> can export
/// networks containing it. The nodes must compute what the module's <c>forward</c> computes in evaluation mode.
/// </summary>
/// <remarks>
/// Write nodes with <see cref="TorchOnnxContext.Graph"/> (the project's ONNX graph builder) and let
/// <see cref="TorchOnnxContext.Export"/> write the module's standard children, for example a residual block:
/// <code>
/// public TorchOnnxValue ExportOnnx(TorchOnnxContext context, TorchOnnxValue input)
/// {
///     var body = context.Export(this.body, input);                  // a Sequential of Conv2d, BatchNorm2d, ReLU...
///     var sum = context.Node("Add", [input.Name, body.Name], body.Shape);
///     return context.Node("Relu", [sum.Name], sum.Shape);
/// }
/// </code>
/// </remarks>
public interface ITorchOnnxExportable
{
    /// <summary>Adds the module's nodes reading <paramref name="input"/> and returns the value they produce.</summary>
    /// <param name="context">The graph, the module's path in the tree, and helpers to write children and weights.</param>
    /// <param name="input">The value reaching the module, with its shape (<c>-1</c> for dynamic dimensions).</param>
    /// <returns>The module's output, with its shape.</returns>
    TorchOnnxValue ExportOnnx(TorchOnnxContext context, TorchOnnxValue input);
}

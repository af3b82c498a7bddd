namespace MLExtensions;

/// <summary>
/// Thrown when a TorchSharp module cannot be exported to ONNX: a module type the exporter does not know, a layer
/// setting ONNX cannot express, or an input shape the layer rejects. <see cref="ModulePath"/> names the module in
/// the tree the way <c>named_modules()</c> does (for example <c>features.3</c>).
/// </summary>
public sealed class TorchOnnxExportException : NotSupportedException
{
    /// <summary>Creates the exception; the message starts with the module's path.</summary>
    public TorchOnnxExportException(string modulePath, string message)
        : base($"{DisplayPath(modulePath)}: {message}")
    {
        ModulePath = modulePath;
    }

    /// <summary>The path of the module in the tree; empty for the exported module itself.</summary>
    public string ModulePath { get; }

    internal static string DisplayPath(string path) => path.Length == 0 ? "(root)" : path;
}

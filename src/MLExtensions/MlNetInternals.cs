using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Onnx;

namespace MLExtensions;

/// <summary>
/// Every place where MLExtensions reaches into ML.NET members that are not public. Each accessor fails with a message
/// naming the member and the ML.NET version when an update moves it; <see cref="Check"/> tries them all, and a test
/// calls it, so such an update is noticed at once.
/// </summary>
internal static class MlNetInternals
{
    private static readonly string MlNetVersion = typeof(MLContext).Assembly.GetName().Version?.ToString() ?? "?";

    private static readonly Lazy<ConstructorInfo> SchemaColumnConstructor = new(() =>
        typeof(SchemaShape.Column).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            .SingleOrDefault(c => c.GetParameters().Length == 5)
        ?? throw Moved("the 5-argument constructor of SchemaShape.Column"));

    private static readonly Lazy<FieldInfo> OnnxTransformerModel = new(() =>
        typeof(OnnxTransformer).GetField("Model", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
        ?? throw Moved("the field OnnxTransformer.Model"));

    /// <summary>
    /// A <see cref="SchemaShape.Column"/> (for <c>GetOutputSchema</c>), whose constructor ML.NET keeps internal although
    /// every estimator must return such columns.
    /// </summary>
    public static SchemaShape.Column SchemaColumn(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey,
        SchemaShape? annotations = null) =>
        (SchemaShape.Column)SchemaColumnConstructor.Value.Invoke([name, kind, itemType, isKey, annotations]);

    /// <summary>The <see cref="MLContext"/> behind a trainer catalog (ML.NET keeps the accessor internal), for logging and cancellation.</summary>
    public static IHostEnvironment? CatalogEnvironment(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        foreach (var type in catalog.GetType().GetInterfaces().Prepend(catalog.GetType()))
            foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
                if (property.PropertyType == typeof(IHostEnvironment) && property.GetIndexParameters().Length == 0)
                    return property.GetValue(catalog) as IHostEnvironment;
        return null;
    }

    /// <summary>ML.NET's cancellation flag (<c>MLContext.CancelExecution</c>), exposed only through an internal interface; null when absent.</summary>
    public static Func<bool>? CancellationFlag(IHostEnvironment env)
    {
        foreach (var type in env.GetType().GetInterfaces().Prepend(env.GetType()))
        {
            var property = type.GetProperty("IsCanceled", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            if (property?.PropertyType == typeof(bool))
                return () => (bool)property.GetValue(env)!;
        }
        return null;
    }

    /// <summary>The ONNX model an <see cref="OnnxTransformer"/> runs (what it writes into a saved .zip).</summary>
    public static byte[] OnnxModelBytes(OnnxTransformer transformer)
    {
        var model = OnnxTransformerModel.Value.GetValue(transformer) ?? throw Moved("a non-null OnnxTransformer.Model");
        var property = model.GetType().GetProperty("ModelStream", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw Moved("the property OnnxModel.ModelStream");
        if (property.GetValue(model) is not FileStream stream)
            throw Moved("OnnxModel.ModelStream as a FileStream");
        // OnnxTransformer keeps the model in a temporary file it holds open; read that file without moving the stream.
        using var copy = new FileStream(stream.Name, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[copy.Length];
        copy.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Tries every accessor that needs no live object, throwing the first failure.</summary>
    public static void Check(MLContext ml)
    {
        _ = SchemaColumnConstructor.Value;
        _ = OnnxTransformerModel.Value;
        var env = CatalogEnvironment(ml.Regression.Trainers) ?? throw Moved("the IHostEnvironment property of the trainer catalogs");
        if (CancellationFlag(env) is null)
            throw Moved("the IsCanceled flag of the catalogs' environment");
    }

    private static InvalidOperationException Moved(string member) => new(
        $"MLExtensions relies on {member} of ML.NET, which this ML.NET version ({MlNetVersion}) does not have. " +
        "Use the ML.NET version MLExtensions was built against (Microsoft.ML 5.0.x).");
}

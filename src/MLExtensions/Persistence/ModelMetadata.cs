using System.Globalization;
using System.Text.Json;

namespace MLExtensions.Persistence;

/// <summary>
/// What a fitted model knows about itself, stored as <c>metadata_props</c> of its scoring ONNX model (and so inside
/// the saved .zip): trainer, task, columns, input layout, the task head's facts, the names of the network's input and
/// output values in the graph, the training history and the options. Keys start with <c>mlextensions.</c>.
/// </summary>
public sealed class ModelMetadata
{
    internal const string Prefix = "mlextensions.";
    private readonly Dictionary<string, string> _values;

    internal ModelMetadata() => _values = new(StringComparer.Ordinal);

    internal ModelMetadata(IEnumerable<KeyValuePair<string, string>> values)
    {
        _values = new(StringComparer.Ordinal);
        foreach (var (key, value) in values)
            _values[key] = value;
    }

    /// <summary>All entries, keys included with their prefix.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>The trainer's name, for example "TorchMlp".</summary>
    public string Trainer => Required("trainer");

    /// <summary>The task, for example "Regression" or "MulticlassClassification".</summary>
    public string Task => Required("task");

    /// <summary>The feature column the model reads.</summary>
    public string FeatureColumn => Required("feature_column");

    /// <summary>The label column the model was trained on.</summary>
    public string LabelColumn => Required("label_column");

    internal string this[string key]
    {
        get => Required(key);
        set => _values[Prefix + key] = value;
    }

    internal bool Has(string key) => _values.ContainsKey(Prefix + key);

    internal string? Get(string key) => _values.GetValueOrDefault(Prefix + key);

    internal int GetInt(string key) => int.Parse(Required(key), CultureInfo.InvariantCulture);

    internal double GetDouble(string key) => double.Parse(Required(key), CultureInfo.InvariantCulture);

    internal bool GetBool(string key) => bool.Parse(Required(key));

    internal T? GetJson<T>(string key) => Get(key) is string json ? JsonSerializer.Deserialize<T>(json) : default;

    internal void Set(string key, int value) => this[key] = value.ToString(CultureInfo.InvariantCulture);

    internal void Set(string key, double value) => this[key] = value.ToString("R", CultureInfo.InvariantCulture);

    internal void Set(string key, bool value) => this[key] = value ? "true" : "false";

    internal void SetJson<T>(string key, T value) => this[key] = JsonSerializer.Serialize(value);

    /// <summary>Adds entries that carry their full key already.</summary>
    internal void AddRange(IEnumerable<KeyValuePair<string, string>> entries)
    {
        foreach (var (key, value) in entries)
            _values[key] = value;
    }

    private string Required(string key) => _values.TryGetValue(Prefix + key, out var value)
        ? value
        : throw new InvalidDataException($"The model's ONNX metadata has no '{Prefix}{key}' entry; it was not written by MLExtensions or is damaged.");
}

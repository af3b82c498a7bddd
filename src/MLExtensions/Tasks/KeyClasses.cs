using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Persistence;

namespace MLExtensions.Tasks;

/// <summary>
/// The classes of a key label (a key, or a vector of keys for per-step tags): how many, their names (the key's text
/// values, in key order), and the training label column itself, whose key values the predicted labels carry.
/// </summary>
internal sealed record KeyClasses(DataViewSchema.Column? Label, int Count, string[]? Names)
{
    /// <summary>No classes yet: the head is not bound to a label column.</summary>
    public static readonly KeyClasses Unbound = new(null, 0, null);

    /// <summary>The classes of <paramref name="label"/>, whose item type is <paramref name="key"/>; <paramref name="what"/> names them in messages ("classes", "tags").</summary>
    public static KeyClasses Of(DataViewSchema.Column label, KeyDataViewType key, string what)
    {
        if (key.Count < 2 || key.Count > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.LabelColumnName),
                $"Label column '{label.Name}' must have between 2 and {int.MaxValue} {what}, but its key type has {key.Count}.");
        int count = (int)key.Count;
        return new KeyClasses(label, count, ReadNames(label, count));
    }

    /// <summary>The output width.</summary>
    public int OutputSize => Count > 0 ? Count : throw new InvalidOperationException("The head is not bound to a label column yet.");

    /// <summary>Checks that other data's label (for example the validation set's) has as many classes.</summary>
    public void CheckSameCount(KeyClasses other, string role, string what)
    {
        if (other.Count != Count)
            throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.LabelColumnName),
                $"Label column '{other.Label?.Name}' has {other.Count} {what} in the {role} data but {Count} in the training data; " +
                "build both with the same MapValueToKey transformer.");
    }

    /// <summary>The training label column (for the scoring steps that rebuild the predicted key).</summary>
    public DataViewSchema.Column TrainingLabel =>
        Label ?? throw new InvalidOperationException("The scoring steps need the training label column.");

    public IEnumerable<KeyValuePair<string, string>> Metadata
    {
        get
        {
            yield return new(ModelMetadata.Prefix + "classes", Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Names is not null)
                yield return new(ModelMetadata.Prefix + "class_names", System.Text.Json.JsonSerializer.Serialize(Names));
        }
    }

    public static KeyClasses Restore(ModelMetadata m) => new(null, m.GetInt("classes"), m.GetJson<string[]>("class_names"));

    private static string[]? ReadNames(DataViewSchema.Column label, int count)
    {
        if (label.Annotations.Schema.GetColumnOrNull("KeyValues") is null)
            return null;
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        try
        {
            label.GetKeyValues(ref names);
        }
        catch (InvalidOperationException)
        {
            return null; // key values that are not text
        }
        var result = names.DenseValues().Select(v => v.ToString()).ToArray();
        return result.Length == count ? result : null;
    }
}

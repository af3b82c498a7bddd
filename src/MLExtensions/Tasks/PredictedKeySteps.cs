using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tasks;

/// <summary>
/// The ML.NET steps that turn 1-based class numbers (a <see cref="uint"/> or a vector of them, in
/// <see cref="ScoreColumns.ClassNumber"/>) into <c>PredictedLabel</c>: a key (or a vector of keys) carrying the training
/// label's KeyValues in the same order, so that <c>MapKeyToValue</c> gives the original labels back.
/// </summary>
internal static class PredictedKeySteps
{
    /// <param name="ml">The context.</param>
    /// <param name="label">The training label column (a key, or a vector of keys).</param>
    /// <param name="classes">The number of classes.</param>
    public static IEstimator<ITransformer> For(MLContext ml, DataViewSchema.Column label, int classes)
    {
        var keyValuesType = label.Annotations.Schema.GetColumnOrNull("KeyValues")?.Type as VectorDataViewType;
        if (keyValuesType is null)
            return Steps(ml, Enumerable.Range(1, classes).Select(i => (uint)i).ToArray());
        var method = typeof(PredictedKeySteps).GetMethod(nameof(FromKeyValues), BindingFlags.NonPublic | BindingFlags.Static)!;
        return (IEstimator<ITransformer>)method.MakeGenericMethod(keyValuesType.ItemType.RawType).Invoke(null, [ml, label, classes])!;
    }

    private static IEstimator<ITransformer> FromKeyValues<T>(MLContext ml, DataViewSchema.Column label, int classes)
    {
        var buffer = default(VBuffer<T>);
        label.GetKeyValues(ref buffer);
        var values = buffer.DenseValues().ToArray();
        if (values.Length != classes)
            throw new InvalidOperationException($"Label column '{label.Name}' has {values.Length} key values for {classes} classes.");
        if (values is ReadOnlyMemory<char>[] text)
            return Steps(ml, text.Select(v => v.ToString()).ToArray());
        return Steps(ml, values);
    }

    private static IEstimator<ITransformer> Steps<T>(MLContext ml, T[] classValues)
    {
        var pairs = classValues.Select((v, i) => new KeyValuePair<uint, T>((uint)(i + 1), v));
        var keyData = ml.Data.LoadFromEnumerable(classValues.Select(v => new KeyDataRow<T> { Value = v }));
        return ml.Transforms.Conversion.MapValue(ScoreColumns.PredictedValue, pairs, ScoreColumns.ClassNumber)
            .Append(ml.Transforms.Conversion.MapValueToKey("PredictedLabel", ScoreColumns.PredictedValue, keyData: keyData))
            .Append(ml.Transforms.DropColumns(ScoreColumns.ClassNumber, ScoreColumns.PredictedValue));
    }

    private sealed class KeyDataRow<T>
    {
        public T Value { get; set; } = default!;
    }
}

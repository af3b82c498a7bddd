using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Evaluation;

namespace MLExtensions;

/// <summary>Evaluation of sequence labelers (one predicted key per token) on ML.NET's multiclass catalog.</summary>
public static class SequenceEvaluation
{
    /// <summary>
    /// Scores per-token predictions: token accuracy, per-tag precision, recall and F1 with micro and macro averages,
    /// and CoNLL span precision, recall and F1 (see <see cref="SequenceMetrics"/>).
    /// </summary>
    /// <param name="catalog">The multiclass classification catalog.</param>
    /// <param name="data">Scored data.</param>
    /// <param name="labelColumnName">The gold tags: a vector of keys (variable or known size) with text
    /// <c>KeyValues</c>, one key per token, for example <c>TokenizeIntoWords</c> → <c>MapValueToKey</c>.</param>
    /// <param name="predictedLabelColumnName">The predicted tags: a vector of keys of the same key type and
    /// <c>KeyValues</c>, one per token; a missing key (0) counts as a wrong prediction.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing, is not a vector of keys with text
    /// <c>KeyValues</c>, or the two columns' keys differ.</exception>
    /// <exception cref="InvalidDataException">A row whose two vectors differ in length, or a missing key in the
    /// label column; the message names the row (counting from 0).</exception>
    public static SequenceMetrics EvaluateSequence(this MulticlassClassificationCatalog catalog, IDataView data,
        string labelColumnName = "Label", string predictedLabelColumnName = "PredictedLabel")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        var label = KeyVectorColumn(data.Schema, labelColumnName, "label");
        var predicted = KeyVectorColumn(data.Schema, predictedLabelColumnName, "predicted label");
        string[] tags = KeyValues(label, labelColumnName, "label");
        string[] predictedTags = KeyValues(predicted, predictedLabelColumnName, "predicted label");
        CheckSameKeys(labelColumnName, tags, predictedLabelColumnName, predictedTags);

        var builder = new SequenceMetricsBuilder(tags);
        using var cursor = data.GetRowCursor(label.Index == predicted.Index ? [label] : [label, predicted]);
        var readLabel = KeyReader(cursor, label);
        var readPredicted = KeyReader(cursor, predicted);
        var gold = new List<int>();
        var guessed = new List<int>();
        long row = -1;
        while (cursor.MoveNext())
        {
            row++;
            readLabel(gold);
            readPredicted(guessed);
            if (gold.Count != guessed.Count)
                throw new InvalidDataException(
                    $"Row {row} has {gold.Count} tags in the label column '{labelColumnName}' but {guessed.Count} in the " +
                    $"predicted label column '{predictedLabelColumnName}'; a sequence labeler predicts one tag per token.");
            for (int step = 0; step < gold.Count; step++)
            {
                if (gold[step] < 0)
                    throw new InvalidDataException(
                        $"Row {row} has a missing key at step {step} of the label column '{labelColumnName}': a tag that " +
                        "is not among the key's values (MapValueToKey maps values it was not fitted on to the missing key). " +
                        "Fit the tag mapping on data that holds every tag.");
            }
            builder.Add(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(gold),
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(guessed));
        }
        return builder.Build();
    }

    private static DataViewSchema.Column KeyVectorColumn(DataViewSchema schema, string name, string role)
    {
        if (string.IsNullOrEmpty(name))
            throw new ArgumentException($"The {role} column name must not be empty.");
        var column = schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(name,
            $"The data has no {role} column '{name}'. Available columns: " +
            string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => "'" + c.Name + "'")) + ".");
        if (column.Type is not VectorDataViewType { ItemType: KeyDataViewType })
            throw new ArgumentOutOfRangeException(name,
                $"The {role} column '{name}' must be a vector of keys, one per token (for example TokenizeIntoWords " +
                $"followed by MapValueToKey), but it is {column.Type}.");
        return column;
    }

    private static string[] KeyValues(DataViewSchema.Column column, string name, string role)
    {
        var key = (KeyDataViewType)((VectorDataViewType)column.Type).ItemType;
        var annotation = column.Annotations.Schema.GetColumnOrNull("KeyValues");
        if (annotation is not { Type: VectorDataViewType { ItemType: TextDataViewType } values } || values.Size != (int)key.Count)
            throw new ArgumentOutOfRangeException(name,
                $"The {role} column '{name}' must carry its tags as text KeyValues (as MapValueToKey writes them), " +
                $"but it has {(annotation is null ? "no KeyValues" : $"KeyValues of type {annotation.Value.Type}")}.");
        VBuffer<ReadOnlyMemory<char>> buffer = default;
        column.GetKeyValues(ref buffer);
        return buffer.DenseValues().Select(v => v.ToString()).ToArray();
    }

    private static void CheckSameKeys(string labelName, string[] tags, string predictedName, string[] predictedTags)
    {
        if (tags.Length != predictedTags.Length)
            throw new ArgumentOutOfRangeException(predictedName,
                $"The label column '{labelName}' has {tags.Length} tags but the predicted label column '{predictedName}' " +
                $"has {predictedTags.Length}; both must use the same key type (the tagger copies the label's keys).");
        for (int i = 0; i < tags.Length; i++)
        {
            if (!string.Equals(tags[i], predictedTags[i], StringComparison.Ordinal))
                throw new ArgumentOutOfRangeException(predictedName,
                    $"Key {i + 1} is '{tags[i]}' in the label column '{labelName}' but '{predictedTags[i]}' in the predicted " +
                    $"label column '{predictedName}'; both must use the same keys.");
        }
    }

    /// <summary>A reader that fills a list with the row's keys as tag indexes (key − 1), −1 for a missing key.</summary>
    private static Action<List<int>> KeyReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var key = (KeyDataViewType)((VectorDataViewType)column.Type).ItemType;
        return key.RawType switch
        {
            var t when t == typeof(uint) => KeyReader<uint>(cursor, column, k => k),
            var t when t == typeof(byte) => KeyReader<byte>(cursor, column, k => k),
            var t when t == typeof(ushort) => KeyReader<ushort>(cursor, column, k => k),
            var t when t == typeof(ulong) => KeyReader<ulong>(cursor, column, k => k),
            var t => throw new ArgumentOutOfRangeException(column.Name, $"Keys of type {t} in column '{column.Name}' are not supported."),
        };
    }

    private static Action<List<int>> KeyReader<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, ulong> value)
    {
        var getter = cursor.GetGetter<VBuffer<T>>(column);
        VBuffer<T> buffer = default;
        return indexes =>
        {
            getter(ref buffer);
            indexes.Clear();
            foreach (var k in buffer.DenseValues())
                indexes.Add((int)value(k) - 1);
        };
    }
}

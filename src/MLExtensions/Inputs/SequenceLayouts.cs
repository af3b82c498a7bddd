using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Inputs;

/// <summary>Chooses the sequence layout from the feature column's type, for the sequence trainers.</summary>
internal static class SequenceLayouts
{
    /// <summary>Key vectors become token sequences; Single vectors become step sequences of <paramref name="stepSize"/> values.</summary>
    public static InputLayout For(DataViewSchema schema, string featureColumn, int stepSize, int maxLength, bool truncate)
    {
        var column = ColumnChecks.Find(schema, featureColumn, "feature");
        int knownSize = column.Type is VectorDataViewType { IsKnownSize: true } vector ? vector.Size : 0;
        if (TokenSequenceLayout.VocabularyOf(column) is int vocabulary)
            return new TokenSequenceLayout(vocabulary, maxLength, truncate, knownSize, ((VectorDataViewType)column.Type).ItemType.RawType);
        var layout = new DenseSequenceLayout(stepSize, maxLength, truncate, knownSize);
        layout.Check(schema, featureColumn, "training");
        return layout;
    }

    /// <summary>The schema-shape check of <c>GetOutputSchema</c>: a vector (fixed or variable) of keys or of Single.</summary>
    public static void CheckShape(SchemaShape.Column features, string featureColumn)
    {
        bool vector = features.Kind is SchemaShape.Column.VectorKind.Vector or SchemaShape.Column.VectorKind.VariableVector;
        if (!vector || !(features.IsKey || features.ItemType == NumberDataViewType.Single))
            throw new ArgumentOutOfRangeException(featureColumn,
                $"Feature column '{featureColumn}' must be a vector of keys (tokens) or of Single (steps), but it is {features.ItemType} ({features.Kind}).");
    }

    /// <summary>
    /// The number of steps to keep of a row with <paramref name="length"/> steps: rejects empty rows, and rows longer than
    /// <paramref name="maxLength"/> unless <paramref name="truncate"/> (then cut to <paramref name="maxLength"/>).
    /// </summary>
    public static int KeptLength(int length, int maxLength, bool truncate, string unit, string column, string role, long row)
    {
        if (length == 0)
            throw new InvalidDataException($"Feature column '{column}' of the {role} data has an empty sequence at row {row}; every sequence needs at least one {unit}.");
        if (maxLength <= 0 || length <= maxLength)
            return length;
        if (!truncate)
            throw new InvalidDataException(
                $"Feature column '{column}' of the {role} data has a sequence of {length} {unit}s at row {row}, longer than MaxSequenceLength = {maxLength}. " +
                $"Set TruncateLongSequences = true to keep the first MaxSequenceLength {unit}s.");
        return maxLength;
    }

    /// <summary>Rows of different lengths as one row-major block of the longest length, shorter rows filled with <paramref name="padding"/>.</summary>
    public static (T[] Values, int Longest) Pad<T>(IReadOnlyList<T[]> rows, T padding)
    {
        int longest = rows.Max(r => r.Length);
        var values = new T[(long)rows.Count * longest];
        Array.Fill(values, padding);
        for (int r = 0; r < rows.Count; r++)
            rows[r].CopyTo(values, (long)r * longest);
        return (values, longest);
    }
}

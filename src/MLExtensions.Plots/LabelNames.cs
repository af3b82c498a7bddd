using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Plots;

/// <summary>Class names of a key column, for the axes of a confusion matrix.</summary>
public static class LabelNames
{
    /// <summary>
    /// The values of key column <paramref name="columnName"/> (for example the label after <c>MapValueToKey</c>), in key
    /// order: index <c>i</c> is key <c>i + 1</c>, the order of ML.NET's confusion matrix.
    /// </summary>
    public static string[] FromKeyColumn(DataViewSchema schema, string columnName = "Label")
    {
        ArgumentNullException.ThrowIfNull(schema);
        var column = schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentOutOfRangeException(nameof(columnName), $"The data has no column '{columnName}'.");
        if (column.Type is not KeyDataViewType)
            throw new ArgumentOutOfRangeException(nameof(columnName),
                $"Column '{columnName}' is {column.Type}, not a key; class names come from a key column (use MapValueToKey).");
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues") is null)
            throw new ArgumentOutOfRangeException(nameof(columnName), $"Key column '{columnName}' carries no key values (class names).");
        var values = default(VBuffer<ReadOnlyMemory<char>>);
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(v => v.ToString()).ToArray();
    }
}

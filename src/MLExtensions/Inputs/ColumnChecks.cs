using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Inputs;

/// <summary>Schema checks with messages that name the column and what was expected.</summary>
internal static class ColumnChecks
{
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, string role)
    {
        if (string.IsNullOrEmpty(name))
            throw new ArgumentException($"The {role} column name must not be empty.");
        var column = schema.GetColumnOrNull(name);
        if (column is null)
        {
            var available = string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => "'" + c.Name + "'"));
            throw new ArgumentOutOfRangeException(name, $"The data has no {role} column '{name}'. Available columns: {available}.");
        }
        return column.Value;
    }

    /// <summary>The feature column must be a known-size vector of Single; returns its size.</summary>
    public static int FeatureSize(DataViewSchema schema, string name)
    {
        var column = Find(schema, name, "feature");
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single || !vector.IsKnownSize)
            throw new ArgumentOutOfRangeException(name,
                $"Feature column '{name}' must be a known-size vector of Single (for example the output of " +
                $"mlContext.Transforms.Concatenate), but it is {column.Type}.");
        return vector.Size;
    }
}

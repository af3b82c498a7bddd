using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Training;

/// <summary>What the trainer learned about the label column: the task and, for multiclass, the classes.</summary>
internal sealed class LabelInfo
{
    private LabelInfo(PredictionKind kind, int classCount, DataViewSchema.Column column)
    {
        Kind = kind;
        ClassCount = classCount;
        Column = column;
    }

    public PredictionKind Kind { get; }

    /// <summary>Number of classes (multiclass), otherwise 1.</summary>
    public int ClassCount { get; }

    /// <summary>The label column in the training schema (its annotations carry the class names).</summary>
    public DataViewSchema.Column Column { get; }

    /// <summary>Network output width.</summary>
    public int OutputSize => Kind == PredictionKind.MulticlassClassification ? ClassCount : 1;

    /// <summary>The class names (the label key's values as text, in key order), or null when the key has no values.</summary>
    public string[]? ClassNames()
    {
        if (Kind != PredictionKind.MulticlassClassification || Column.Annotations.Schema.GetColumnOrNull("KeyValues") is null)
            return null;
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        try
        {
            Column.GetKeyValues(ref names);
        }
        catch (InvalidOperationException)
        {
            return null; // key values that are not text
        }
        var result = names.DenseValues().Select(v => v.ToString()).ToArray();
        return result.Length == ClassCount ? result : null;
    }

    public static LabelInfo FromSchema(DataViewSchema schema, string labelColumnName, PredictionKind kind)
    {
        var column = ColumnChecks.Find(schema, labelColumnName, "label");
        var type = column.Type;
        switch (kind)
        {
            case PredictionKind.Regression when type != NumberDataViewType.Single:
                throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.LabelColumnName),
                    $"Label column '{labelColumnName}' must be of type Single for regression, but it is {type}.");
            case PredictionKind.BinaryClassification when type != BooleanDataViewType.Instance:
                throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.LabelColumnName),
                    $"Label column '{labelColumnName}' must be of type Boolean for binary classification, but it is {type}.");
            case PredictionKind.MulticlassClassification:
                if (type is not KeyDataViewType key)
                    throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.LabelColumnName),
                        $"Label column '{labelColumnName}' must be a key type for multiclass classification, but it is {type}. " +
                        "Map it with mlContext.Transforms.Conversion.MapValueToKey(\"" + labelColumnName + "\").");
                if (key.Count < 2 || key.Count > int.MaxValue)
                    throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.LabelColumnName),
                        $"Label column '{labelColumnName}' must have between 2 and {int.MaxValue} classes, but its key type has {key.Count}.");
                return new LabelInfo(kind, (int)key.Count, column);
        }
        return new LabelInfo(kind, 1, column);
    }
}

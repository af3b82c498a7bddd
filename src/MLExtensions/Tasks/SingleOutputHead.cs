using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Inputs;
using MLExtensions.Onnx;

namespace MLExtensions.Tasks;

/// <summary>
/// What regression and binary classification share: a scalar label read as [N, 1] floats, one network output, and a
/// scoring model that hands the raw output to a CustomMapping adapter (which makes the task's columns) as a one-value vector.
/// </summary>
internal abstract class SingleOutputHead : TaskHead
{
    public override int OutputSize => 1;

    /// <summary>The label's ML.NET type.</summary>
    protected abstract DataViewType LabelType { get; }

    /// <summary>The adapter from the raw score to the task's columns.</summary>
    protected abstract IEstimator<ITransformer> ScoreAdapter(MLContext ml);

    public override void CheckLabelShape(SchemaShape.Column label, string columnName)
    {
        if (label.Kind != SchemaShape.Column.VectorKind.Scalar || label.ItemType != LabelType)
            throw new ArgumentOutOfRangeException(columnName, $"Label column '{columnName}' must be of type {LabelType} for {TaskDescription}.");
    }

    public override TaskHead Bind(DataViewSchema.Column label)
    {
        if (label.Type != LabelType)
            throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.LabelColumnName),
                $"Label column '{label.Name}' must be of type {LabelType} for {TaskDescription}, but it is {label.Type}.");
        return this;
    }

    /// <summary>The task in words, for messages ("regression").</summary>
    protected abstract string TaskDescription { get; }

    public override IColumnBuffer CreateLabelBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, string role) =>
        new ScalarLabelBuffer(cursor, column, role);

    public override string[] WriteScoringOutputs(OnnxGraph g, string raw)
    {
        g.AddNode("Reshape", [raw, g.Longs("score_shape", 1)], ScoreColumns.RawScore);
        g.AddOutput(ScoreColumns.RawScore, OnnxTensorType.Float, 1);
        return [ScoreColumns.RawScore];
    }

    public override IEstimator<ITransformer> ScoringSteps(MLContext ml) =>
        ScoreAdapter(ml).Append(ml.Transforms.DropColumns(ScoreColumns.RawScore));
}

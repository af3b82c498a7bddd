using System.ComponentModel;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLExtensions.Inputs;
using MLExtensions.Onnx;
using MLExtensions.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Tasks;

/// <summary>
/// Binary classification: a <see cref="bool"/> label, one output (the logit), binary cross-entropy, metric accuracy;
/// <c>Score</c> is the logit (the evaluator's threshold is 0), <c>Probability</c> its sigmoid, <c>PredictedLabel</c> Score &gt; 0.
/// </summary>
internal sealed class BinaryClassificationHead : TaskHead
{
    public const string TaskName = "BinaryClassification";

    public override string Name => TaskName;

    public override int OutputSize => 1;

    public override string MetricName => "Accuracy";

    public override void CheckLabelShape(SchemaShape.Column label, string columnName)
    {
        if (label.Kind != SchemaShape.Column.VectorKind.Scalar || label.ItemType != BooleanDataViewType.Instance)
            throw new ArgumentOutOfRangeException(columnName, $"Label column '{columnName}' must be of type Boolean for binary classification.");
    }

    public override IEnumerable<SchemaShape.Column> OutputShape(SchemaShape.Column label) =>
    [
        MlNetInternals.SchemaColumn("Score", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false),
        MlNetInternals.SchemaColumn("Probability", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false),
        MlNetInternals.SchemaColumn("PredictedLabel", SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false),
    ];

    public override TaskHead Bind(DataViewSchema.Column label)
    {
        if (label.Type != BooleanDataViewType.Instance)
            throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.LabelColumnName),
                $"Label column '{label.Name}' must be of type Boolean for binary classification, but it is {label.Type}.");
        return this;
    }

    public override IColumnBuffer CreateLabelBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, string role) =>
        new ScalarLabelBuffer(cursor, column, role);

    public override Tensor Loss(Tensor output, Tensor target) => nn.functional.binary_cross_entropy_with_logits(output, target);

    public override double MetricSum(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        return (output.gt(0) == target.gt(0.5)).sum().item<long>();
    }

    public override double FinishMetric(double sum, long count) => sum / count;

    public override string[] WriteScoringOutputs(OnnxGraph g, string raw)
    {
        g.AddNode("Reshape", [raw, g.AddInitializer(g.UniqueName("score_shape"), new long[] { 1 }, 1)], ScoreColumns.RawScore);
        g.AddOutput(ScoreColumns.RawScore, OnnxTensorType.Float, 1);
        return [ScoreColumns.RawScore];
    }

    public override void WriteStandaloneOutputs(OnnxGraph g, string raw)
    {
        g.AddNode("Identity", [raw], "logit");
        g.AddNode("Sigmoid", [raw], "probability");
        g.AddOutput("logit", OnnxTensorType.Float, -1, 1);
        g.AddOutput("probability", OnnxTensorType.Float, -1, 1);
    }

    public override IEstimator<ITransformer> ScoringSteps(MLContext ml) =>
        ml.Transforms.CustomMapping(new BinaryScoreMapping().GetMapping(), BinaryScoreMapping.ContractName)
            .Append(ml.Transforms.DropColumns(ScoreColumns.RawScore));

    public static TaskHead Restore(ModelMetadata m) => new BinaryClassificationHead();
}

/// <summary>Binary output: logit <c>Score</c>, <c>Probability</c> and <c>PredictedLabel</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BinaryScoreRow
{
    /// <summary>The logit; the evaluator's default threshold is 0.</summary>
    public float Score { get; set; }

    /// <summary>sigmoid(Score).</summary>
    public float Probability { get; set; }

    /// <summary>Score &gt; 0.</summary>
    public bool PredictedLabel { get; set; }
}

/// <summary>Turns the raw logit into <c>Score</c>, <c>Probability</c> and <c>PredictedLabel</c>. Saved models find it by its contract name.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class BinaryScoreMapping : CustomMappingFactory<RawScoreRow, BinaryScoreRow>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLExtensions.BinaryScore";

    /// <inheritdoc />
    public override Action<RawScoreRow, BinaryScoreRow> GetMapping() => Map;

    internal static void Map(RawScoreRow input, BinaryScoreRow output)
    {
        float logit = input.RawScore[0];
        output.Score = logit;
        output.Probability = 1f / (1f + MathF.Exp(-logit));
        output.PredictedLabel = logit > 0;
    }
}

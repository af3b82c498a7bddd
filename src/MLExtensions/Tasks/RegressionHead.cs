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

/// <summary>Regression: a <see cref="float"/> label, one output, loss MSE, MAE or Huber, metric RMSE; <c>Score</c> is the prediction.</summary>
internal sealed class RegressionHead : TaskHead
{
    public const string TaskName = "Regression";

    private readonly RegressionLoss _loss;
    private readonly double _huberDelta;

    public RegressionHead(RegressionLoss loss, double huberDelta)
    {
        if (!Enum.IsDefined(loss))
            throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.Loss), loss, "Unknown regression loss: use Mse, Mae or Huber.");
        _loss = loss;
        _huberDelta = huberDelta;
    }

    public override string Name => TaskName;

    public override int OutputSize => 1;

    public override string MetricName => "RMSE";

    public override void CheckLabelShape(SchemaShape.Column label, string columnName)
    {
        if (label.Kind != SchemaShape.Column.VectorKind.Scalar || label.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(columnName, $"Label column '{columnName}' must be of type Single for regression.");
    }

    public override IEnumerable<SchemaShape.Column> OutputShape(SchemaShape.Column label) =>
        [MlNetInternals.SchemaColumn("Score", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false)];

    public override TaskHead Bind(DataViewSchema.Column label)
    {
        if (label.Type != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.LabelColumnName),
                $"Label column '{label.Name}' must be of type Single for regression, but it is {label.Type}.");
        return this;
    }

    public override IColumnBuffer CreateLabelBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, string role) =>
        new ScalarLabelBuffer(cursor, column, role);

    public override Tensor Loss(Tensor output, Tensor target) => _loss switch
    {
        RegressionLoss.Mae => nn.functional.l1_loss(output, target),
        RegressionLoss.Huber => nn.functional.huber_loss(output, target, _huberDelta),
        _ => nn.functional.mse_loss(output, target),
    };

    public override double MetricSum(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        return (output - target).square().sum().item<float>();
    }

    public override double FinishMetric(double sum, long count) => Math.Sqrt(sum / count);

    public override string[] WriteScoringOutputs(OnnxGraph g, string raw)
    {
        g.AddNode("Reshape", [raw, g.AddInitializer(g.UniqueName("score_shape"), new long[] { 1 }, 1)], ScoreColumns.RawScore);
        g.AddOutput(ScoreColumns.RawScore, OnnxTensorType.Float, 1);
        return [ScoreColumns.RawScore];
    }

    public override void WriteStandaloneOutputs(OnnxGraph g, string raw)
    {
        g.AddNode("Identity", [raw], "score");
        g.AddOutput("score", OnnxTensorType.Float, -1, 1);
    }

    public override IEstimator<ITransformer> ScoringSteps(MLContext ml) =>
        ml.Transforms.CustomMapping(new RegressionScoreMapping().GetMapping(), RegressionScoreMapping.ContractName)
            .Append(ml.Transforms.DropColumns(ScoreColumns.RawScore));

    public override IEnumerable<KeyValuePair<string, string>> Metadata =>
    [
        new(ModelMetadata.Prefix + "loss", _loss.ToString()),
        new(ModelMetadata.Prefix + "huber_delta", _huberDelta.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
    ];

    public static TaskHead Restore(ModelMetadata m) => new RegressionHead(Enum.Parse<RegressionLoss>(m["loss"]), m.GetDouble("huber_delta"));
}

/// <summary>Regression output: the <c>Score</c> column.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RegressionScoreRow
{
    /// <summary>The predicted value.</summary>
    public float Score { get; set; }
}

/// <summary>Turns the raw score into the regression <c>Score</c>. A CustomMapping factory: saved models find it by its contract name.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class RegressionScoreMapping : CustomMappingFactory<RawScoreRow, RegressionScoreRow>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLExtensions.RegressionScore";

    /// <inheritdoc />
    public override Action<RawScoreRow, RegressionScoreRow> GetMapping() => Map;

    internal static void Map(RawScoreRow input, RegressionScoreRow output) => output.Score = input.RawScore[0];
}

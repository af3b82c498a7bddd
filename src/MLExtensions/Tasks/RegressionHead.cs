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
/// Regression: a <see cref="float"/> label, one output, loss MSE, MAE or Huber, metric RMSE; <c>Score</c> is the
/// prediction. With label scaling (the default) the network learns the standardized label and the export turns its
/// output back into label units; losses and metrics are reported in label units (the Huber delta is in label units too).
/// </summary>
internal sealed class RegressionHead : SingleOutputHead
{
    public override bool PredictsValues => true;

    public const string TaskName = "Regression";

    private readonly RegressionObjective _objective;

    public RegressionHead(RegressionLoss loss, double huberDelta, bool labelScaling = true)
        : this(new RegressionObjective(loss, huberDelta, labelScaling, LabelScale.Identity)) { }

    private RegressionHead(RegressionObjective objective) => _objective = objective;

    public override TaskHead Prepare(Tensor trainingTargets) => new RegressionHead(_objective.Prepare(trainingTargets));

    public override void ScaleTargets(Tensor targets) => _objective.Scale.Apply(targets);

    public override void InitializeOutputBias(TorchSharp.Modules.Linear layer, Tensor trainingTargets) =>
        RegressionObjective.InitializeBias(layer, trainingTargets);

    public override double LossScale => _objective.LossScale;

    public override string Name => TaskName;

    public override string MetricName => "RMSE";

    protected override DataViewType LabelType => NumberDataViewType.Single;

    protected override string TaskDescription => "regression";

    public override IEnumerable<SchemaShape.Column> OutputShape(SchemaShape.Column label) =>
        [MlNetInternals.SchemaColumn("Score", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false)];

    public override Tensor Loss(Tensor output, Tensor target) => _objective.Compute(output, target);

    public override double MetricSum(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        return (output - target).square().sum().item<float>();
    }

    public override double FinishMetric(double sum, double count) => _objective.Rmse(sum, count);

    public override string[] WriteScoringOutputs(OnnxGraph g, string raw) => base.WriteScoringOutputs(g, _objective.Scale.WriteOnnx(g, raw));

    public override void WriteStandaloneOutputs(OnnxGraph g, string raw)
    {
        g.AddNode("Identity", [_objective.Scale.WriteOnnx(g, raw)], "score");
        g.AddOutput("score", OnnxTensorType.Float, -1, 1);
    }

    protected override IEstimator<ITransformer> ScoreAdapter(MLContext ml) =>
        ml.Transforms.CustomMapping(new RegressionScoreMapping().GetMapping(), RegressionScoreMapping.ContractName);

    public override IEnumerable<KeyValuePair<string, string>> Metadata => _objective.Metadata;

    public static TaskHead Restore(ModelMetadata m) => new RegressionHead(RegressionObjective.Restore(m));
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

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
    public const string TaskName = "Regression";

    private readonly RegressionLoss _loss;
    private readonly double _huberDelta;
    private readonly bool _scaling;
    private readonly LabelScale _scale;

    public RegressionHead(RegressionLoss loss, double huberDelta, bool labelScaling = true) : this(loss, huberDelta, labelScaling, LabelScale.Identity) { }

    private RegressionHead(RegressionLoss loss, double huberDelta, bool labelScaling, LabelScale scale)
    {
        if (!Enum.IsDefined(loss))
            throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.Loss), loss, "Unknown regression loss: use Mse, Mae or Huber.");
        _loss = loss;
        _huberDelta = huberDelta;
        _scaling = labelScaling;
        _scale = scale;
    }

    public override TaskHead Prepare(Tensor trainingTargets) =>
        _scaling ? new RegressionHead(_loss, _huberDelta, true, LabelScale.Of(trainingTargets)) : this;

    public override void ScaleTargets(Tensor targets) => _scale.Apply(targets);

    public override void InitializeOutputBias(TorchSharp.Modules.Linear layer, Tensor trainingTargets)
    {
        using var _ = no_grad();
        layer.bias?.fill_(trainingTargets.mean().item<float>());
    }

    public override double LossScale => _loss == RegressionLoss.Mae ? _scale.Scale : _scale.Scale * _scale.Scale;

    public override string Name => TaskName;

    public override string MetricName => "RMSE";

    protected override DataViewType LabelType => NumberDataViewType.Single;

    protected override string TaskDescription => "regression";

    public override IEnumerable<SchemaShape.Column> OutputShape(SchemaShape.Column label) =>
        [MlNetInternals.SchemaColumn("Score", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false)];

    public override Tensor Loss(Tensor output, Tensor target) => _loss switch
    {
        RegressionLoss.Mae => nn.functional.l1_loss(output, target),
        RegressionLoss.Huber => nn.functional.huber_loss(output, target, _huberDelta / _scale.Scale),
        _ => nn.functional.mse_loss(output, target),
    };

    public override double MetricSum(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        return (output - target).square().sum().item<float>();
    }

    public override double FinishMetric(double sum, double count) => Math.Sqrt(sum / count) * _scale.Scale;

    public override string[] WriteScoringOutputs(OnnxGraph g, string raw) => base.WriteScoringOutputs(g, _scale.WriteOnnx(g, raw));

    public override void WriteStandaloneOutputs(OnnxGraph g, string raw)
    {
        g.AddNode("Identity", [_scale.WriteOnnx(g, raw)], "score");
        g.AddOutput("score", OnnxTensorType.Float, -1, 1);
    }

    protected override IEstimator<ITransformer> ScoreAdapter(MLContext ml) =>
        ml.Transforms.CustomMapping(new RegressionScoreMapping().GetMapping(), RegressionScoreMapping.ContractName);

    public override IEnumerable<KeyValuePair<string, string>> Metadata =>
    [
        new(ModelMetadata.Prefix + "loss", _loss.ToString()),
        new(ModelMetadata.Prefix + "huber_delta", _huberDelta.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        .. _scale.Metadata,
    ];

    public static TaskHead Restore(ModelMetadata m) =>
        new RegressionHead(Enum.Parse<RegressionLoss>(m["loss"]), m.GetDouble("huber_delta"), true, LabelScale.Restore(m));
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

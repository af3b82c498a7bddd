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
internal sealed class RegressionHead : SingleOutputHead
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

    public override string MetricName => "RMSE";

    protected override DataViewType LabelType => NumberDataViewType.Single;

    protected override string TaskDescription => "regression";

    public override IEnumerable<SchemaShape.Column> OutputShape(SchemaShape.Column label) =>
        [MlNetInternals.SchemaColumn("Score", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false)];

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

    public override double FinishMetric(double sum, double count) => Math.Sqrt(sum / count);

    public override void WriteStandaloneOutputs(OnnxGraph g, string raw)
    {
        g.AddNode("Identity", [raw], "score");
        g.AddOutput("score", OnnxTensorType.Float, -1, 1);
    }

    protected override IEstimator<ITransformer> ScoreAdapter(MLContext ml) =>
        ml.Transforms.CustomMapping(new RegressionScoreMapping().GetMapping(), RegressionScoreMapping.ContractName);

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

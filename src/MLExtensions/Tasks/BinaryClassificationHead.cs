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
internal sealed class BinaryClassificationHead : SingleOutputHead
{
    public const string TaskName = "BinaryClassification";

    public override string Name => TaskName;

    public override string MetricName => "Accuracy";

    protected override DataViewType LabelType => BooleanDataViewType.Instance;

    protected override string TaskDescription => "binary classification";

    public override IEnumerable<SchemaShape.Column> OutputShape(SchemaShape.Column label) =>
    [
        MlNetInternals.SchemaColumn("Score", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false),
        MlNetInternals.SchemaColumn("Probability", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false),
        MlNetInternals.SchemaColumn("PredictedLabel", SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false),
    ];

    public override Tensor Loss(Tensor output, Tensor target) => nn.functional.binary_cross_entropy_with_logits(output, target);

    /// <summary>The log prior odds of the positive class.</summary>
    public override void InitializeOutputBias(TorchSharp.Modules.Linear layer, Tensor trainingTargets)
    {
        using var _ = no_grad();
        double p = Math.Clamp(trainingTargets.mean().item<float>(), 1e-4, 1 - 1e-4);
        layer.bias?.fill_(Math.Log(p / (1 - p)));
    }

    public override double MetricSum(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        return (output.gt(0) == target.gt(0.5)).sum().item<long>();
    }

    public override double FinishMetric(double sum, double count) => sum / count;

    public override void WriteStandaloneOutputs(OnnxGraph g, string raw)
    {
        g.AddNode("Identity", [raw], "logit");
        g.AddNode("Sigmoid", [raw], "probability");
        g.AddOutput("logit", OnnxTensorType.Float, -1, 1);
        g.AddOutput("probability", OnnxTensorType.Float, -1, 1);
    }

    protected override IEstimator<ITransformer> ScoreAdapter(MLContext ml) =>
        ml.Transforms.CustomMapping(new BinaryScoreMapping().GetMapping(), BinaryScoreMapping.ContractName);

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

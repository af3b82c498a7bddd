using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>Loss and validation metric of a task, on the network's raw outputs (regression values, logits).</summary>
internal sealed class TaskObjective
{
    private readonly PredictionKind _kind;
    private readonly RegressionLoss _loss;
    private readonly double _huberDelta;

    public TaskObjective(PredictionKind kind, RegressionLoss loss = RegressionLoss.Mse, double huberDelta = 1.0)
    {
        _kind = kind;
        _loss = loss;
        _huberDelta = huberDelta;
    }

    public string MetricName => _kind == PredictionKind.Regression ? "RMSE" : "Accuracy";

    /// <summary>Mean loss of a batch. Regression and binary targets are [B, 1] floats; multiclass targets are [B] int64 class indices.</summary>
    public Tensor Loss(Tensor output, Tensor target) => _kind switch
    {
        PredictionKind.Regression => _loss switch
        {
            RegressionLoss.Mse => nn.functional.mse_loss(output, target),
            RegressionLoss.Mae => nn.functional.l1_loss(output, target),
            RegressionLoss.Huber => nn.functional.huber_loss(output, target, _huberDelta),
            _ => throw new ArgumentOutOfRangeException(nameof(RegressionLoss), _loss, "Unknown regression loss."),
        },
        PredictionKind.BinaryClassification => nn.functional.binary_cross_entropy_with_logits(output, target),
        _ => nn.functional.cross_entropy(output, target),
    };

    /// <summary>Sum over the batch of the metric's per-row quantity: squared error for regression, correct predictions for classifiers.</summary>
    public double MetricSum(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        return _kind switch
        {
            PredictionKind.Regression => (output - target).square().sum().item<float>(),
            PredictionKind.BinaryClassification => (output.gt(0) == target.gt(0.5)).sum().item<long>(),
            _ => (output.argmax(1) == target).sum().item<long>(),
        };
    }

    /// <summary>Turns the summed metric into the reported value.</summary>
    public double FinishMetric(double sum, long count) =>
        _kind == PredictionKind.Regression ? Math.Sqrt(sum / count) : sum / count;
}

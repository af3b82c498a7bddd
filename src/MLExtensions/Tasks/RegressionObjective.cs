using MLExtensions.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Tasks;

/// <summary>
/// What the regression heads (one value per row, one per step) share: the loss (MSE, MAE or Huber with its delta in
/// label units), label scaling, and turning losses and RMSE back into label units.
/// </summary>
internal sealed record RegressionObjective
{
    public RegressionObjective(RegressionLoss loss, double huberDelta, bool labelScaling, LabelScale scale)
    {
        if (!Enum.IsDefined(loss))
            throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.Loss), loss, "Unknown regression loss: use Mse, Mae or Huber.");
        Loss = loss;
        HuberDelta = huberDelta;
        LabelScaling = labelScaling;
        Scale = scale;
    }

    public RegressionLoss Loss { get; }

    public double HuberDelta { get; }

    public bool LabelScaling { get; }

    public LabelScale Scale { get; }

    /// <summary>With label scaling, the objective for these training targets (their mean and standard deviation); else this one.</summary>
    public RegressionObjective Prepare(Tensor trainingTargets) =>
        LabelScaling ? new RegressionObjective(Loss, HuberDelta, true, LabelScale.Of(trainingTargets)) : this;

    /// <summary>The mean loss of predictions against targets, both on the training scale.</summary>
    public Tensor Compute(Tensor predicted, Tensor actual) => Loss switch
    {
        RegressionLoss.Mae => nn.functional.l1_loss(predicted, actual),
        RegressionLoss.Huber => nn.functional.huber_loss(predicted, actual, HuberDelta / Scale.Scale),
        _ => nn.functional.mse_loss(predicted, actual),
    };

    /// <summary>The factor from the training-scale loss to label units: σ for MAE, σ² for MSE and Huber.</summary>
    public double LossScale => Loss == RegressionLoss.Mae ? Scale.Scale : Scale.Scale * Scale.Scale;

    /// <summary>RMSE in label units from summed squared training-scale errors.</summary>
    public double Rmse(double squaredErrors, double count) => Math.Sqrt(squaredErrors / count) * Scale.Scale;

    /// <summary>Starts the output bias at the mean of the (finite) training targets.</summary>
    public static void InitializeBias(TorchSharp.Modules.Linear layer, Tensor trainingTargets)
    {
        using var _ = no_grad();
        using var values = trainingTargets.masked_select(trainingTargets.isnan().logical_not());
        layer.bias?.fill_(values.mean().item<float>());
    }

    public IEnumerable<KeyValuePair<string, string>> Metadata =>
    [
        new(ModelMetadata.Prefix + "loss", Loss.ToString()),
        new(ModelMetadata.Prefix + "huber_delta", HuberDelta.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        .. Scale.Metadata,
    ];

    public static RegressionObjective Restore(ModelMetadata m) =>
        new(Enum.Parse<RegressionLoss>(m["loss"]), m.GetDouble("huber_delta"), true, LabelScale.Restore(m));
}

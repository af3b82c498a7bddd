using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Tasks;

/// <summary>Starts a classifier's output bias at the log class priors, so the untrained network predicts the class frequencies.</summary>
internal static class ClassPriors
{
    /// <param name="layer">The output layer.</param>
    /// <param name="classes">0-based class indices of the training targets (any shape).</param>
    /// <param name="count">The number of classes.</param>
    public static void Initialize(Linear layer, Tensor classes, int count)
    {
        if (layer.bias is null)
            return;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var frequencies = classes.reshape(-1).cpu().bincount(null, count).to(float64);
        // Add-one smoothing keeps classes absent from the training rows at a finite log prior.
        var priors = (frequencies + 1) / (frequencies.sum() + count);
        layer.bias.copy_(priors.log().to(layer.bias.dtype).to(layer.bias.device));
    }
}

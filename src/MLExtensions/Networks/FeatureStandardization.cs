using MLExtensions.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// (x − mean) / std per feature, with the mean and standard deviation of the training rows, as the first layer of a
/// dense network: the network then trains on standardized features whatever their scales, and the export applies the
/// same standardization, so the saved model takes the features as they come. Until <see cref="Fit"/> it is the identity.
/// </summary>
internal sealed class FeatureStandardization : nn.Module<Tensor, Tensor>
{
    private readonly Tensor mean;
    private readonly Tensor scale; // 1 / std

    public FeatureStandardization(int features) : base("FeatureStandardization")
    {
        mean = torch.zeros(features);
        scale = torch.ones(features);
        register_buffer(nameof(mean), mean);
        register_buffer(nameof(scale), scale);
    }

    /// <summary>Elements (rows × features) converted to double at a time: 64 MB, whatever the number of rows.</summary>
    private const long ChunkElements = 1L << 23;

    /// <summary>
    /// Takes the statistics from the training inputs [N, features] in two passes (the mean, then the mean squared
    /// deviation), summed in double precision over chunks of rows so that large inputs are never copied whole;
    /// constant features keep a scale of 1.
    /// </summary>
    public void Fit(Tensor inputs)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long rows = inputs.shape[0], features = inputs.shape[1];
        long chunk = Math.Max(1, ChunkElements / Math.Max(1, features));
        Tensor Sum(Func<Tensor, Tensor> term)
        {
            var total = torch.zeros(features, float64, inputs.device);
            for (long start = 0; start < rows; start += chunk)
                using (NewDisposeScope())
                    total.add_(term(inputs.narrow(0, start, Math.Min(chunk, rows - start)).to(float64)).sum([0]));
            return total;
        }
        var m = Sum(x => x) / rows;
        var std = (Sum(x => (x - m).square()) / rows).sqrt();
        var inverse = torch.where(std.gt(1e-12), std.reciprocal(), torch.ones_like(std));
        mean.copy_(m.to(float32).to(mean.device));
        scale.copy_(inverse.to(float32).to(scale.device));
    }

    public override Tensor forward(Tensor x) => (x - mean) * scale;

    public string WriteOnnx(OnnxGraph g, string input)
    {
        var centered = g.Node("Sub", [input, g.AddInitializer(g.UniqueName("feature_mean"), OnnxLayers.Values(mean), mean.shape)]);
        return g.Node("Mul", [centered, g.AddInitializer(g.UniqueName("feature_scale"), OnnxLayers.Values(scale), scale.shape)]);
    }
}

using MLExtensions.Persistence;
using static TorchSharp.torch;

namespace MLExtensions.Tasks;

/// <summary>
/// The standardization of a regression label: the network learns z = (y − <see cref="Mean"/>) / <see cref="Scale"/>
/// and its ONNX export turns the output back into label units (y = z·Scale + Mean), so <c>Score</c> is in label units
/// and the saved model needs nothing else. The identity (0, 1) when scaling is off.
/// </summary>
internal readonly record struct LabelScale(double Mean, double Scale)
{
    public static readonly LabelScale Identity = new(0, 1);

    public bool IsIdentity => Mean == 0 && Scale == 1;

    /// <summary>The mean and standard deviation of the finite values of <paramref name="targets"/> (NaN marks padding); σ = 1 when they do not vary.</summary>
    public static LabelScale Of(Tensor targets)
    {
        using var scope = NewDisposeScope();
        var values = targets.masked_select(targets.isnan().logical_not()).to(float64);
        if (values.numel() == 0)
            return Identity;
        double mean = values.mean().item<double>();
        double std = values.numel() > 1 ? values.std().item<double>() : 0;
        return new LabelScale(mean, std > 1e-12 && double.IsFinite(std) ? std : 1);
    }

    /// <summary>Standardizes targets in place (padding stays NaN).</summary>
    public void Apply(Tensor targets)
    {
        if (!IsIdentity)
            targets.sub_(Mean).div_(Scale);
    }

    /// <summary>Writes y = z·Scale + Mean after <paramref name="raw"/> and returns the value in label units.</summary>
    public string WriteOnnx(Onnx.OnnxGraph g, string raw) => IsIdentity
        ? raw
        : g.Node("Add", [g.Node("Mul", [raw, g.Floats("label_scale", (float)Scale)]), g.Floats("label_mean", (float)Mean)]);

    public IEnumerable<KeyValuePair<string, string>> Metadata =>
    [
        new(ModelMetadata.Prefix + "label_mean", Mean.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        new(ModelMetadata.Prefix + "label_scale", Scale.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
    ];

    public static LabelScale Restore(ModelMetadata m) =>
        m.Has("label_mean") ? new LabelScale(m.GetDouble("label_mean"), m.GetDouble("label_scale")) : Identity;
}

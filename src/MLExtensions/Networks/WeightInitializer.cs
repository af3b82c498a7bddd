using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>Applies <see cref="WeightInitialization"/> to dense layers.</summary>
internal static class WeightInitializer
{
    public static void Apply(Linear layer, WeightInitialization scheme, double scale)
    {
        if (scheme == WeightInitialization.Default)
            return;
        using var _ = no_grad();
        switch (scheme)
        {
            case WeightInitialization.Normal: nn.init.normal_(layer.weight, 0, scale); break;
            case WeightInitialization.Uniform: nn.init.uniform_(layer.weight, -scale, scale); break;
            case WeightInitialization.Xavier: nn.init.xavier_uniform_(layer.weight); break;
            case WeightInitialization.Kaiming: nn.init.kaiming_uniform_(layer.weight, Math.Sqrt(5)); break;
            case WeightInitialization.Constant: nn.init.constant_(layer.weight, scale); break;
            default: throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.WeightInitialization), scheme, "Unknown weight initialization.");
        }
        if (layer.bias is not null)
            nn.init.zeros_(layer.bias);
    }
}

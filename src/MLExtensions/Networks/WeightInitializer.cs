using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// Applies <see cref="WeightInitialization"/> to the weight matrices of every dense (<c>Linear</c>), convolution
/// (<c>Conv1d</c>/<c>Conv2d</c>) and recurrent (<c>RNN</c>/<c>LSTM</c>/<c>GRU</c>) layer of a network, and sets their
/// biases to zero. Embeddings, normalization layers, positional tables and class tokens keep their own initialization.
/// </summary>
internal static class WeightInitializer
{
    public static void Apply(nn.Module network, WeightInitialization scheme, double scale)
    {
        if (scheme == WeightInitialization.Default)
            return;
        if (!Enum.IsDefined(scheme))
            throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.WeightInitialization), scheme, "Unknown weight initialization.");
        using var _ = no_grad();
        foreach (var module in network.modules())
        {
            if (module is not (Linear or Conv1d or Conv2d or RNN or LSTM or GRU))
                continue;
            foreach (var (name, parameter) in module.named_parameters(recurse: false))
            {
                if (name.StartsWith("bias", StringComparison.Ordinal))
                    nn.init.zeros_(parameter);
                else if (name.StartsWith("weight", StringComparison.Ordinal))
                    Initialize(parameter, scheme, scale);
            }
        }
    }

    private static void Initialize(Tensor weight, WeightInitialization scheme, double scale)
    {
        switch (scheme)
        {
            case WeightInitialization.Normal: nn.init.normal_(weight, 0, scale); break;
            case WeightInitialization.Uniform: nn.init.uniform_(weight, -scale, scale); break;
            case WeightInitialization.Xavier: nn.init.xavier_uniform_(weight); break;
            case WeightInitialization.Kaiming: nn.init.kaiming_uniform_(weight, Math.Sqrt(5)); break;
            case WeightInitialization.Constant: nn.init.constant_(weight, scale); break;
        }
    }
}

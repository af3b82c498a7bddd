using Microsoft.ML.Runtime;
using MLExtensions.Networks;
using MLExtensions.Inputs;
using MLExtensions.Tasks;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>A multilayer perceptron for regression, binary or multiclass classification.</summary>
public sealed class TorchMlpTrainer : TorchTrainerBase<MlpOptions>
{
    internal TorchMlpTrainer(IHostEnvironment? env, MlpOptions options, Func<TorchTrainerOptions, TaskHead> task)
        : base(env, options, task, "TorchMlp")
    {
    }

    private protected override void ValidateArchitectureOptions()
    {
        if (Options.HiddenLayerSizes is null || Options.HiddenLayerSizes.Any(s => s <= 0))
            throw new ArgumentOutOfRangeException(nameof(MlpOptions.HiddenLayerSizes), "Every hidden layer size must be positive.");
        if (!(Options.Dropout >= 0 && Options.Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(MlpOptions.Dropout), Options.Dropout, "Dropout must be in [0, 1).");
        if (!Enum.IsDefined(Options.Activation))
            throw new ArgumentOutOfRangeException(nameof(MlpOptions.Activation), Options.Activation, "Unknown activation.");
    }

    private protected override NetworkModule CreateNetwork(InputLayout layout, int outputSize) =>
        new MlpNetwork(((DenseVectorLayout)layout).Size, Options.HiddenLayerSizes, outputSize,
            new ActivationLayer(Options.Activation, Options.LeakyReluSlope, Options.EluAlpha), Options.Dropout, Options.FeatureScaling);
}

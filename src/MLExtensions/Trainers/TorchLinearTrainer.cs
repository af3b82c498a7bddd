using Microsoft.ML.Runtime;
using MLExtensions.Inputs;
using MLExtensions.Networks;
using MLExtensions.Tasks;

namespace MLExtensions;

/// <summary>
/// Linear, logistic or softmax regression: one dense layer trained with the shared loop (MSE/MAE/Huber, binary
/// cross-entropy, or cross-entropy).
/// </summary>
public sealed class TorchLinearTrainer : TorchTrainerBase<LinearOptions>
{
    internal TorchLinearTrainer(IHostEnvironment? env, LinearOptions options, Func<TorchTrainerOptions, TaskHead> task, string name)
        : base(env, options, task, name)
    {
    }

    private protected override NetworkModule CreateNetwork(InputLayout layout, int outputSize) =>
        new LinearNetwork(((DenseVectorLayout)layout).Size, outputSize, Options.FeatureScaling);
}

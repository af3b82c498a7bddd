using Microsoft.ML.Runtime;
using MLExtensions.Networks;
using MLExtensions.Training;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>
/// Linear, logistic or softmax regression: one dense layer trained with the shared loop (MSE/MAE/Huber, binary
/// cross-entropy, or cross-entropy).
/// </summary>
public sealed class TorchLinearTrainer : TorchTrainerBase<LinearOptions>
{
    internal TorchLinearTrainer(IHostEnvironment? env, LinearOptions options, PredictionKind kind)
        : base(env, options, kind, kind switch
        {
            PredictionKind.Regression => "TorchLinearRegression",
            PredictionKind.BinaryClassification => "TorchLogisticRegression",
            _ => "TorchSoftmaxRegression",
        })
    {
    }

    private protected override nn.Module<Tensor, Tensor> CreateNetwork(FeatureLayout layout, int outputSize) =>
        new MlpNetwork(((DenseVectorLayout)layout).Size, [], outputSize, new ActivationLayer(Activation.Relu), 0, Options.WeightInitialization, Options.InitScale);
}

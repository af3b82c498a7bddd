using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>Creates the TorchSharp optimizer named by the options.</summary>
internal static class OptimizerFactory
{
    public static optim.Optimizer Create(IEnumerable<Parameter> parameters, TorchTrainerOptions o) => o.Optimizer switch
    {
        TorchOptimizer.Sgd => optim.SGD(parameters, o.LearningRate, momentum: o.Momentum, weight_decay: o.WeightDecay, nesterov: o.Nesterov),
        TorchOptimizer.Adagrad => optim.Adagrad(parameters, o.LearningRate, weight_decay: o.WeightDecay),
        TorchOptimizer.Adadelta => optim.Adadelta(parameters, o.LearningRate, weight_decay: o.WeightDecay),
        TorchOptimizer.RmsProp => optim.RMSProp(parameters, o.LearningRate, momentum: o.Momentum, weight_decay: o.WeightDecay),
        TorchOptimizer.Adam => optim.Adam(parameters, o.LearningRate, weight_decay: o.WeightDecay),
        TorchOptimizer.AdamW => optim.AdamW(parameters, o.LearningRate, weight_decay: o.WeightDecay),
        TorchOptimizer.Lbfgs => throw new InvalidOperationException("L-BFGS runs through the training loop's full-batch path."),
        _ => throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.Optimizer), o.Optimizer, "Unknown optimizer."),
    };

    public static void SetLearningRate(optim.Optimizer optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = learningRate;
    }
}

using System.Runtime.CompilerServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>
/// Creates the TorchSharp optimizer named by the options, over one parameter group or several, each with a factor on
/// the learning rate (for example a pretrained backbone at a tenth of the new head's rate). <see cref="SetLearningRate"/>
/// sets the schedule's rate of an epoch on every group, times the group's factor.
/// </summary>
internal static class OptimizerFactory
{
    private static readonly ConditionalWeakTable<optim.Optimizer, double[]> Factors = new();

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

    /// <summary>An optimizer over <paramref name="groups"/>, each training at <c>LearningRate × factor</c>.</summary>
    public static optim.Optimizer Create(IReadOnlyList<ParameterGroup> groups, TorchTrainerOptions o)
    {
        if (groups.Count == 1 && groups[0].LearningRateFactor == 1)
            return Create(groups[0].Parameters, o);
        foreach (var g in groups)
            if (!(g.LearningRateFactor > 0) || double.IsInfinity(g.LearningRateFactor))
                throw new ArgumentOutOfRangeException(nameof(groups), g.LearningRateFactor, "A learning-rate factor must be a positive number.");
        optim.Optimizer optimizer = o.Optimizer switch
        {
            TorchOptimizer.Sgd => optim.SGD(groups.Select(g => new SGD.ParamGroup { Parameters = g.Parameters }), o.LearningRate,
                momentum: o.Momentum, weight_decay: o.WeightDecay, nesterov: o.Nesterov),
            TorchOptimizer.Adagrad => optim.Adagrad(groups.Select(g => new Adagrad.ParamGroup { Parameters = g.Parameters }), o.LearningRate, weight_decay: o.WeightDecay),
            TorchOptimizer.Adadelta => optim.Adadelta(groups.Select(g => new Adadelta.ParamGroup { Parameters = g.Parameters }), o.LearningRate, weight_decay: o.WeightDecay),
            TorchOptimizer.RmsProp => optim.RMSProp(groups.Select(g => new RMSProp.ParamGroup { Parameters = g.Parameters }), o.LearningRate,
                momentum: o.Momentum, weight_decay: o.WeightDecay),
            TorchOptimizer.Adam => optim.Adam(groups.Select(g => new Adam.ParamGroup { Parameters = g.Parameters }), o.LearningRate, weight_decay: o.WeightDecay),
            TorchOptimizer.AdamW => optim.AdamW(groups.Select(g => new AdamW.ParamGroup { Parameters = g.Parameters }), o.LearningRate, weight_decay: o.WeightDecay),
            TorchOptimizer.Lbfgs => throw new InvalidOperationException("L-BFGS runs through the training loop's full-batch path, over all parameters."),
            _ => throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.Optimizer), o.Optimizer, "Unknown optimizer."),
        };
        var factors = groups.Select(g => g.LearningRateFactor).ToArray();
        Factors.AddOrUpdate(optimizer, factors);
        foreach (var (group, factor) in optimizer.ParamGroups.Zip(factors))
        {
            group.LearningRate = o.LearningRate * factor;
            group.InitialLearningRate = o.LearningRate * factor;
        }
        return optimizer;
    }

    /// <summary>Sets <paramref name="learningRate"/> on every parameter group, times the group's factor.</summary>
    public static void SetLearningRate(optim.Optimizer optimizer, double learningRate)
    {
        var factors = Factors.TryGetValue(optimizer, out var f) ? f : null;
        int i = 0;
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = learningRate * (factors is null ? 1 : factors[i++]);
    }
}

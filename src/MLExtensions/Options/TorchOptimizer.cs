namespace MLExtensions;

/// <summary>The optimization algorithm used to update the network's weights.</summary>
public enum TorchOptimizer
{
    /// <summary>Stochastic gradient descent, optionally with momentum and Nesterov momentum.</summary>
    Sgd,
    /// <summary>AdaGrad: per-parameter learning rates scaled by accumulated squared gradients.</summary>
    Adagrad,
    /// <summary>AdaDelta: AdaGrad with a decaying window and unit correction.</summary>
    Adadelta,
    /// <summary>RMSprop: a decaying average of squared gradients.</summary>
    RmsProp,
    /// <summary>Adam: adaptive moments.</summary>
    Adam,
    /// <summary>AdamW: Adam with decoupled weight decay.</summary>
    AdamW,
    /// <summary>
    /// Full-batch L-BFGS with a backtracking line search: each epoch is one quasi-Newton iteration over all training rows
    /// (the line search chooses the step, so <see cref="TorchTrainerOptions.LearningRate"/>, the schedule and
    /// <see cref="TorchTrainerOptions.BatchSize"/> do not apply); training stops early when the loss stops changing.
    /// <see cref="TorchTrainerOptions.WeightDecay"/> is an L2 penalty ½·λ·‖W‖² on the weights (not the biases).
    /// </summary>
    Lbfgs,
}

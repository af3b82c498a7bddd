namespace MLExtensions;

/// <summary>How the learning rate changes from epoch to epoch after the optional warm-up.</summary>
public enum LearningRateSchedule
{
    /// <summary>The learning rate stays constant.</summary>
    Constant,
    /// <summary>Multiply by <see cref="TorchTrainerOptions.LearningRateDecay"/> every <see cref="TorchTrainerOptions.LearningRateStepSize"/> epochs.</summary>
    Step,
    /// <summary>Multiply by <see cref="TorchTrainerOptions.LearningRateDecay"/> every epoch.</summary>
    Exponential,
    /// <summary>Cosine annealing from the learning rate down to <see cref="TorchTrainerOptions.MinLearningRate"/> over the remaining epochs.</summary>
    Cosine,
}

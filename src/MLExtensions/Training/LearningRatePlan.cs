namespace MLExtensions.Training;

/// <summary>The learning rate of each epoch: linear warm-up, then the configured schedule.</summary>
internal static class LearningRatePlan
{
    /// <param name="o">The options.</param>
    /// <param name="epoch">0-based epoch.</param>
    public static double ForEpoch(TorchTrainerOptions o, int epoch)
    {
        if (epoch < o.WarmupEpochs)
            return o.LearningRate * (epoch + 1) / (o.WarmupEpochs + 1);
        int t = epoch - o.WarmupEpochs;
        int span = Math.Max(1, o.Epochs - o.WarmupEpochs);
        return o.LearningRateSchedule switch
        {
            LearningRateSchedule.Constant => o.LearningRate,
            LearningRateSchedule.Step => o.LearningRate * Math.Pow(o.LearningRateDecay, t / Math.Max(1, o.LearningRateStepSize)),
            LearningRateSchedule.Exponential => o.LearningRate * Math.Pow(o.LearningRateDecay, t),
            LearningRateSchedule.Cosine => o.MinLearningRate + (o.LearningRate - o.MinLearningRate) * (1 + Math.Cos(Math.PI * t / span)) / 2,
            _ => throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.LearningRateSchedule), o.LearningRateSchedule, "Unknown schedule."),
        };
    }
}

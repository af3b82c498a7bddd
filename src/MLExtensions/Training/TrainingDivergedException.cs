namespace MLExtensions;

/// <summary>Training produced a loss that is not a finite number; no model is returned.</summary>
public sealed class TrainingDivergedException : InvalidOperationException
{
    internal TrainingDivergedException(string trainer, int epoch, long? batch, double loss, bool validation)
        : base(Message(trainer, epoch, batch, loss, validation))
    {
        Epoch = epoch;
        Batch = batch;
    }

    /// <summary>The 1-based epoch in which the loss stopped being finite.</summary>
    public int Epoch { get; }

    /// <summary>The 1-based batch of that epoch, or null when it was the validation loss (or a full-batch step).</summary>
    public long? Batch { get; }

    private static new string Message(string trainer, int epoch, long? batch, double loss, bool validation)
    {
        string where = validation ? $"the validation loss after epoch {epoch}" : batch is long b ? $"the training loss in epoch {epoch}, batch {b}" : $"the training loss in epoch {epoch}";
        return $"{trainer} diverged: {where} is {loss.ToString(System.Globalization.CultureInfo.InvariantCulture)}. Training stopped and no model " +
            "was returned. Try a smaller LearningRate, set GradientClipNorm (for example 1), normalize the features (for example " +
            "mlContext.Transforms.NormalizeMeanVariance), or check the data for extreme values.";
    }
}

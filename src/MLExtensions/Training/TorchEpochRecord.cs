namespace MLExtensions;

/// <summary>What happened in one training epoch. Two records are equal when all their values are.</summary>
public sealed record TorchEpochRecord
{
    internal TorchEpochRecord(int epoch, double trainLoss, double? validationLoss, double? validationMetric,
        string validationMetricName, double learningRate, double seconds)
    {
        Epoch = epoch;
        TrainLoss = trainLoss;
        ValidationLoss = validationLoss;
        ValidationMetric = validationMetric;
        ValidationMetricName = validationMetricName;
        LearningRate = learningRate;
        Seconds = seconds;
    }

    /// <summary>1-based epoch number.</summary>
    public int Epoch { get; }

    /// <summary>Mean training loss over the epoch's mini-batches, weighted by batch size.</summary>
    public double TrainLoss { get; }

    /// <summary>Mean loss on the validation data, when there is any.</summary>
    public double? ValidationLoss { get; }

    /// <summary>The validation metric (<see cref="ValidationMetricName"/>), when there is validation data.</summary>
    public double? ValidationMetric { get; }

    /// <summary>"Accuracy" for classifiers, "RMSE" for regression.</summary>
    public string ValidationMetricName { get; }

    /// <summary>The learning rate used during the epoch.</summary>
    public double LearningRate { get; }

    /// <summary>Wall-clock seconds spent on the epoch, validation included.</summary>
    public double Seconds { get; }

    /// <inheritdoc />
    public override string ToString()
    {
        var text = FormattableString.Invariant($"epoch {Epoch,3}: train loss {TrainLoss:F6}");
        if (ValidationLoss is double vl)
            text += FormattableString.Invariant($", validation loss {vl:F6}, {ValidationMetricName} {ValidationMetric:F4}");
        return text + FormattableString.Invariant($", lr {LearningRate:G4}, {Seconds:F2}s");
    }
}

namespace MLExtensions.Plots;

/// <summary>Options of <see cref="TrainingCurvePlot"/>.</summary>
public sealed class TrainingCurveOptions : PlotOptions
{
    /// <summary>
    /// The epoch to mark as the best one. When null it is found the way the trainers find it: the first epoch whose
    /// validation loss beat every earlier one by more than <see cref="EarlyStoppingMinDelta"/>. With
    /// <c>RestoreBestWeights</c> (the default) the fitted model keeps that epoch's weights.
    /// </summary>
    public int? BestEpoch { get; set; }

    /// <summary>The trainer's <c>EarlyStoppingMinDelta</c>, used to find the best epoch; 0 by default, as in the trainers.</summary>
    public double EarlyStoppingMinDelta { get; set; }

    /// <summary>Mark the best epoch (only when there is validation data). True by default.</summary>
    public bool MarkBestEpoch { get; set; } = true;

    /// <summary>
    /// The loss axis: <see cref="PlotScale.Auto"/> (the default) turns logarithmic when the losses span more than a
    /// factor of 20, as a first epoch's mean squared error often does, so the later epochs stay readable.
    /// </summary>
    public PlotScale LossScale { get; set; }
}

namespace MLExtensions.Plots;

/// <summary>Pictures of a training history: <c>model.History.SavePlot("curve.png")</c>.</summary>
public static class TrainingHistoryExtensions
{
    /// <summary>Writes the training curve (see <see cref="TrainingCurvePlot"/>) as PNG or SVG, by the extension of <paramref name="path"/>.</summary>
    public static void SavePlot(this IReadOnlyList<TorchEpochRecord> history, string path, TrainingCurveOptions? options = null) =>
        TrainingCurvePlot.Save(history, path, options);
}

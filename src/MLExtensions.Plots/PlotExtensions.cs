using Microsoft.ML.Data;

namespace MLExtensions.Plots;

/// <summary>
/// Pictures as one call on what ML.NET and MLExtensions return: <c>model.History.SavePlot("curve.png")</c>,
/// <c>metrics.ConfusionMatrix.SavePlot("confusion.svg")</c>. The file's extension (.png or .svg) picks the format.
/// </summary>
public static class PlotExtensions
{
    /// <summary>Writes the training curve (see <see cref="TrainingCurvePlot"/>).</summary>
    public static void SavePlot(this IReadOnlyList<TorchEpochRecord> history, string path, TrainingCurveOptions? options = null) =>
        TrainingCurvePlot.Save(history, path, options);

    /// <summary>Writes the confusion matrix (see <see cref="ConfusionMatrixPlot"/>).</summary>
    public static void SavePlot(this ConfusionMatrix matrix, string path, ConfusionMatrixPlotOptions? options = null) =>
        ConfusionMatrixPlot.Save(matrix, path, options);
}

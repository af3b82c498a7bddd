using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Plots;

namespace MLExtensions.Samples.Common;

/// <summary>
/// The pictures a sample writes next to its model zip in artifacts/models/: <c>&lt;Model&gt;.training.png</c> (the
/// training curve), <c>&lt;Model&gt;.confusion.png</c>, <c>&lt;Model&gt;.predictions.png</c> and
/// <c>&lt;Model&gt;.attention.png</c>. Each call prints the file it wrote.
/// </summary>
public static class SamplePlots
{
    /// <summary>The training curve of the model's network (<see cref="NetworkTransformer.History"/>).</summary>
    public static string SaveTrainingCurve(ITransformer model, string modelPath, string title) =>
        Write(modelPath, "training", "Training curve", path =>
            model.GetNetwork().History.SavePlot(path, new TrainingCurveOptions { Title = title }));

    /// <summary>
    /// The confusion matrix of multiclass test metrics; the class names are the values of the label key the model's
    /// pipeline makes from <paramref name="testData"/>.
    /// </summary>
    public static string SaveConfusionMatrix(MulticlassClassificationMetrics metrics, ITransformer model, IDataView testData,
        string modelPath, string title, string labelColumnName = "Label") =>
        Write(modelPath, "confusion", "Confusion matrix", path =>
            metrics.ConfusionMatrix.SavePlot(path, new ConfusionMatrixPlotOptions
            {
                Title = title, ClassNames = LabelNames.FromKeyColumn(model.GetOutputSchema(testData.Schema), labelColumnName),
            }));

    /// <summary>Predicted against actual values of scored regression test data (its label and Score columns).</summary>
    public static string SavePredictedVsActual(IDataView scored, string modelPath, string title, string quantity,
        string labelColumnName = "Label") =>
        Write(modelPath, "predictions", "Predicted vs actual", path =>
            PredictedVsActualPlot.Save(scored, path, new PredictedVsActualOptions
            {
                Title = title, Quantity = quantity, LabelColumnName = labelColumnName,
            }));

    /// <summary>Attention weights of one row, one panel per head.</summary>
    public static string SaveAttentionHeatMap(float[][,] weights, int layer, IReadOnlyList<string>? tokens, string modelPath, string title) =>
        Write(modelPath, "attention", "Attention heat map", path =>
            AttentionHeatMapPlot.Save(weights, path, new AttentionHeatMapOptions { Title = title, Layer = layer, Tokens = tokens }));

    private static string Write(string modelPath, string kind, string what, Action<string> save)
    {
        string path = Path.ChangeExtension(modelPath, "." + kind + ".png");
        save(path);
        Console.WriteLine($"  {what}: {SamplePaths.Relative(path)}");
        return path;
    }
}

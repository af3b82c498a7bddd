using System.Globalization;
using Microsoft.ML.Data;

namespace MLExtensions.Samples.Common;

/// <summary>Console output shared by the samples: headers and metric tables.</summary>
public static class ConsoleHelper
{
    public static void PrintHeader(string title)
    {
        string line = new('=', Math.Max(72, title.Length + 4));
        Console.WriteLine();
        Console.WriteLine(line);
        Console.WriteLine($"  {title}");
        Console.WriteLine(line);
    }

    public static void PrintSection(string title)
    {
        Console.WriteLine();
        Console.WriteLine($"--- {title} ---");
    }

    /// <summary>Per-epoch training history of a fitted MLExtensions model.</summary>
    public static void PrintHistory(NetworkTransformer model)
    {
        foreach (var epoch in model.History)
            Console.WriteLine($"  {epoch}");
    }

    /// <summary>One line about how training went: epochs run and the best validation loss, when there was validation data.</summary>
    public static void PrintTrainingSummary(string name, NetworkTransformer model)
    {
        var last = model.History[^1];
        string text = Invariant($"  {name}: {model.History.Count} epochs, final train loss {last.TrainLoss:F4}");
        var best = model.History.Where(e => e.ValidationLoss is not null).MinBy(e => e.ValidationLoss);
        if (best is not null)
            text += Invariant($", best validation loss {best.ValidationLoss:F4} ({best.ValidationMetricName} {best.ValidationMetric:F4}) at epoch {best.Epoch}");
        Console.WriteLine(text + Invariant($", {model.History.Sum(e => e.Seconds):F1}s"));
    }

    public static void PrintRegressionMetrics(params (string Model, RegressionMetrics Metrics)[] models) =>
        PrintTable(models.Select(m => m.Model).ToArray(),
        [
            ("R²", models.Select(m => m.Metrics.RSquared).ToArray()),
            ("RMSE", models.Select(m => m.Metrics.RootMeanSquaredError).ToArray()),
            ("MAE", models.Select(m => m.Metrics.MeanAbsoluteError).ToArray()),
            ("MSE", models.Select(m => m.Metrics.MeanSquaredError).ToArray()),
        ]);

    public static void PrintBinaryMetrics(params (string Model, CalibratedBinaryClassificationMetrics Metrics)[] models)
    {
        PrintTable(models.Select(m => m.Model).ToArray(),
        [
            ("Accuracy", models.Select(m => m.Metrics.Accuracy).ToArray()),
            ("AUC", models.Select(m => m.Metrics.AreaUnderRocCurve).ToArray()),
            ("F1 score", models.Select(m => m.Metrics.F1Score).ToArray()),
            ("Log-loss", models.Select(m => m.Metrics.LogLoss).ToArray()),
        ]);
        foreach (var (model, metrics) in models)
            PrintConfusionMatrix(model, metrics.ConfusionMatrix);
    }

    public static void PrintMulticlassMetrics(params (string Model, MulticlassClassificationMetrics Metrics)[] models)
    {
        PrintMulticlassTable(models);
        foreach (var (model, metrics) in models)
            PrintConfusionMatrix(model, metrics.ConfusionMatrix);
    }

    /// <summary>The multiclass metric table without the confusion matrices.</summary>
    public static void PrintMulticlassTable(params (string Model, MulticlassClassificationMetrics Metrics)[] models) =>
        PrintTable(models.Select(m => m.Model).ToArray(),
        [
            ("Micro accuracy", models.Select(m => m.Metrics.MicroAccuracy).ToArray()),
            ("Macro accuracy", models.Select(m => m.Metrics.MacroAccuracy).ToArray()),
            ("Log-loss", models.Select(m => m.Metrics.LogLoss).ToArray()),
        ]);

    public static void PrintConfusionMatrix(string model, ConfusionMatrix matrix)
    {
        Console.WriteLine();
        Console.WriteLine($"  Confusion matrix, {model}:");
        Console.WriteLine(matrix.GetFormattedConfusionTable());
    }

    /// <summary>A table with one row per metric and one column per model.</summary>
    private static void PrintTable(string[] models, (string Metric, double[] Values)[] rows)
    {
        int first = Math.Max("Metric".Length, rows.Max(r => r.Metric.Length)) + 2;
        int[] widths = models.Select(m => Math.Max(m.Length, 10) + 2).ToArray();
        Console.WriteLine();
        Console.WriteLine("  " + "Metric".PadRight(first) + string.Concat(models.Select((m, i) => m.PadLeft(widths[i]))));
        Console.WriteLine("  " + new string('-', first + widths.Sum()));
        foreach (var (metric, values) in rows)
            Console.WriteLine("  " + metric.PadRight(first) + string.Concat(values.Select((v, i) => Invariant($"{v:F4}").PadLeft(widths[i]))));
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

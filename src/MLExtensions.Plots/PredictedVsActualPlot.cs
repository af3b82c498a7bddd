using Microsoft.ML;
using Microsoft.ML.Data;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using static MLExtensions.Plots.PlotStyle;

namespace MLExtensions.Plots;

/// <summary>
/// A regression model's predictions against the actual values: one point per row, the diagonal of perfect
/// predictions, and R², RMSE and MAE of the points in the subtitle.
/// </summary>
public static class PredictedVsActualPlot
{
    /// <summary>Key (and first word of the title) of the horizontal axis.</summary>
    public const string ActualAxisKey = "actual";

    /// <summary>Key (and first word of the title) of the vertical axis.</summary>
    public const string PredictedAxisKey = "predicted";

    /// <summary>Default size in pixels.</summary>
    public const int DefaultWidth = 720, DefaultHeight = 720;

    /// <summary>Writes the scatter of scored data (its <see cref="PredictedVsActualOptions.LabelColumnName"/> and
    /// <see cref="PredictedVsActualOptions.ScoreColumnName"/> columns) as PNG or SVG.</summary>
    public static void Save(IDataView scored, string path, PredictedVsActualOptions? options = null)
    {
        var (actual, predicted) = Read(scored, options ?? new PredictedVsActualOptions());
        Save(actual, predicted, path, options);
    }

    /// <summary>Writes the scatter of <paramref name="actual"/> against <paramref name="predicted"/> as PNG or SVG.</summary>
    public static void Save(IReadOnlyList<float> actual, IReadOnlyList<float> predicted, string path, PredictedVsActualOptions? options = null)
    {
        var model = Create(actual, predicted, options);
        PlotFile.Save(model, path, options?.Width > 0 ? options.Width : FitTitle(model, DefaultWidth), options?.Height > 0 ? options.Height : DefaultHeight);
    }

    /// <summary>The plot model of scored data.</summary>
    public static PlotModel Create(IDataView scored, PredictedVsActualOptions? options = null)
    {
        var (actual, predicted) = Read(scored, options ?? new PredictedVsActualOptions());
        return Create(actual, predicted, options);
    }

    /// <summary>
    /// The plot model: a <see cref="ScatterSeries"/> titled "rows" with one point (actual, predicted) per row, and a
    /// <see cref="LineSeries"/> "perfect prediction" along the diagonal.
    /// </summary>
    public static PlotModel Create(IReadOnlyList<float> actual, IReadOnlyList<float> predicted, PredictedVsActualOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.Count != predicted.Count)
            throw new ArgumentException($"{actual.Count} actual values but {predicted.Count} predictions; give one prediction per row.", nameof(predicted));
        if (actual.Count == 0)
            throw new ArgumentException("There are no rows to draw.", nameof(actual));
        for (int i = 0; i < actual.Count; i++)
            if (!float.IsFinite(actual[i]) || !float.IsFinite(predicted[i]))
                throw new ArgumentException($"Row {i} has actual {actual[i]} and prediction {predicted[i]}; both must be finite numbers.", nameof(actual));
        options ??= new PredictedVsActualOptions();
        string quantity = options.Quantity ?? "value";

        int n = actual.Count;
        double mean = actual.Average(v => (double)v);
        double sse = 0, sae = 0, sst = 0;
        for (int i = 0; i < n; i++)
        {
            double e = predicted[i] - (double)actual[i];
            sse += e * e;
            sae += Math.Abs(e);
            sst += (actual[i] - mean) * (actual[i] - mean);
        }
        string r2 = sst > 0 ? Invariant($"R² {1 - sse / sst:0.000}, ") : "";
        var model = NewModel(options.Title ?? "Predicted vs actual",
            options.Subtitle ?? Invariant($"{n} rows; {r2}RMSE {Math.Sqrt(sse / n):G4}, MAE {sae / n:G4}"));
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.LeftTop, LegendBorderThickness = 0, LegendBackground = OxyColor.FromAColor(200, OxyColors.White) });

        double low = Math.Min(actual.Min(), predicted.Min()), high = Math.Max(actual.Max(), predicted.Max());
        double pad = high > low ? (high - low) * 0.04 : 1;
        foreach (var (key, position) in new[] { (ActualAxisKey, AxisPosition.Bottom), (PredictedAxisKey, AxisPosition.Left) })
            model.Axes.Add(new LinearAxis
            {
                Key = key, Position = position, Title = key + " " + quantity, Minimum = low - pad, Maximum = high + pad,
                MajorGridlineStyle = LineStyle.Dot, MajorGridlineColor = GridColor,
            });

        var diagonal = new LineSeries
        {
            Title = "perfect prediction", Color = Gray, LineStyle = LineStyle.Dash, StrokeThickness = 1.5,
            XAxisKey = ActualAxisKey, YAxisKey = PredictedAxisKey,
        };
        diagonal.Points.Add(new DataPoint(low - pad, low - pad));
        diagonal.Points.Add(new DataPoint(high + pad, high + pad));
        model.Series.Add(diagonal);

        var points = new ScatterSeries
        {
            Title = "rows", MarkerType = MarkerType.Circle, MarkerSize = n > 2000 ? 2 : 3,
            MarkerFill = OxyColor.FromAColor(150, Blue), MarkerStrokeThickness = 0, XAxisKey = ActualAxisKey, YAxisKey = PredictedAxisKey,
        };
        for (int i = 0; i < n; i++)
            points.Points.Add(new ScatterPoint(actual[i], predicted[i]));
        model.Series.Add(points);
        return model;
    }

    private static (float[] Actual, float[] Predicted) Read(IDataView scored, PredictedVsActualOptions options)
    {
        ArgumentNullException.ThrowIfNull(scored);
        return (ReadColumn(scored, options.LabelColumnName, "actual values"), ReadColumn(scored, options.ScoreColumnName, "predictions"));
    }

    private static float[] ReadColumn(IDataView data, string name, string role)
    {
        var column = data.Schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(data), $"The scored data has no column '{name}' (the {role}).");
        if (column.Type != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(data), $"Column '{name}' (the {role}) must be Single, but it is {column.Type}.");
        return data.GetColumn<float>(name).ToArray();
    }
}

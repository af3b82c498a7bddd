using Microsoft.ML.Data;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;
using static MLExtensions.Plots.PlotStyle;

namespace MLExtensions.Plots;

/// <summary>
/// A confusion matrix (ML.NET's <see cref="ConfusionMatrix"/> from the multiclass or binary metrics) as a picture:
/// actual classes down, predicted classes across, each cell's count written in it and shaded by its share of the
/// actual class (row-normalised, so the diagonal shows each class's recall).
/// </summary>
public static class ConfusionMatrixPlot
{
    /// <summary>Key of the horizontal axis (predicted class index).</summary>
    public const string PredictedAxisKey = "predicted";

    /// <summary>Key of the vertical axis (actual class index, first class at the top).</summary>
    public const string ActualAxisKey = "actual";

    /// <summary>Key of the colour axis (share of the row).</summary>
    public const string ColorAxisKey = "share";

    /// <summary>Writes the matrix as PNG or SVG (by the extension of <paramref name="path"/>).</summary>
    public static void Save(ConfusionMatrix matrix, string path, ConfusionMatrixPlotOptions? options = null)
    {
        var model = Create(matrix, options);
        var (width, height) = Size(matrix.NumberOfClasses, options);
        PlotFile.Save(model, path, options?.Width > 0 ? options.Width : FitTitle(model, width), options?.Height > 0 ? options.Height : height);
    }

    /// <summary>
    /// The plot model: a <see cref="HeatMapSeries"/> whose <c>Data[predicted, actual]</c> is the row-normalised share,
    /// and one <see cref="TextAnnotation"/> per cell with its count.
    /// </summary>
    public static PlotModel Create(ConfusionMatrix matrix, ConfusionMatrixPlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        options ??= new ConfusionMatrixPlotOptions();
        int n = matrix.NumberOfClasses;
        if (options.ClassNames is { } given && given.Count != n)
            throw new ArgumentException($"{given.Count} class names were given for a confusion matrix of {n} classes.", nameof(options));
        var names = options.ClassNames ?? Enumerable.Range(1, n).Select(i => Invariant($"class {i}")).ToArray();

        double total = 0, correct = 0;
        var shares = new double[n, n];
        for (int actual = 0; actual < n; actual++)
        {
            double rowSum = matrix.Counts[actual].Sum();
            total += rowSum;
            correct += matrix.Counts[actual][actual];
            for (int predicted = 0; predicted < n; predicted++)
                shares[predicted, actual] = rowSum > 0 ? matrix.Counts[actual][predicted] / rowSum : 0;
        }

        var model = NewModel(options.Title ?? "Confusion matrix",
            options.Subtitle ?? Invariant($"{total:0} rows, accuracy {(total > 0 ? correct / total : 0):0.000}; shading: share of the actual class"));
        model.PlotAreaBorderThickness = new OxyThickness(1);
        bool rotate = names.Max(s => s.Length) > 6 && n > 3;
        model.Axes.Add(ClassAxis(PredictedAxisKey, AxisPosition.Bottom, "predicted class", names, rotate));
        model.Axes.Add(ClassAxis(ActualAxisKey, AxisPosition.Left, "actual class", names, false));
        model.Axes.Add(new LinearColorAxis
        {
            Key = ColorAxisKey, Position = AxisPosition.Right, Title = "share of the actual class", Minimum = 0, Maximum = 1,
            Palette = OxyPalette.Interpolate(256, OxyColors.White, OxyColor.FromRgb(0x6B, 0xAE, 0xD6), OxyColor.FromRgb(0x08, 0x30, 0x6B)),
            StringFormat = "0%", MajorStep = 0.25, MinorStep = 0.25,
        });
        model.Series.Add(new HeatMapSeries
        {
            Title = "share of the actual class", Data = shares, X0 = 0, X1 = n - 1, Y0 = 0, Y1 = n - 1,
            CoordinateDefinition = HeatMapCoordinateDefinition.Center, Interpolate = false, RenderMethod = HeatMapRenderMethod.Rectangles,
            ColorAxisKey = ColorAxisKey, XAxisKey = PredictedAxisKey, YAxisKey = ActualAxisKey,
        });

        double fontSize = Math.Clamp(220.0 / n, 9, 16);
        for (int actual = 0; actual < n; actual++)
            for (int predicted = 0; predicted < n; predicted++)
                model.Annotations.Add(new TextAnnotation
                {
                    Text = Invariant($"{matrix.Counts[actual][predicted]:0}"), TextPosition = new DataPoint(predicted, actual),
                    TextHorizontalAlignment = HorizontalAlignment.Center, TextVerticalAlignment = VerticalAlignment.Middle,
                    StrokeThickness = 0, FontSize = fontSize, FontWeight = predicted == actual ? FontWeights.Bold : FontWeights.Normal,
                    TextColor = shares[predicted, actual] > 0.5 ? OxyColors.White : OxyColors.Black,
                    XAxisKey = PredictedAxisKey, YAxisKey = ActualAxisKey,
                });
        return model;
    }

    /// <summary>The default size: square cells of 40–90 pixels plus room for the class names and the colour bar.</summary>
    internal static (int Width, int Height) Size(int classes, ConfusionMatrixPlotOptions? options)
    {
        int cell = Math.Clamp(560 / Math.Max(classes, 1), 40, 90);
        int longest = options?.ClassNames?.Max(s => s.Length) ?? 8;
        int labelRoom = Math.Clamp(longest * 8, 50, 160);
        return (classes * cell + labelRoom + 210, classes * cell + labelRoom + 140);
    }

    private static LinearAxis ClassAxis(string key, AxisPosition position, string title, IReadOnlyList<string> names, bool rotate) => new()
    {
        Key = key, Position = position, Title = title, Minimum = -0.5, Maximum = names.Count - 0.5, MajorStep = 1, MinorStep = 1,
        TickStyle = TickStyle.None, MajorGridlineStyle = LineStyle.None, IsZoomEnabled = false, IsPanEnabled = false,
        // Actual classes read top to bottom in the matrix's order.
        StartPosition = position == AxisPosition.Left ? 1 : 0, EndPosition = position == AxisPosition.Left ? 0 : 1,
        Angle = rotate ? -45 : 0, LabelFormatter = IndexLabels(names),
    };
}

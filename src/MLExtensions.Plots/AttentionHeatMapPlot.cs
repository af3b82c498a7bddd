using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;
using static MLExtensions.Plots.PlotStyle;

namespace MLExtensions.Plots;

/// <summary>
/// Attention weights as heat maps, one panel per head (the <c>float[head][query, key]</c> matrices that
/// <see cref="NetworkTransformer.GetAttentionWeights"/> returns): rows are queries, columns keys, one colour scale from 0 to
/// the largest weight for every panel.
/// </summary>
public static class AttentionHeatMapPlot
{
    /// <summary>Key of the colour axis.</summary>
    public const string ColorAxisKey = "weight";

    private const int Margin = 90, ColorBarWidth = 110, TitleHeight = 70, PanelTitleHeight = 28, Gap = 36;

    /// <summary>Writes the heat maps as PNG or SVG (by the extension of <paramref name="path"/>).</summary>
    public static void Save(float[][,] heads, string path, AttentionHeatMapOptions? options = null)
    {
        var model = Create(heads, options);
        var (width, height, _) = Size(heads, options);
        PlotFile.Save(model, path, options?.Width > 0 ? options.Width : FitTitle(model, width), options?.Height > 0 ? options.Height : height);
    }

    /// <summary>
    /// The plot model: one <see cref="HeatMapSeries"/> per head (titled "head h"), whose <c>Data[key, query]</c> holds
    /// the weight of query row <c>query</c> on key <c>key</c>.
    /// </summary>
    public static PlotModel Create(float[][,] heads, AttentionHeatMapOptions? options = null)
    {
        Validate(heads, options);
        options ??= new AttentionHeatMapOptions();
        int queries = heads[0].GetLength(0), keys = heads[0].GetLength(1);
        var (columns, rows) = Grid(heads.Length, options);
        double max = heads.Max(h => h.Cast<float>().Max());
        string layer = options.Layer is int l ? Invariant($"layer {l}, ") : "";

        var model = NewModel(options.Title ?? "Attention weights",
            options.Subtitle ?? Invariant($"{layer}{heads.Length} heads; row: a query position, column: the key position it attends to; each row sums to 1"));
        model.PlotAreaBorderThickness = new OxyThickness(0);

        // Panels share the axes of their grid column (keys) and grid row (queries), like a grid of subplots.
        double columnWidth = 1.0 / columns, rowHeight = 1.0 / rows;
        var size = Size(heads, options);
        double gapX = Math.Min(0.3, Gap / (double)(size.Width - 2 * Margin - ColorBarWidth) * columns) * columnWidth;
        double gapY = Math.Min(0.3, (PanelTitleHeight + 8) / (double)(size.Height - TitleHeight - Margin) * rows) * rowHeight;
        var keyAxes = new LinearAxis[columns];
        for (int c = 0; c < columns; c++)
        {
            keyAxes[c] = PositionAxis(AxisPosition.Bottom, "key", keys, options.Tokens, c * columnWidth + gapX / 2, (c + 1) * columnWidth - gapX / 2, size.PanelSide);
            keyAxes[c].Key = "key" + c;
            model.Axes.Add(keyAxes[c]);
        }
        var queryAxes = new LinearAxis[rows];
        for (int r = 0; r < rows; r++)
        {
            // Reversed (start above end): query 0 at the top of each panel. Row 0 of the grid is the top row.
            double top = 1 - r * rowHeight - gapY, bottom = 1 - (r + 1) * rowHeight;
            queryAxes[r] = PositionAxis(AxisPosition.Left, "query", queries, options.Tokens, top, bottom, size.PanelSide);
            queryAxes[r].Key = "query" + r;
            model.Axes.Add(queryAxes[r]);
        }
        model.Axes.Add(new LinearColorAxis
        {
            Key = ColorAxisKey, Position = AxisPosition.Right, Title = "attention weight", Minimum = 0, Maximum = max > 0 ? max : 1,
            Palette = OxyPalettes.Viridis(256), HighColor = OxyColors.Undefined, LowColor = OxyColors.Undefined, StringFormat = "0.##",
            StartPosition = 1 - rows * rowHeight, EndPosition = 1 - gapY,
        });

        for (int h = 0; h < heads.Length; h++)
        {
            int c = h % columns, r = h / columns;
            var data = new double[keys, queries];
            for (int q = 0; q < queries; q++)
                for (int k = 0; k < keys; k++)
                    data[k, q] = heads[h][q, k];
            model.Series.Add(new HeatMapSeries
            {
                Title = Invariant($"head {h}"), Data = data, X0 = 0, X1 = keys - 1, Y0 = 0, Y1 = queries - 1,
                CoordinateDefinition = HeatMapCoordinateDefinition.Center, Interpolate = false, RenderMethod = HeatMapRenderMethod.Rectangles,
                XAxisKey = keyAxes[c].Key, YAxisKey = queryAxes[r].Key, ColorAxisKey = ColorAxisKey,
            });
            model.Annotations.Add(new TextAnnotation
            {
                Text = Invariant($"{layer}head {h}"), TextPosition = new DataPoint((keys - 1) / 2.0, -0.5),
                XAxisKey = keyAxes[c].Key, YAxisKey = queryAxes[r].Key, StrokeThickness = 0, FontWeight = FontWeights.Bold,
                FontSize = 13, TextHorizontalAlignment = HorizontalAlignment.Center, TextVerticalAlignment = VerticalAlignment.Bottom,
                Offset = new ScreenVector(0, 14), ClipByXAxis = false, ClipByYAxis = false, Layer = AnnotationLayer.AboveSeries,
            });
        }
        return model;
    }

    /// <summary>The picture's default size: square panels plus room for the titles, the axes and the colour bar.</summary>
    internal static (int Width, int Height, int PanelSide) Size(float[][,] heads, AttentionHeatMapOptions? options)
    {
        Validate(heads, options);
        int positions = Math.Max(heads[0].GetLength(0), heads[0].GetLength(1));
        int side = options?.PanelSize > 0 ? options.PanelSize : Math.Clamp(13 * positions, 200, 680);
        var (columns, rows) = Grid(heads.Length, options);
        int width = 2 * Margin + ColorBarWidth + columns * side + (columns - 1) * Gap;
        int height = TitleHeight + Margin + rows * (side + PanelTitleHeight + 8);
        return (width, height, side);
    }

    private static (int Columns, int Rows) Grid(int count, AttentionHeatMapOptions? options)
    {
        int columns = options?.Columns > 0 ? Math.Min(options.Columns, count) : (int)Math.Ceiling(Math.Sqrt(count));
        return (columns, (count + columns - 1) / columns);
    }

    /// <summary>An axis over positions 0..count-1, labelled with the tokens (as many as fit) or the position numbers.</summary>
    private static LinearAxis PositionAxis(AxisPosition position, string title, int count, IReadOnlyList<string>? tokens,
        double start, double end, int panelSide)
    {
        int step = Math.Max(1, (int)Math.Ceiling(count * 13.0 / panelSide));
        var axis = new LinearAxis
        {
            Position = position, Title = tokens is null ? title + " position" : title, StartPosition = start, EndPosition = end,
            Minimum = -0.5, Maximum = count - 0.5, MajorStep = step, MinorStep = 1, TickStyle = TickStyle.Outside,
            MinorTickSize = 2, IsZoomEnabled = false, IsPanEnabled = false, FontSize = 11,
            MajorGridlineStyle = LineStyle.None, AxislineStyle = LineStyle.None,
        };
        if (tokens is not null)
        {
            axis.LabelFormatter = IndexLabels(tokens);
            if (position == AxisPosition.Bottom && tokens.Any(t => t.Length > 2))
                axis.Angle = -90;
        }
        else
        {
            axis.StringFormat = "0";
        }
        return axis;
    }

    private static void Validate(float[][,] heads, AttentionHeatMapOptions? options)
    {
        ArgumentNullException.ThrowIfNull(heads);
        if (heads.Length == 0)
            throw new ArgumentException("There are no attention heads to draw.", nameof(heads));
        for (int h = 0; h < heads.Length; h++)
        {
            if (heads[h] is null)
                throw new ArgumentException($"The weights of head {h} are null.", nameof(heads));
            if (heads[h].GetLength(0) == 0 || heads[h].GetLength(1) == 0)
                throw new ArgumentException($"The weights of head {h} are empty ({heads[h].GetLength(0)} × {heads[h].GetLength(1)}).", nameof(heads));
            if (heads[h].GetLength(0) != heads[0].GetLength(0) || heads[h].GetLength(1) != heads[0].GetLength(1))
                throw new ArgumentException(
                    $"Every head needs the same [query, key] shape: head 0 is {heads[0].GetLength(0)} × {heads[0].GetLength(1)}, head {h} is {heads[h].GetLength(0)} × {heads[h].GetLength(1)}.",
                    nameof(heads));
            foreach (float w in heads[h])
                if (!float.IsFinite(w) || w < 0)
                    throw new ArgumentException($"Head {h} has the weight {w}; attention weights are finite and not negative.", nameof(heads));
        }
        if (options?.Tokens is { } tokens && (tokens.Count != heads[0].GetLength(0) || tokens.Count != heads[0].GetLength(1)))
            throw new ArgumentException(
                $"{tokens.Count} tokens were given for {heads[0].GetLength(0)} query and {heads[0].GetLength(1)} key positions; give one token per position.",
                nameof(options));
    }
}

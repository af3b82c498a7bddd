using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using static MLExtensions.Plots.PlotStyle;

namespace MLExtensions.Plots;

/// <summary>
/// The training curve of a fitted model's <see cref="NetworkTransformer.History"/>: train and validation loss per epoch, the
/// validation metric on a second axis, the learning rate in a panel below, the best epoch marked.
/// </summary>
public static class TrainingCurvePlot
{
    /// <summary>Key of the epoch axis (shared by both panels).</summary>
    public const string EpochAxisKey = "epoch";

    /// <summary>Key of the loss axis (upper panel, left).</summary>
    public const string LossAxisKey = "loss";

    /// <summary>Key of the validation metric axis (upper panel, right).</summary>
    public const string MetricAxisKey = "metric";

    /// <summary>Key of the learning-rate axis (lower panel).</summary>
    public const string LearningRateAxisKey = "learning-rate";

    /// <summary>Default size in pixels.</summary>
    public const int DefaultWidth = 900, DefaultHeight = 640;

    /// <summary>Writes the training curve as PNG or SVG (by the extension of <paramref name="path"/>).</summary>
    public static void Save(IReadOnlyList<TorchEpochRecord> history, string path, TrainingCurveOptions? options = null)
    {
        var model = Create(history, options);
        PlotFile.Save(model, path, options?.Width > 0 ? options.Width : FitTitle(model, DefaultWidth), options?.Height > 0 ? options.Height : DefaultHeight);
    }

    /// <summary>The plot model: series titled "train loss", "validation loss", "validation &lt;metric&gt;" and "learning rate".</summary>
    public static PlotModel Create(IReadOnlyList<TorchEpochRecord> history, TrainingCurveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
            throw new ArgumentException("The training history is empty: there is no epoch to draw.", nameof(history));
        options ??= new TrainingCurveOptions();

        var validated = history.Where(e => e.ValidationLoss is not null).ToArray();
        bool hasValidation = validated.Length > 0;
        bool hasMetric = history.Any(e => e.ValidationMetric is not null);
        string metricName = history[0].ValidationMetricName;
        // "Accuracy" reads as "validation accuracy"; an acronym such as "RMSE" stays as it is.
        string metricTitle = "validation " + (metricName.All(char.IsUpper) ? metricName : metricName.ToLowerInvariant());
        int? best = hasValidation && options.MarkBestEpoch ? options.BestEpoch ?? BestEpoch(history, options.EarlyStoppingMinDelta) : null;

        var model = NewModel(options.Title ?? "Training curve", options.Subtitle ?? Summary(history, best));
        // Two panels (losses above, learning rate below), each framed by its own axis lines.
        model.PlotAreaBorderThickness = new OxyThickness(0);
        model.Legends.Add(new Legend
        {
            LegendPlacement = LegendPlacement.Outside, LegendPosition = LegendPosition.BottomCenter,
            LegendOrientation = LegendOrientation.Horizontal, LegendBorderThickness = 0, LegendFontSize = 12,
        });

        int first = history.Min(e => e.Epoch), last = history.Max(e => e.Epoch);
        model.Axes.Add(new LinearAxis
        {
            Key = EpochAxisKey, Position = AxisPosition.Bottom, Title = "epoch",
            Minimum = first - 0.5, Maximum = last + 0.5, MinimumMajorStep = 1, MinimumMinorStep = 1, StringFormat = "0",
            MajorGridlineStyle = LineStyle.Dot, MajorGridlineColor = GridColor,
        });
        var losses = history.Select(e => e.TrainLoss).Concat(validated.Select(e => e.ValidationLoss!.Value)).ToArray();
        bool positive = losses.All(v => v > 0);
        if (options.LossScale == PlotScale.Logarithmic && !positive)
            throw new ArgumentException("A logarithmic loss axis needs positive losses, but the history has a loss of 0 or below.", nameof(options));
        bool logarithmic = options.LossScale == PlotScale.Logarithmic
            || (options.LossScale == PlotScale.Auto && positive && losses.Max() > 20 * losses.Min());
        Axis loss = logarithmic ? new LogarithmicAxis() : new LinearAxis();
        loss.Key = LossAxisKey;
        loss.Position = AxisPosition.Left;
        loss.Title = logarithmic ? "loss (log scale)" : "loss";
        loss.StartPosition = 0.3;
        loss.EndPosition = 1;
        loss.MajorGridlineStyle = LineStyle.Dot;
        loss.MajorGridlineColor = GridColor;
        loss.TitleColor = Blue;
        if (!logarithmic && losses.All(v => v >= 0))
            loss.Minimum = 0;
        model.Axes.Add(loss);
        if (hasMetric)
            model.Axes.Add(new LinearAxis
            {
                Key = MetricAxisKey, Position = AxisPosition.Right, Title = metricTitle,
                StartPosition = 0.3, EndPosition = 1, TitleColor = Green, TextColor = Green,
            });
        model.Axes.Add(LearningRateAxis(history));
        foreach (var axis in model.Axes)
            axis.AxislineStyle = LineStyle.Solid;

        var train = new LineSeries
        {
            Title = "train loss", Color = Blue, StrokeThickness = 2, MarkerType = MarkerType.Circle, MarkerSize = 3,
            MarkerFill = Blue, XAxisKey = EpochAxisKey, YAxisKey = LossAxisKey,
        };
        train.Points.AddRange(history.Select(e => new DataPoint(e.Epoch, e.TrainLoss)));
        model.Series.Add(train);

        if (hasValidation)
        {
            var validation = new LineSeries
            {
                Title = "validation loss", Color = Orange, StrokeThickness = 2, MarkerType = MarkerType.Square,
                MarkerSize = 3, MarkerFill = Orange, XAxisKey = EpochAxisKey, YAxisKey = LossAxisKey,
            };
            validation.Points.AddRange(validated.Select(e => new DataPoint(e.Epoch, e.ValidationLoss!.Value)));
            model.Series.Add(validation);
        }
        if (hasMetric)
        {
            var metric = new LineSeries
            {
                Title = metricTitle, Color = Green, StrokeThickness = 1.5, LineStyle = LineStyle.Dash,
                MarkerType = MarkerType.Triangle, MarkerSize = 3, MarkerFill = Green, XAxisKey = EpochAxisKey, YAxisKey = MetricAxisKey,
            };
            metric.Points.AddRange(history.Where(e => e.ValidationMetric is not null).Select(e => new DataPoint(e.Epoch, e.ValidationMetric!.Value)));
            model.Series.Add(metric);
        }

        var learningRate = new LineSeries
        {
            Title = "learning rate", Color = Purple, StrokeThickness = 1.5, MarkerType = MarkerType.Diamond, MarkerSize = 2.5,
            MarkerFill = Purple, XAxisKey = EpochAxisKey, YAxisKey = LearningRateAxisKey,
        };
        learningRate.Points.AddRange(history.Select(e => new DataPoint(e.Epoch, e.LearningRate)));
        model.Series.Add(learningRate);

        if (best is int bestEpoch && history.FirstOrDefault(e => e.Epoch == bestEpoch) is { ValidationLoss: double bestLoss })
        {
            model.Annotations.Add(new LineAnnotation
            {
                Type = LineAnnotationType.Vertical, X = bestEpoch, XAxisKey = EpochAxisKey, YAxisKey = LossAxisKey,
                Color = Red, LineStyle = LineStyle.Dash, StrokeThickness = 1.2, Text = Invariant($"best epoch {bestEpoch}"),
                TextColor = Red, TextOrientation = AnnotationTextOrientation.Horizontal,
                TextHorizontalAlignment = HorizontalAlignment.Right, TextVerticalAlignment = VerticalAlignment.Top,
                TextLinePosition = 1, TextMargin = 4,
            });
            var marker = new ScatterSeries
            {
                Title = "best epoch (its weights are kept)", MarkerType = MarkerType.Circle, MarkerSize = 7,
                MarkerFill = OxyColors.Transparent, MarkerStroke = Red, MarkerStrokeThickness = 2,
                XAxisKey = EpochAxisKey, YAxisKey = LossAxisKey,
            };
            marker.Points.Add(new ScatterPoint(bestEpoch, bestLoss));
            model.Series.Add(marker);
        }
        return model;
    }

    /// <summary>
    /// The epoch the trainers keep with <c>RestoreBestWeights</c>: the first whose validation loss is lower than every
    /// earlier best by more than <paramref name="minDelta"/>; null without validation data.
    /// </summary>
    public static int? BestEpoch(IReadOnlyList<TorchEpochRecord> history, double minDelta = 0)
    {
        ArgumentNullException.ThrowIfNull(history);
        int? best = null;
        double bestLoss = double.PositiveInfinity;
        foreach (var epoch in history)
        {
            if (epoch.ValidationLoss is double loss && loss < bestLoss - minDelta)
            {
                bestLoss = loss;
                best = epoch.Epoch;
            }
        }
        return best;
    }

    private static Axis LearningRateAxis(IReadOnlyList<TorchEpochRecord> history)
    {
        double min = history.Min(e => e.LearningRate), max = history.Max(e => e.LearningRate);
        var axis = new LinearAxis
        {
            Key = LearningRateAxisKey, Position = AxisPosition.Left, Title = "learning rate", StartPosition = 0,
            EndPosition = 0.2, StringFormat = "G3", TitleColor = Purple, MaximumPadding = 0.15, MinimumPadding = 0.15,
            MajorGridlineStyle = LineStyle.Dot, MajorGridlineColor = GridColor,
        };
        if (max - min <= Math.Abs(max) * 1e-9)
        {
            // A constant rate: show it against zero rather than on a zero-height range.
            axis.Minimum = 0;
            axis.Maximum = max > 0 ? max * 1.3 : 1;
        }
        return axis;
    }

    private static string Summary(IReadOnlyList<TorchEpochRecord> history, int? best)
    {
        string text = Invariant($"{history.Count} epochs in {history.Sum(e => e.Seconds):F1} s, final train loss {history[^1].TrainLoss:G4}");
        if (best is int b && history.FirstOrDefault(e => e.Epoch == b) is { } epoch)
        {
            text += Invariant($"; best validation loss {epoch.ValidationLoss:G4} at epoch {b}");
            if (epoch.ValidationMetric is double metric)
                text += Invariant($" ({epoch.ValidationMetricName} {metric:G4})");
        }
        return text;
    }
}

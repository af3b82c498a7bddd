using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Plots;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace MLExtensions.Tests;

[TestClass]
public sealed class ConfusionMatrixPlotTests
{
    private static readonly string[] Classes = ["cat", "dog", "bird"];

    private sealed class Scored
    {
        public string Actual { get; set; } = "";
        public string Predicted { get; set; } = "";
        [VectorType(3)]
        public float[] Score { get; set; } = [];
    }

    /// <summary>ML.NET's metrics of 20 known predictions: cat 8 (6 right, 2 as dog), dog 7 (all right), bird 5 (1 right, 3 as cat, 1 as dog).</summary>
    private static (MulticlassClassificationMetrics Metrics, IDataView Data) KnownMetrics()
    {
        var rows = new List<Scored>();
        void Add(string actual, string predicted, int count)
        {
            for (int i = 0; i < count; i++)
            {
                var score = new float[3];
                score[Array.IndexOf(Classes, predicted)] = 0.8f;
                score[(Array.IndexOf(Classes, predicted) + 1) % 3] = 0.2f;
                rows.Add(new Scored { Actual = actual, Predicted = predicted, Score = score });
            }
        }
        Add("cat", "cat", 6); Add("cat", "dog", 2); Add("dog", "dog", 7); Add("bird", "bird", 1); Add("bird", "cat", 3); Add("bird", "dog", 1);
        var ml = new MLContext(seed: 1);
        var keys = ml.Data.LoadFromEnumerable(Classes.Select(c => new { Value = c }));
        var raw = ml.Data.LoadFromEnumerable(rows);
        var data = ml.Transforms.Conversion.MapValueToKey("Label", nameof(Scored.Actual), keyData: keys)
            .Append(ml.Transforms.Conversion.MapValueToKey("PredictedLabel", nameof(Scored.Predicted), keyData: keys))
            .Fit(raw).Transform(raw);
        return (ml.MulticlassClassification.Evaluate(data), data);
    }

    [TestMethod]
    public void CellsShowTheCountsShadedByTheShareOfTheActualClass()
    {
        var (metrics, data) = KnownMetrics();
        var names = LabelNames.FromKeyColumn(data.Schema, "Label");
        CollectionAssert.AreEqual(Classes, names);
        var model = ConfusionMatrixPlot.Create(metrics.ConfusionMatrix, new ConfusionMatrixPlotOptions { ClassNames = names });

        double[][] expected = [[6, 2, 0], [0, 7, 0], [3, 1, 1]];
        var texts = model.Annotations.OfType<TextAnnotation>().ToArray();
        Assert.AreEqual(9, texts.Length);
        var shading = model.Series.OfType<HeatMapSeries>().Single().Data;
        for (int actual = 0; actual < 3; actual++)
            for (int predicted = 0; predicted < 3; predicted++)
            {
                Assert.AreEqual(expected[actual][predicted], metrics.ConfusionMatrix.Counts[actual][predicted], "ML.NET's matrix");
                var cell = texts.Single(t => t.TextPosition.X == predicted && t.TextPosition.Y == actual);
                Assert.AreEqual(expected[actual][predicted].ToString(), cell.Text, $"count of actual {Classes[actual]}, predicted {Classes[predicted]}");
                Assert.AreEqual(expected[actual][predicted] / expected[actual].Sum(), shading[predicted, actual], 1e-12, "row-normalised shading");
            }

        var predictedAxis = model.Axes.Single(a => a.Position == AxisPosition.Bottom);
        var actualAxis = model.Axes.Single(a => a.Position == AxisPosition.Left);
        Assert.AreEqual("predicted class", predictedAxis.Title);
        Assert.AreEqual("actual class", actualAxis.Title);
        CollectionAssert.AreEqual(Classes, Enumerable.Range(0, 3).Select(i => predictedAxis.LabelFormatter(i)).ToArray());
        CollectionAssert.AreEqual(Classes, Enumerable.Range(0, 3).Select(i => actualAxis.LabelFormatter(i)).ToArray());
        StringAssert.Contains(model.Subtitle, "20 rows, accuracy 0.700");
    }

    [TestMethod]
    public void PngHasTheStatedSizeAndShadesTheCells()
    {
        var (metrics, _) = KnownMetrics();
        var model = ConfusionMatrixPlot.Create(metrics.ConfusionMatrix, new ConfusionMatrixPlotOptions { ClassNames = Classes });
        string path = PlotPixels.TempFile(".png");
        PlotFile.Save(model, path, 520, 460);
        using var bitmap = PlotPixels.Decode(path);
        Assert.AreEqual(520, bitmap.Width);
        Assert.AreEqual(460, bitmap.Height);

        var colors = model.Axes.OfType<LinearColorAxis>().Single();
        var series = model.Series.OfType<HeatMapSeries>().Single();
        // Sample a cell near its corner (away from the count written in its middle).
        foreach (var (actual, predicted, share) in new[] { (1, 1, 1.0), (0, 2, 0.0), (2, 0, 0.6) })
        {
            var (x, y) = PlotPixels.ScreenPosition(model, series.XAxisKey, series.YAxisKey, predicted - 0.35, actual - 0.35);
            Assert.IsTrue(PlotPixels.HasColorNear(bitmap, x, y, colors.GetColor(share), radius: 0, tolerance: 12),
                $"actual {actual}, predicted {predicted} shaded for {share}");
        }
    }

    [TestMethod]
    public void WrongNumberOfClassNamesIsRejected()
    {
        var (metrics, _) = KnownMetrics();
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            ConfusionMatrixPlot.Create(metrics.ConfusionMatrix, new ConfusionMatrixPlotOptions { ClassNames = ["a", "b"] }));
        StringAssert.Contains(error.Message, "2 class names were given for a confusion matrix of 3 classes");
    }
}

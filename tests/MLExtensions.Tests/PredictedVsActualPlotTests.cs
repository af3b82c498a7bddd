using Microsoft.ML;
using MLExtensions.Plots;
using OxyPlot;
using OxyPlot.Series;

namespace MLExtensions.Tests;

[TestClass]
public sealed class PredictedVsActualPlotTests
{
    private sealed class Row
    {
        public float Label { get; set; }
        public float Score { get; set; }
    }

    [TestMethod]
    public void PointsAreTheRowsAndTheSubtitleHasTheirErrors()
    {
        float[] actual = [1, 2, 3, 4];
        float[] predicted = [1.5f, 2, 2.5f, 4];
        var ml = new MLContext(seed: 1);
        var scored = ml.Data.LoadFromEnumerable(actual.Zip(predicted, (a, p) => new Row { Label = a, Score = p }));
        var model = PredictedVsActualPlot.Create(scored, new PredictedVsActualOptions { Quantity = "size" });

        var points = model.Series.OfType<ScatterSeries>().Single().Points;
        CollectionAssert.AreEqual(actual, points.Select(p => (float)p.X).ToArray());
        CollectionAssert.AreEqual(predicted, points.Select(p => (float)p.Y).ToArray());
        var diagonal = model.Series.OfType<LineSeries>().Single();
        Assert.IsTrue(diagonal.Points.All(p => p.X == p.Y), "the reference line is the diagonal");
        // Errors 0.5, 0, -0.5, 0: RMSE √(0.5/4), MAE 0.25, R² = 1 − 0.5/5.
        StringAssert.Contains(model.Subtitle, "4 rows; R² 0.900, RMSE 0.3536, MAE 0.25");
        CollectionAssert.AreEquivalent(new[] { "actual size", "predicted size" }, model.Axes.Select(a => a.Title).ToArray());
        var metrics = ml.Regression.Evaluate(scored);
        Assert.AreEqual(0.9, metrics.RSquared, 1e-6, "R² as ML.NET computes it");

        string path = PlotPixels.TempFile(".png");
        PlotFile.Save(model, path, 400, 400);
        using var bitmap = PlotPixels.Decode(path);
        Assert.AreEqual(400, bitmap.Width);
        var marker = model.Series.OfType<ScatterSeries>().Single();
        // The markers are translucent: on white they show the fill blended with the background.
        var fill = marker.MarkerFill;
        double alpha = fill.A / 255.0;
        var onWhite = OxyColor.FromRgb((byte)(alpha * fill.R + (1 - alpha) * 255), (byte)(alpha * fill.G + (1 - alpha) * 255), (byte)(alpha * fill.B + (1 - alpha) * 255));
        foreach (var p in points)
        {
            var (x, y) = PlotPixels.ScreenPosition(model, marker.XAxisKey, marker.YAxisKey, p.X, p.Y);
            Assert.IsTrue(PlotPixels.HasColorNear(bitmap, x, y, onWhite, radius: 1, tolerance: 20), $"point ({p.X}, {p.Y}) at ({x}, {y})");
        }
    }

    [TestMethod]
    public void MissingColumnsAndMismatchedLengthsAreRejected()
    {
        var ml = new MLContext(seed: 1);
        var scored = ml.Data.LoadFromEnumerable(new[] { new Row { Label = 1, Score = 1 } });
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            PredictedVsActualPlot.Create(scored, new PredictedVsActualOptions { ScoreColumnName = "Prediction" }));
        StringAssert.Contains(missing.Message, "no column 'Prediction'");
        var lengths = Assert.ThrowsExactly<ArgumentException>(() => PredictedVsActualPlot.Create([1f, 2f], [1f]));
        StringAssert.Contains(lengths.Message, "2 actual values but 1 predictions");
    }
}

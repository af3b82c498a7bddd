using MLExtensions.Plots;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace MLExtensions.Tests;

[TestClass]
public sealed class AttentionHeatMapPlotTests
{
    /// <summary>Two heads over 6 positions: head 0 attends each query to itself, head 1 every query to position 0 (weight 0.75).</summary>
    private static float[][,] KnownHeads()
    {
        const int n = 6;
        var diagonal = new float[n, n];
        var first = new float[n, n];
        for (int q = 0; q < n; q++)
        {
            diagonal[q, q] = 1;
            for (int k = 0; k < n; k++)
                first[q, k] = k == 0 ? 0.75f : 0.05f;
        }
        return [diagonal, first];
    }

    private static readonly string[] Tokens = ["<s>", "the", "cat", "sat", "down", "</s>"];

    [TestMethod]
    public void PanelsHoldTheWeightsAndAreTitledWithLayerAndHead()
    {
        var heads = KnownHeads();
        var model = AttentionHeatMapPlot.Create(heads, new AttentionHeatMapOptions { Layer = 1, Tokens = Tokens });

        var panels = model.Series.OfType<HeatMapSeries>().ToArray();
        Assert.AreEqual(2, panels.Length);
        for (int h = 0; h < 2; h++)
            for (int q = 0; q < 6; q++)
                for (int k = 0; k < 6; k++)
                    Assert.AreEqual(heads[h][q, k], panels[h].Data[k, q], 1e-7, $"head {h}, query {q}, key {k}");
        CollectionAssert.AreEqual(new[] { "layer 1, head 0", "layer 1, head 1" },
            model.Annotations.OfType<TextAnnotation>().Select(a => a.Text).ToArray());

        var colors = model.Axes.OfType<LinearColorAxis>().Single();
        Assert.AreEqual(0, colors.Minimum);
        Assert.AreEqual(1, colors.Maximum, "the colour scale runs from 0 to the largest weight");
        Assert.AreEqual("attention weight", colors.Title);
        var keyAxis = model.Axes.First(a => a.Position == AxisPosition.Bottom);
        var queryAxis = model.Axes.First(a => a.Position == AxisPosition.Left);
        Assert.AreEqual("key", keyAxis.Title);
        Assert.AreEqual("query", queryAxis.Title);
        CollectionAssert.AreEqual(Tokens, Enumerable.Range(0, 6).Select(i => keyAxis.LabelFormatter(i)).ToArray());
        CollectionAssert.AreEqual(Tokens, Enumerable.Range(0, 6).Select(i => queryAxis.LabelFormatter(i)).ToArray());
    }

    [TestMethod]
    public void PngShowsStrongWeightsInTheTopColourAndSeparatesThePanels()
    {
        var heads = KnownHeads();
        var model = AttentionHeatMapPlot.Create(heads, new AttentionHeatMapOptions { Layer = 0 });
        string path = PlotPixels.TempFile(".png");
        PlotFile.Save(model, path, 900, 520);
        using var bitmap = PlotPixels.Decode(path);
        Assert.AreEqual(900, bitmap.Width);
        Assert.AreEqual(520, bitmap.Height);
        Assert.IsTrue(model.Axes.All(a => a.Title != "key"), "without tokens the axes say they count positions");

        var colors = model.Axes.OfType<LinearColorAxis>().Single();
        OxyColor top = colors.GetColor(1.0), bottom = colors.GetColor(0.0);
        var panels = model.Series.OfType<HeatMapSeries>().ToArray();
        // Head 0 (identity): the diagonal in the top colour, off-diagonal cells in the colour of 0.
        for (int q = 0; q < 6; q++)
        {
            var (x, y) = PlotPixels.ScreenPosition(model, panels[0].XAxisKey, panels[0].YAxisKey, q, q);
            Assert.IsTrue(PlotPixels.HasColorNear(bitmap, x, y, top, radius: 0, tolerance: 12), $"query {q} → key {q} of head 0 at ({x}, {y})");
            (x, y) = PlotPixels.ScreenPosition(model, panels[0].XAxisKey, panels[0].YAxisKey, (q + 3) % 6, q);
            Assert.IsTrue(PlotPixels.HasColorNear(bitmap, x, y, bottom, radius: 0, tolerance: 12), $"query {q} → key {(q + 3) % 6} of head 0 at ({x}, {y})");
        }
        // Head 1 (everything on position 0) sits to the right of head 0 with white space between the panels.
        var (x0, y0) = PlotPixels.ScreenPosition(model, panels[1].XAxisKey, panels[1].YAxisKey, 0, 3);
        Assert.IsTrue(PlotPixels.HasColorNear(bitmap, x0, y0, colors.GetColor(0.75), radius: 0, tolerance: 12));
        var (right0, _) = PlotPixels.ScreenPosition(model, panels[0].XAxisKey, panels[0].YAxisKey, 5.5, 3);
        var (left1, _) = PlotPixels.ScreenPosition(model, panels[1].XAxisKey, panels[1].YAxisKey, -0.5, 3);
        Assert.IsTrue(left1 - right0 >= 10, $"panels {left1 - right0} pixels apart");
        Assert.IsTrue(PlotPixels.HasColorNear(bitmap, (right0 + left1) / 2, y0, OxyColors.White, radius: 0, tolerance: 2), "the gap is background");
        Assert.IsFalse(PlotPixels.Close(new SkiaSharp.SKColor(255, 255, 255), bottom, 60), "zero weight is not drawn like the background");
    }

    [TestMethod]
    public void BadInputIsRejectedWithAClearMessage()
    {
        var tokens = Assert.ThrowsExactly<ArgumentException>(() =>
            AttentionHeatMapPlot.Create(KnownHeads(), new AttentionHeatMapOptions { Tokens = ["a", "b"] }));
        StringAssert.Contains(tokens.Message, "2 tokens");
        var shapes = Assert.ThrowsExactly<ArgumentException>(() => AttentionHeatMapPlot.Create([new float[3, 3], new float[3, 4]]));
        StringAssert.Contains(shapes.Message, "head 1 is 3 × 4");
        Assert.ThrowsExactly<ArgumentException>(() => AttentionHeatMapPlot.Create([]));
        var negative = new float[2, 2];
        negative[1, 0] = -0.5f;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => AttentionHeatMapPlot.Create([negative])).Message, "-0.5");
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Plots;

namespace MLExtensions.Tests;

/// <summary>
/// The plots render with SkiaSharp 2.88, the version Microsoft.ML.ImageAnalytics is built on: loading images and
/// drawing plots work in one process, in either order.
/// </summary>
[TestClass]
public sealed class PlotsWithImageAnalyticsTests
{
    [TestMethod]
    public void ImagesLoadBeforeAndAfterAPlotIsRendered()
    {
        var ml = new MLContext(seed: 1);
        string folder = Path.Combine(TestData.DataDirectory, "shapes");
        var files = ml.Data.TakeRows(ImageData.ShapeFiles(ml), 8);
        var pixels = ImageData.Pixels(ml, folder).Fit(files);
        float[] Features() => pixels.Transform(files).GetColumn<float[]>("Features").First();

        float[] before = Features();
        Assert.AreEqual(3 * ImageData.Size * ImageData.Size, before.Length);
        Assert.IsTrue(before.Any(v => v > 0), "the image has content");

        var history = Enumerable.Range(1, 3).Select(e => new TorchEpochRecord(e, 1.0 / e, 1.2 / e, 0.5, "Accuracy", 0.01, 0.1)).ToList();
        string path = PlotPixels.TempFile(".png");
        history.SavePlot(path, new TrainingCurveOptions { Width = 320, Height = 240 });
        using (var bitmap = PlotPixels.Decode(path))
            Assert.AreEqual(320, bitmap.Width);

        CollectionAssert.AreEqual(before, Features(), "images read the same after a plot was drawn");
    }
}

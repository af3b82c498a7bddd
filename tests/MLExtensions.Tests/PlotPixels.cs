using OxyPlot;
using OxyPlot.Axes;
using SkiaSharp;

namespace MLExtensions.Tests;

/// <summary>Reads rendered plots back: the decoded PNG and the colours at the screen positions of data points.</summary>
internal static class PlotPixels
{
    /// <summary>This test run's folder for pictures, deleted when the run ends.</summary>
    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), $"mlext-plots-{Environment.ProcessId}");

    /// <summary>A fresh file name with the given extension in <see cref="Folder"/>.</summary>
    public static string TempFile(string extension) => Path.Combine(Folder, Guid.NewGuid().ToString("N") + extension);

    /// <summary>Decodes a PNG file; fails the test when it does not decode.</summary>
    public static SKBitmap Decode(string path)
    {
        Assert.IsTrue(File.Exists(path), $"{path} was not written");
        var bitmap = SKBitmap.Decode(path);
        Assert.IsNotNull(bitmap, $"{path} is not a decodable image");
        return bitmap;
    }

    /// <summary>The screen position of a data point on the given axes (valid after the model was rendered).</summary>
    public static (int X, int Y) ScreenPosition(PlotModel model, string xAxisKey, string yAxisKey, double x, double y)
    {
        var xAxis = model.Axes.Single(a => a.Key == xAxisKey);
        var yAxis = model.Axes.Single(a => a.Key == yAxisKey);
        return ((int)Math.Round(xAxis.Transform(x)), (int)Math.Round(yAxis.Transform(y)));
    }

    /// <summary>Whether a pixel within <paramref name="radius"/> of (x, y) has the colour within <paramref name="tolerance"/> per channel.</summary>
    public static bool HasColorNear(SKBitmap bitmap, int x, int y, OxyColor color, int radius = 2, int tolerance = 40)
    {
        for (int dy = -radius; dy <= radius; dy++)
            for (int dx = -radius; dx <= radius; dx++)
            {
                int px = x + dx, py = y + dy;
                if (px < 0 || py < 0 || px >= bitmap.Width || py >= bitmap.Height)
                    continue;
                if (Close(bitmap.GetPixel(px, py), color, tolerance))
                    return true;
            }
        return false;
    }

    public static bool Close(SKColor pixel, OxyColor color, int tolerance) =>
        Math.Abs(pixel.Red - color.R) <= tolerance && Math.Abs(pixel.Green - color.G) <= tolerance && Math.Abs(pixel.Blue - color.B) <= tolerance;
}

/// <summary>Deletes the pictures the plot tests wrote.</summary>
[TestClass]
public sealed class PlotFolderCleanup
{
    [AssemblyCleanup]
    public static void DeletePlotFolder()
    {
        if (Directory.Exists(PlotPixels.Folder))
            Directory.Delete(PlotPixels.Folder, recursive: true);
    }
}

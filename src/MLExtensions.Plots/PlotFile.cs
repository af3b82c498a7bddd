using OxyPlot;

namespace MLExtensions.Plots;

/// <summary>Writes a plot model as a PNG or SVG file, chosen by the file's extension.</summary>
public static class PlotFile
{
    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/>: <c>.png</c> (rendered with SkiaSharp) or <c>.svg</c>.
    /// The folder is created when missing.
    /// </summary>
    public static void Save(PlotModel model, string path, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(width <= 0 ? nameof(width) : nameof(height),
                $"A plot needs a positive size, but {width} × {height} was given.");
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".png" or ".svg"))
            throw new ArgumentException($"Plots are written as .png or .svg files, but '{path}' has the extension '{extension}'.", nameof(path));

        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        using var stream = File.Create(path);
        if (extension == ".png")
            new OxyPlot.SkiaSharp.PngExporter { Width = width, Height = height }.Export(model, stream);
        else
        {
            // OxyPlot's own SVG writer (plain <text> elements, colour opacity kept), measuring text with SkiaSharp
            // like the PNG renderer; the baseline workaround keeps text in place in viewers without dominant-baseline.
            using var measurer = new OxyPlot.SkiaSharp.SkiaRenderContext();
            new SvgExporter { Width = width, Height = height, TextMeasurer = measurer, UseVerticalTextAlignmentWorkaround = true }
                .Export(model, stream);
        }
    }
}

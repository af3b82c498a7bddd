using System.Globalization;

namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// shapes/&lt;class&gt;/&lt;class&gt;_&lt;nnn&gt;.png — 32×32 RGB images of one circle, square, triangle or cross each,
/// <see cref="ImagesPerClass"/> per class. Half-extent ~ U(6, 14) px, position uniform with the shape fully inside
/// (one pixel margin), random shape and background colours with the shape at least 120 lighter in luma, one image in
/// three an outline (line width ~ U(2, 3) px) instead of a filled shape, and Gaussian pixel noise (sd 3).
/// The label is the folder name.
/// </summary>
internal sealed class ShapesDataset : IImageDataset
{
    public const int Seed = 1007;
    public const int ImagesPerClass = 400;
    public const int ImageSize = 32;
    public const double MinSize = 6;
    public const double MaxSize = 14;
    public const double OutlineProbability = 1.0 / 3;
    public const double MinOutlineWidth = 2.0;
    public const double MaxOutlineWidth = 3.0;

    public static readonly (string Name, ShapeKind Kind)[] Classes =
    [
        ("circle", ShapeKind.Circle),
        ("square", ShapeKind.Square),
        ("triangle", ShapeKind.Triangle),
        ("cross", ShapeKind.Cross),
    ];

    public string FolderName => "shapes";

    public ImageSetSummary Write(string folder)
    {
        var random = new Random(Seed);
        var noise = new GaussianSampler(random);
        int images = 0;
        long bytes = 0;
        foreach (var (name, kind) in Classes)
        {
            string classFolder = Path.Combine(folder, name);
            Directory.CreateDirectory(classFolder);
            foreach (string stale in Directory.GetFiles(classFolder, name + "_*.png"))
                File.Delete(stale);

            for (int i = 0; i < ImagesPerClass; i++)
            {
                float size = ShapePainter.Uniform(random, MinSize, MaxSize);
                float x = ShapePainter.Center(random, ImageSize, size);
                float y = ShapePainter.Center(random, ImageSize, size);
                var (fill, background) = ShapePainter.ContrastingColors(random);
                float outline = random.NextDouble() < OutlineProbability
                    ? ShapePainter.Uniform(random, MinOutlineWidth, MaxOutlineWidth)
                    : 0;

                byte[] png = ShapePainter.RenderPng(new Shape(kind, x, y, size, fill, background, outline), ImageSize, noise);
                string path = Path.Combine(classFolder, $"{name}_{i.ToString("D3", CultureInfo.InvariantCulture)}.png");
                File.WriteAllBytes(path, png);
                images++;
                bytes += png.Length;
            }
        }
        return new ImageSetSummary(images, bytes);
    }
}

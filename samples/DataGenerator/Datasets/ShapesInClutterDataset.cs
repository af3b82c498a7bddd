using System.Globalization;
using SkiaSharp;

namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// shapes-in-clutter/&lt;class&gt;/&lt;class&gt;_&lt;nn&gt;.png — 64×64 RGB images of one small circle, square, triangle
/// or cross each on a cluttered background, <see cref="ImagesPerClass"/> per class: a few-examples set on which
/// pretrained features help. The background is a random colour covered by <see cref="Distractors"/> soft-edged discs
/// (radius ~ U(6, 20) px, anywhere, each channel within ±50 of the background); the shape has half-extent
/// ~ U(5, 9) px, lies fully inside the image and is at least 120 lighter in luma than the background colour (as in
/// shapes/); Gaussian pixel noise (sd 3). The label is the folder name.
/// </summary>
internal sealed class ShapesInClutterDataset : IImageDataset
{
    public const int Seed = 1013;
    public const int ImagesPerClass = 80;
    public const int ImageSize = 64;
    public const double MinSize = 5;
    public const double MaxSize = 9;
    public const int Distractors = 6;
    public const double MinDistractorRadius = 6;
    public const double MaxDistractorRadius = 20;
    public const int DistractorJitter = 50;

    public string FolderName => "shapes-in-clutter";

    public ImageSetSummary Write(string folder)
    {
        var random = new Random(Seed);
        var noise = new GaussianSampler(random);
        int images = 0;
        long bytes = 0;
        foreach (var (name, kind) in ShapesDataset.Classes)
        {
            string classFolder = Path.Combine(folder, name);
            Directory.CreateDirectory(classFolder);
            foreach (string stale in Directory.GetFiles(classFolder, name + "_*.png"))
                File.Delete(stale);

            for (int i = 0; i < ImagesPerClass; i++)
            {
                var (fill, background) = ShapePainter.ContrastingColors(random);
                var shapes = new List<Shape>();
                for (int d = 0; d < Distractors; d++)
                {
                    var color = new SKColor(Jitter(random, background.Red), Jitter(random, background.Green), Jitter(random, background.Blue));
                    float radius = ShapePainter.Uniform(random, MinDistractorRadius, MaxDistractorRadius);
                    float x = ShapePainter.Uniform(random, 0, ImageSize), y = ShapePainter.Uniform(random, 0, ImageSize);
                    shapes.Add(new Shape(ShapeKind.Circle, x, y, radius, color, background));
                }
                float size = ShapePainter.Uniform(random, MinSize, MaxSize);
                float cx = ShapePainter.Center(random, ImageSize, size), cy = ShapePainter.Center(random, ImageSize, size);
                shapes.Add(new Shape(kind, cx, cy, size, fill, background));

                byte[] png = ShapePainter.RenderPng(shapes, ImageSize, noise);
                string path = Path.Combine(classFolder, $"{name}_{i.ToString("D2", CultureInfo.InvariantCulture)}.png");
                File.WriteAllBytes(path, png);
                images++;
                bytes += png.Length;
            }
        }
        return new ImageSetSummary(images, bytes);
    }

    private static byte Jitter(Random random, byte value) =>
        (byte)Math.Clamp(value + random.Next(-DistractorJitter, DistractorJitter + 1), 0, 255);
}

using System.Globalization;

namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// shape-sizes/ — image regression. <see cref="Images"/> 32×32 RGB images under images/, each one filled circle or
/// square (even odds) with half-extent r ~ U(<see cref="MinSize"/>, <see cref="MaxSize"/>) px (radius or half side),
/// random position fully inside, random colours with the shape at least 120 lighter in luma, and Gaussian pixel noise (sd 3).
/// labels.csv holds ImagePath (relative to shape-sizes/) and Score = 1 + 4·(r − MinSize)/(MaxSize − MinSize) in [1, 5],
/// rows shuffled.
/// </summary>
internal sealed class ShapeSizesDataset : IImageDataset
{
    public const int Seed = 1008;
    public const int Images = 400;
    public const int ImageSize = 32;
    public const double MinSize = 4;
    public const double MaxSize = 14;
    public const string ImageFolder = "images";
    public const string LabelFile = "labels.csv";

    public string FolderName => "shape-sizes";

    public ImageSetSummary Write(string folder)
    {
        var random = new Random(Seed);
        var noise = new GaussianSampler(random);
        string imageFolder = Path.Combine(folder, ImageFolder);
        Directory.CreateDirectory(imageFolder);
        foreach (string stale in Directory.GetFiles(imageFolder, "shape_*.png"))
            File.Delete(stale);

        var table = new CsvTable(["ImagePath", "Score"]);
        long bytes = 0;
        for (int i = 0; i < Images; i++)
        {
            var kind = random.Next(2) == 0 ? ShapeKind.Circle : ShapeKind.Square;
            float size = ShapePainter.Uniform(random, MinSize, MaxSize);
            float x = ShapePainter.Center(random, ImageSize, size);
            float y = ShapePainter.Center(random, ImageSize, size);
            var (fill, background) = ShapePainter.ContrastingColors(random);

            byte[] png = ShapePainter.RenderPng(new Shape(kind, x, y, size, fill, background), ImageSize, noise);
            string name = $"shape_{i.ToString("D3", CultureInfo.InvariantCulture)}.png";
            File.WriteAllBytes(Path.Combine(imageFolder, name), png);
            bytes += png.Length;

            double score = 1 + 4 * (size - MinSize) / (MaxSize - MinSize);
            table.AddCells($"{ImageFolder}/{name}", CsvTable.Format(score));
        }
        table.Shuffle(random);

        string labels = Path.Combine(folder, LabelFile);
        table.Write(labels);
        bytes += new FileInfo(labels).Length;
        return new ImageSetSummary(Images, bytes);
    }
}

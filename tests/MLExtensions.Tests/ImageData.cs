using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

/// <summary>The shipped image sets, loaded the ML.NET way: LoadImages → ResizeImages → ExtractPixels.</summary>
internal static class ImageData
{
    public const int Size = 32;

    public sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }

    public sealed class ScoredImageRow
    {
        public string ImagePath { get; set; } = "";
        public float Label { get; set; }
    }

    /// <summary>data/shapes/&lt;class&gt;/*.png as rows of (ImagePath, Label).</summary>
    public static IDataView ShapeFiles(MLContext ml)
    {
        string root = Path.Combine(TestData.DataDirectory, "shapes");
        var rows = Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal)
            .SelectMany(dir => Directory.GetFiles(dir, "*.png").OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => new ImageRow { ImagePath = Path.GetRelativePath(root, f), Label = Path.GetFileName(dir) }))
            .ToArray();
        return ml.Data.ShuffleRows(ml.Data.LoadFromEnumerable(rows), seed: 1);
    }

    /// <summary>The featurizing pipeline: pixels scaled to [0, 1], channels first.</summary>
    public static IEstimator<ITransformer> Pixels(MLContext ml, string imageFolder, bool grayscale = false)
    {
        var load = ml.Transforms.LoadImages("Image", imageFolder, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", Size, Size));
        return grayscale
            ? load.Append(ml.Transforms.ConvertToGrayscale("Image"))
                .Append(ml.Transforms.ExtractPixels("Features", "Image", Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            : load.Append(ml.Transforms.ExtractPixels("Features", "Image", scaleImage: 1f / 255));
    }

    /// <summary>Shapes featurized, label as a key, split 80/20.</summary>
    public static (IDataView Train, IDataView Test) Shapes(MLContext ml)
    {
        var files = ShapeFiles(ml);
        var pipeline = Pixels(ml, Path.Combine(TestData.DataDirectory, "shapes"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.Transforms.DropColumns("Image"));
        var data = ml.Data.Cache(pipeline.Fit(files).Transform(files));
        var split = ml.Data.TrainTestSplit(data, 0.2, seed: 1);
        return (split.TrainSet, split.TestSet);
    }

    /// <summary>data/shape-sizes: (ImagePath, Label = size score 1–5) featurized, split 80/20.</summary>
    public static (IDataView Train, IDataView Test) ShapeSizes(MLContext ml)
    {
        string root = Path.Combine(TestData.DataDirectory, "shape-sizes");
        var raw = ml.Data.LoadFromTextFile(Path.Combine(root, "labels.csv"),
            [new TextLoader.Column("ImagePath", DataKind.String, 0), new TextLoader.Column("Label", DataKind.Single, 1)],
            separatorChar: ',', hasHeader: true);
        var data = ml.Data.Cache(Pixels(ml, root).Append(ml.Transforms.DropColumns("Image")).Fit(raw).Transform(raw));
        var split = ml.Data.TrainTestSplit(data, 0.2, seed: 1);
        return (split.TrainSet, split.TestSet);
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

/// <summary>Images of the shipped sets as ExtractPixels writes them (0–255, channels first), for the vision tests.</summary>
internal static class VisionImageData
{
    public sealed class PixelRow
    {
        [VectorType]
        public float[] Features { get; set; } = [];
    }

    /// <summary>The first <paramref name="count"/> images of each class of data/shapes at <paramref name="size"/>×<paramref name="size"/>, as pixel rows.</summary>
    public static float[][] ShapePixels(int size, int count)
    {
        var ml = new MLContext(seed: 1);
        string root = Path.Combine(TestData.DataDirectory, "shapes");
        var files = Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal)
            .SelectMany(dir => Directory.GetFiles(dir, "*.png").OrderBy(f => f, StringComparer.Ordinal).Take(count))
            .Select(f => new ImageData.ImageRow { ImagePath = Path.GetRelativePath(root, f) }).ToArray();
        var data = ml.Data.LoadFromEnumerable(files);
        var pixels = ml.Transforms.LoadImages("Image", root, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", size, size))
            .Append(ml.Transforms.ExtractPixels("Features", "Image"))
            .Fit(data).Transform(data);
        return ml.Data.CreateEnumerable<PixelRow>(pixels, reuseRowObject: false).Select(r => r.Features).ToArray();
    }

    /// <summary>ML.NET's ImageNet ResNet-18 files, copied to the test output by the Microsoft.ML.DnnImageFeaturizer.ResNet18 package.</summary>
    public static string DnnImageModels => Path.Combine(AppContext.BaseDirectory, "DnnImageModels");
}

using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Benchmarks;

/// <summary>Images per second through ML.NET's image path (LoadImages → ResizeImages → ExtractPixels) on data/shapes.</summary>
internal sealed class ImageLoadBenchmark(BenchmarkSettings settings)
{
    public int Run()
    {
        string root = FindData("shapes");
        var rows = Directory.GetDirectories(root).SelectMany(d => Directory.GetFiles(d, "*.png")
            .Select(f => new ImageRow { ImagePath = Path.GetRelativePath(root, f) })).ToArray();
        var ml = new MLContext(seed: 1);
        var files = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.LoadImages("Image", root, nameof(ImageRow.ImagePath))
            .Append(ml.Transforms.ResizeImages("Image", 32, 32))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", scaleImage: 1f / 255))
            .Fit(files);
        var times = new List<double>();
        for (int i = 0; i < (settings.Quick ? 2 : 4); i++)
        {
            var watch = Stopwatch.StartNew();
            long count = pipeline.Transform(files).GetColumn<float[]>("Features").LongCount();
            if (i > 0)
                times.Add(count / watch.Elapsed.TotalSeconds);
        }
        times.Sort();
        Console.WriteLine();
        Console.WriteLine($"ImageAnalytics load path (LoadImages → ResizeImages 32×32 → ExtractPixels), {rows.Length} PNGs of data/shapes:");
        Console.WriteLine($"| images / second (median of {times.Count}) |");
        Console.WriteLine("|---:|");
        Console.WriteLine($"| {times[times.Count / 2]:F0} |");
        return 0;
    }

    private static string FindData(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLExtensions.sln")))
                return Path.Combine(dir.FullName, "data", name);
        throw new DirectoryNotFoundException("MLExtensions.sln not found.");
    }

    private sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Benchmarks;

/// <summary>
/// Binary <see cref="IDataView"/> files (ML.NET's .idv format) of <see cref="SyntheticDigits"/> rows for the
/// large-data benchmarks: a training file with as many rows as asked and a held-out file of 10,000 rows drawn before
/// them from the same generator. Generated once into a folder (by default <c>artifacts/benchmarks</c>, which git
/// ignores) and reused while they exist; a file with more rows serves a smaller request through <c>TakeRows</c>.
/// </summary>
internal static class DigitsFile
{
    public const int TestRows = 10_000;
    private const int Seed = 11;
    private const string Prefix = "synthetic-digits-";

    public sealed class Row
    {
        [VectorType(SyntheticDigits.FeatureCount)]
        public float[] Features { get; set; } = [];

        [KeyType(SyntheticDigits.ClassCount)]
        public uint Label { get; set; }
    }

    /// <summary>The folder for generated data: <paramref name="requested"/>, or artifacts/benchmarks at the repository root.</summary>
    public static string Directory(string? requested)
    {
        if (requested is not null)
            return requested;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLExtensions.sln")))
                return Path.Combine(dir.FullName, "artifacts", "benchmarks");
        return Path.Combine(Path.GetTempPath(), "mlextensions-benchmarks");
    }

    /// <summary>The training rows (at least <paramref name="rows"/>, cut to that many) and the held-out rows.</summary>
    public static (IDataView Train, IDataView Test) Load(MLContext ml, string directory, long rows)
    {
        System.IO.Directory.CreateDirectory(directory);
        string test = Path.Combine(directory, Prefix + "test.idv");
        string? train = System.IO.Directory.GetFiles(directory, Prefix + "*.idv")
            .Select(f => (Path: f, Rows: long.TryParse(Path.GetFileNameWithoutExtension(f)[Prefix.Length..], out long n) ? n : 0))
            .Where(f => f.Rows >= rows).OrderBy(f => f.Rows).Select(f => f.Path).FirstOrDefault();
        if (train is null || !File.Exists(test))
        {
            train = Path.Combine(directory, Prefix + rows + ".idv");
            Generate(ml, train, test, rows);
        }
        var data = ml.Data.LoadFromBinary(train);
        return (data.GetRowCount() == rows ? data : ml.Data.TakeRows(data, rows), ml.Data.LoadFromBinary(test));
    }

    /// <summary>Deletes every generated file in <paramref name="directory"/>.</summary>
    public static void Clean(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            return;
        foreach (var file in System.IO.Directory.GetFiles(directory, Prefix + "*"))
            File.Delete(file);
        Console.WriteLine($"Deleted the generated data in {directory}.");
    }

    private static void Generate(MLContext ml, string trainPath, string testPath, long rows)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var digits = new SyntheticDigits(Seed);
        Save(ml, Rows(digits, TestRows), testPath);
        Save(ml, Rows(digits, rows), trainPath);
        Console.WriteLine($"Generated {rows:N0} training rows of {SyntheticDigits.FeatureCount} features ({new FileInfo(trainPath).Length / 1e9:F2} GB on disk, " +
            $"{rows * SyntheticDigits.FeatureCount * 4 / 1e9:F2} GB as floats) in {watch.Elapsed.TotalSeconds:F0} s: {trainPath}");
    }

    private static void Save(MLContext ml, IEnumerable<Row> rows, string path)
    {
        string partial = path + ".partial";
        using (var stream = File.Create(partial))
            ml.Data.SaveAsBinary(ml.Data.LoadFromEnumerable(rows), stream, keepHidden: false);
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>Rows generated lazily, 10,000 at a time, so that no more than that is ever in memory.</summary>
    private static IEnumerable<Row> Rows(SyntheticDigits digits, long count)
    {
        for (long done = 0; done < count;)
        {
            int n = (int)Math.Min(10_000, count - done);
            var (features, labels) = digits.Next(n);
            for (int i = 0; i < n; i++)
                yield return new Row { Features = features.AsSpan(i * SyntheticDigits.FeatureCount, SyntheticDigits.FeatureCount).ToArray(), Label = (uint)labels[i] };
            done += n;
        }
    }
}

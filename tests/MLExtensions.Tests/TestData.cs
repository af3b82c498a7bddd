using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

/// <summary>Loads the shipped CSV data sets and small in-memory sets for the tests.</summary>
internal static class TestData
{
    public static string DataDirectory { get; } = FindDataDirectory();

    private static string FindDataDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLExtensions.sln")))
                return Path.Combine(dir.FullName, "data");
        throw new DirectoryNotFoundException("MLExtensions.sln not found above the test directory.");
    }

    /// <summary>
    /// Loads <paramref name="file"/> from data/: every column but the last is a Single feature, the last is the label of
    /// type <paramref name="labelKind"/>; features are concatenated into "Features".
    /// </summary>
    public static IDataView Load(MLContext ml, string file, DataKind labelKind)
    {
        string path = Path.Combine(DataDirectory, file);
        string[] header = File.ReadLines(path).First().Split(',');
        var columns = header.Select((name, i) => new TextLoader.Column(name, i == header.Length - 1 ? labelKind : DataKind.Single, i)).ToArray();
        var raw = ml.Data.LoadFromTextFile(path, columns, separatorChar: ',', hasHeader: true);
        var labelName = header[^1];
        var pipeline = ml.Transforms.Concatenate("Features", header[..^1])
            .Append(ml.Transforms.CopyColumns("Label", labelName));
        return pipeline.Fit(raw).Transform(raw);
    }

    /// <summary>Multiclass data: the text label mapped to a key.</summary>
    public static IDataView LoadMulticlass(MLContext ml, string file)
    {
        var data = Load(ml, file, DataKind.String);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    /// <summary>The first <paramref name="trainFraction"/> of the rows for training, the rest for testing (the files are shuffled).</summary>
    public static (IDataView Train, IDataView Test) Split(MLContext ml, IDataView data, double trainFraction = 0.8)
    {
        long n = CountRows(data);
        long trainRows = (long)(n * trainFraction);
        return (ml.Data.TakeRows(data, trainRows), ml.Data.SkipRows(data, trainRows));
    }

    public static long CountRows(IDataView data)
    {
        if (data.GetRowCount() is long known)
            return known;
        long n = 0;
        using var cursor = data.GetRowCursor(Array.Empty<DataViewSchema.Column>());
        while (cursor.MoveNext())
            n++;
        return n;
    }

    /// <summary>ML.NET keeps SchemaShape.Create internal; estimators' GetOutputSchema needs one.</summary>
    public static SchemaShape Shape(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .Invoke(null, [schema])!;

    public static float[] Column(IDataView data, string name) =>
        data.GetColumn<float>(name).ToArray();

    /// <summary>A data view with one known-size "Features" vector column and a Single "Label".</summary>
    public static IDataView Regression(MLContext ml, float[][] features, float[] labels)
    {
        var definition = SchemaDefinition.Create(typeof(VectorRow));
        definition[nameof(VectorRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features[0].Length);
        return ml.Data.LoadFromEnumerable(features.Select((f, i) => new VectorRow { Features = f, Label = labels[i] }), definition);
    }

    /// <summary>Feature rows only, for prediction.</summary>
    public static IDataView Features(MLContext ml, float[][] features)
    {
        var definition = SchemaDefinition.Create(typeof(FeatureRow));
        definition[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features[0].Length);
        return ml.Data.LoadFromEnumerable(features.Select(f => new FeatureRow { Features = f }), definition);
    }

    public sealed class VectorRow
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    public sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }
}

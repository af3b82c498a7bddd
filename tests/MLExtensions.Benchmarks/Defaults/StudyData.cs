using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Benchmarks.Defaults;

/// <summary>What a study set asks a trainer to do, and so which metric scores it.</summary>
internal enum StudyTask
{
    /// <summary>Float label; R² on the test rows.</summary>
    Regression,
    /// <summary>Boolean label; accuracy on the test rows.</summary>
    Binary,
    /// <summary>Key label; micro-accuracy on the test rows.</summary>
    Multiclass,
}

/// <summary>The input shape a set offers: a dense feature vector, an image, or text.</summary>
internal enum StudyInput
{
    /// <summary>A known-size Single vector "Features".</summary>
    Dense,
    /// <summary>A string column "Text" (sentences).</summary>
    Text,
}

/// <summary>One generated training set and its held-out test set.</summary>
internal sealed record StudySplit(IDataView Train, IDataView Test, int TrainRows, int TestRows)
{
    /// <summary>
    /// <paramref name="replicates"/> independent splits: replicate r draws its training rows, then its test rows, from
    /// one generator seeded with <paramref name="seed"/> + 101·r.
    /// </summary>
    public static StudySplit[] Replicates(int trainRows, int testRows, int replicates, int seed, Func<SeededRandom, int, IDataView> draw) =>
        Enumerable.Range(0, replicates).Select(r =>
        {
            var random = new SeededRandom(seed + 101 * r);
            var train = draw(random, trainRows);
            return new StudySplit(train, draw(random, testRows), trainRows, testRows);
        }).ToArray();
}

/// <summary>
/// A generated data set of the study: its replicates (independently generated train/test pairs; the metric is their
/// mean), the task, and what a dense vector means (image size, or steps for the sequence trainers).
/// </summary>
internal sealed record StudySet(string Key, string Title, string Description, StudyTask Task, StudyInput Input, int Features,
    int Classes, IReadOnlyList<StudySplit> Replicates)
{
    /// <summary>Image side for a square image set (the CNN reads it), 0 otherwise.</summary>
    public int ImageSide { get; init; }

    /// <summary>Values per step when the sequence trainers read the dense vector as steps (rows of an image), 0 otherwise.</summary>
    public int StepSize { get; init; }

    public int TrainRows => Replicates[0].TrainRows;

    public int TestRows => Replicates[0].TestRows;
}

/// <summary>Rows of the study's data sets and their data views.</summary>
internal static class StudyRows
{
    public sealed class Regression
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    public sealed class Binary
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    public sealed class Multiclass
    {
        public float[] Features { get; set; } = [];
        /// <summary>The 0-based class; the data view exposes it as the key 1 … K.</summary>
        public uint Label { get; set; }
    }

    public sealed class Text
    {
        public string Sentence { get; set; } = "";
        public uint Label { get; set; }
    }

    public static IDataView View(MLContext ml, IReadOnlyList<float[]> features, IReadOnlyList<double> labels) =>
        Cache(ml, ml.Data.LoadFromEnumerable(features.Select((f, i) => new Regression { Features = f, Label = (float)labels[i] }).ToArray(),
            Vector<Regression>(features[0].Length)));

    public static IDataView View(MLContext ml, IReadOnlyList<float[]> features, IReadOnlyList<bool> labels) =>
        Cache(ml, ml.Data.LoadFromEnumerable(features.Select((f, i) => new Binary { Features = f, Label = labels[i] }).ToArray(),
            Vector<Binary>(features[0].Length)));

    public static IDataView View(MLContext ml, IReadOnlyList<float[]> features, IReadOnlyList<int> classes, int classCount)
    {
        var definition = Vector<Multiclass>(features[0].Length);
        definition[nameof(Multiclass.Label)].ColumnType = new KeyDataViewType(typeof(uint), classCount);
        return Cache(ml, ml.Data.LoadFromEnumerable(features.Select((f, i) => new Multiclass { Features = f, Label = (uint)classes[i] }).ToArray(), definition));
    }

    public static IDataView View(MLContext ml, IReadOnlyList<string> sentences, IReadOnlyList<int> classes, int classCount)
    {
        var definition = SchemaDefinition.Create(typeof(Text));
        definition[nameof(Text.Label)].ColumnType = new KeyDataViewType(typeof(uint), classCount);
        return Cache(ml, ml.Data.LoadFromEnumerable(sentences.Select((s, i) => new Text { Sentence = s, Label = (uint)classes[i] }).ToArray(), definition));
    }

    private static SchemaDefinition Vector<T>(int size)
    {
        var definition = SchemaDefinition.Create(typeof(T));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return definition;
    }

    private static IDataView Cache(MLContext ml, IDataView view) => ml.Data.Cache(view);
}

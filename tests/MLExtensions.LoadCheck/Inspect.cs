using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.LoadCheck;

/// <summary>
/// Loads a saved model and writes what its MLExtensions network knows into a folder: <c>history.json</c>,
/// <c>model.onnx</c> (the standalone export), <c>attention.txt</c> (layer 0 weights of the first feature row, for
/// attention models) and <c>wrong-size.txt</c> (the message for a feature vector one value too long).
/// </summary>
public static class Inspect
{
    public static int Run(string zip, string featuresCsv, string outputFolder)
    {
        var ml = new MLContext();
        var loaded = ml.Model.Load(zip, out _);
        var network = NetworkTransformer.Find(loaded);
        File.WriteAllText(Path.Combine(outputFolder, "history.json"), JsonSerializer.Serialize(network.History));
        network.SaveOnnx(Path.Combine(outputFolder, "model.onnx"));

        var rows = File.ReadAllLines(featuresCsv).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        try
        {
            var weights = network.GetAttentionWeights(Features(ml, rows, rows[0].Length));
            File.WriteAllText(Path.Combine(outputFolder, "attention.txt"), Format(weights));
        }
        catch (InvalidOperationException)
        {
            // not an attention model
        }

        var restored = NetworkTransformer.Restore(loaded);
        try
        {
            restored.Transform(Features(ml, rows.Select(r => r.Append(0f).ToArray()).ToArray(), rows[0].Length + 1));
            File.WriteAllText(Path.Combine(outputFolder, "wrong-size.txt"), "accepted");
        }
        catch (ArgumentException e)
        {
            File.WriteAllText(Path.Combine(outputFolder, "wrong-size.txt"), e.Message);
        }
        return 0;
    }

    /// <summary>The weights of every head as text, values in round-trip format.</summary>
    public static string Format(float[][,] weights) => string.Join("\n", weights.Select(head =>
        string.Join(";", Enumerable.Range(0, head.GetLength(0)).Select(q =>
            string.Join(",", Enumerable.Range(0, head.GetLength(1)).Select(k => head[q, k].ToString("R", CultureInfo.InvariantCulture)))))));

    /// <summary>Rows as a known-size <c>Features</c> vector column.</summary>
    public static IDataView Features(MLContext ml, float[][] rows, int size)
    {
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = r }), definition);
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
    }
}

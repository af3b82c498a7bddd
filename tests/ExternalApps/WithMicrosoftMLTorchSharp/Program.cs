using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.TorchSharp;
using Microsoft.ML.TorchSharp.NasBert;
using MLExtensions;

// Usage: WithMicrosoftMLTorchSharp <model.zip> <points.csv> <predictions.txt>
//   One MLContext, one pipeline holding an MLExtensions trainer and Microsoft.ML.TorchSharp's text classifier; then the
//   zip of an MLExtensions model is loaded next to Microsoft.ML.TorchSharp and its predictions written out.
var ml = new MLContext(seed: 1);
var rows = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 120).Select(i => new TextPoint
{
    X1 = MathF.Cos(i * 0.7f) * (i % 3 + 1), X2 = MathF.Sin(i * 0.7f) * (i % 3 + 1),
    Text = i % 3 == 0 ? "small circle" : i % 3 == 1 ? "middle ring" : "outer ring",
    Label = (i % 3).ToString(CultureInfo.InvariantCulture),
}));

var ours = ml.Transforms.Concatenate("Features", "X1", "X2")
    .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
    .Append(ml.MulticlassClassification.Trainers.TorchMlp(new MlpOptions { HiddenLayerSizes = [16], Epochs = 30, LearningRate = 0.02 }));
var both = ours.Append(ml.MulticlassClassification.Trainers.TextClassification(new TextClassificationTrainer.TextClassificationOptions
{
    Sentence1ColumnName = "Text", LabelColumnName = "Label",
    ScoreColumnName = "TextScore", PredictionColumnName = "TextPredictedLabel", MaxEpoch = 1,
}));

var fitted = ours.Fit(rows);
var scored = fitted.Transform(rows);
var accuracy = ml.MulticlassClassification.Evaluate(scored).MicroAccuracy;
Console.WriteLine(FormattableString.Invariant($"ours: trained, accuracy {accuracy:F3}"));
Console.WriteLine("columns: " + string.Join(",", scored.Schema.Select(c => c.Name).Where(n => n is "Score" or "PredictedLabel")));
(fitted as IDisposable)?.Dispose();

try
{
    // The whole pipeline: ours is fitted, then theirs checks its input columns (Text, the key Label) on our output.
    both.Fit(rows);
    Console.WriteLine("theirs: trained");
}
catch (Exception e)
{
    // Past its schema checks, their trainer starts by fetching a tokenizer vocabulary and pre-trained weights.
    var inner = e is AggregateException a ? a.Flatten().InnerExceptions[0] : e;
    while (inner.InnerException is not null && inner is not NotSupportedException)
        inner = inner.InnerException;
    Console.WriteLine($"theirs: stopped at {inner.GetType().Name}: {inner.Message.Split('\n')[0]}");
}

var model = ml.Model.Load(args[0], out _);
var engine = ml.Model.CreatePredictionEngine<SpiralPoint, SpiralPrediction>(model);
var points = File.ReadLines(args[1]).Select(line => line.Split(','))
    .Select(v => new SpiralPoint { X1 = float.Parse(v[0], CultureInfo.InvariantCulture), X2 = float.Parse(v[1], CultureInfo.InvariantCulture) });
File.WriteAllLines(args[2], points.Select(p => engine.Predict(p).ToString()));
Console.WriteLine("loaded: " + string.Join(",", AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name)
    .Where(n => n is "Microsoft.ML.TorchSharp" or "MLExtensions" or "TorchSharp").Order(StringComparer.Ordinal)));
Console.WriteLine($"omp: {Native.Getenv("OMP_WAIT_POLICY") ?? "(unset)"}");

public class TextPoint
{
    public float X1 { get; set; }
    public float X2 { get; set; }
    public string Text { get; set; } = "";
    public string Label { get; set; } = "";
}

public class SpiralPoint
{
    public float X1 { get; set; }
    public float X2 { get; set; }
    public string Label { get; set; } = "";
}

public class SpiralPrediction
{
    public string PredictedLabel { get; set; } = "";
    public float[] Score { get; set; } = [];

    public override string ToString() =>
        PredictedLabel + ";" + string.Join(",", Score.Select(s => s.ToString("R", CultureInfo.InvariantCulture)));
}

internal static class Native
{
    [DllImport("libc")]
    private static extern IntPtr getenv(string name);

    public static string? Getenv(string name) => OperatingSystem.IsWindows()
        ? Environment.GetEnvironmentVariable(name)
        : Marshal.PtrToStringUTF8(getenv(name));
}

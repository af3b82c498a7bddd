using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions;

// Usage: PackageTrain <multiclass-spiral.csv> <output folder>
//   Trains an MLP on the spiral arms and writes model.zip, points.csv (held-out points) and predictions.txt (what the
//   trained model predicts for them: the class and the three probabilities).
string data = args[0], output = args[1];
Directory.CreateDirectory(output);

var ml = new MLContext(seed: 1);
var rows = ml.Data.LoadFromTextFile<SpiralPoint>(data, separatorChar: ',', hasHeader: true);
var split = ml.Data.TrainTestSplit(rows, testFraction: 0.2, seed: 1);
var pipeline = ml.Transforms.Concatenate("Features", "X1", "X2")
    .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
    .Append(ml.MulticlassClassification.Trainers.TorchMlp(new MlpOptions
    {
        HiddenLayerSizes = [32, 32], Activation = Activation.Tanh, Epochs = 40, LearningRate = 0.01, CpuThreads = 1,
    }))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
var model = pipeline.Fit(split.TrainSet);
var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
Console.WriteLine(FormattableString.Invariant($"accuracy: {metrics.MicroAccuracy:F4}"));
ml.Model.Save(model, rows.Schema, Path.Combine(output, "model.zip"));

var points = ml.Data.CreateEnumerable<SpiralPoint>(split.TestSet, reuseRowObject: false).Take(60).ToArray();
File.WriteAllLines(Path.Combine(output, "points.csv"),
    points.Select(p => FormattableString.Invariant($"{p.X1:R},{p.X2:R}")));
var engine = ml.Model.CreatePredictionEngine<SpiralPoint, SpiralPrediction>(model);
File.WriteAllLines(Path.Combine(output, "predictions.txt"), points.Select(p => engine.Predict(p).ToString()));

Console.WriteLine($"repaired: {NativeRuntime.RepairedLibraryPath ?? "none"}");
Console.WriteLine($"omp: {Native.Getenv("OMP_WAIT_POLICY") ?? "(unset)"}");

public class SpiralPoint
{
    [LoadColumn(0)] public float X1 { get; set; }
    [LoadColumn(1)] public float X2 { get; set; }
    [LoadColumn(2)] public string Label { get; set; } = "";
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

using System.Globalization;
using Microsoft.ML;

// Usage: PredictOnly <model.zip> <points.csv> <predictions.txt>
//   Loads a model saved by an application that trained it and writes its predictions for the points: this application
//   references only the MLExtensions package, so no libtorch is anywhere near it.
var ml = new MLContext();
var model = ml.Model.Load(args[0], out _);
var engine = ml.Model.CreatePredictionEngine<SpiralPoint, SpiralPrediction>(model);
var points = File.ReadLines(args[1]).Select(line => line.Split(','))
    .Select(v => new SpiralPoint { X1 = float.Parse(v[0], CultureInfo.InvariantCulture), X2 = float.Parse(v[1], CultureInfo.InvariantCulture) });
File.WriteAllLines(args[2], points.Select(p => engine.Predict(p).ToString()));

bool libtorch = OperatingSystem.IsLinux() && File.ReadAllText("/proc/self/maps").Contains("libtorch", StringComparison.Ordinal);
Console.WriteLine($"libtorch loaded: {libtorch.ToString().ToLowerInvariant()}");
(model as IDisposable)?.Dispose();

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

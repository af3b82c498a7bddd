using System.Globalization;
using Microsoft.ML;
using MLExtensions;
using MLExtensions.LoadCheck;

// Usage: MLExtensions.LoadCheck <model.zip> <features.csv>
//   Prints one line per feature row with the model's outputs, then whether libtorch was loaded into this process.
// Usage: MLExtensions.LoadCheck --tag <model.zip> <text-and-tags.tsv>
//   Prints each row's predicted tags from a saved tagging pipeline, then whether libtorch was loaded.
// Usage: MLExtensions.LoadCheck --inspect <model.zip> <features.csv> <output-folder>
//   Writes what the loaded model's network knows (history, standalone ONNX, attention weights, an input error) to the folder.
// Usage: MLExtensions.LoadCheck --train
//   Tries to train in this process, which has no TorchSharp native backend, and prints the error message.
if (args is ["--train"])
{
    var context = new MLContext();
    var rows = context.Data.LoadFromEnumerable(new[] { new TrainRow { Features = [1f, 2f], Label = 1f } });
    try
    {
        context.Regression.Trainers.TorchLinearRegression(epochs: 1).Fit(rows);
        Console.WriteLine("trained");
        return 1;
    }
    catch (InvalidOperationException e)
    {
        Console.WriteLine(e.Message);
        return 0;
    }
}
if (args is ["--tag", var tagger, var tsv])
{
    int status = TagCheck.Run(tagger, tsv);
    bool loaded = OperatingSystem.IsLinux() && File.ReadAllText("/proc/self/maps").Contains("libtorch", StringComparison.Ordinal);
    Console.WriteLine($"libtorch-loaded: {loaded.ToString().ToLowerInvariant()}");
    return status;
}
if (args is ["--inspect", var inspected, var rowsCsv, var folder])
    return Inspect.Run(inspected, rowsCsv, folder);
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: MLExtensions.LoadCheck <model.zip> <features.csv> | --train");
    return 2;
}
var ml = new MLContext();
var model = ml.Model.Load(args[0], out _);
var features = File.ReadAllLines(args[1])
    .Where(l => l.Length > 0)
    .Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())
    .ToArray();
foreach (var line in PredictionDump.Score(ml, model, features))
    Console.WriteLine(line);
bool libtorch = OperatingSystem.IsLinux() && File.ReadAllText("/proc/self/maps").Contains("libtorch", StringComparison.Ordinal);
Console.WriteLine($"libtorch-loaded: {libtorch.ToString().ToLowerInvariant()}");
return 0;

internal sealed class TrainRow
{
    [Microsoft.ML.Data.VectorType(2)]
    public float[] Features { get; set; } = [];
    public float Label { get; set; }
}

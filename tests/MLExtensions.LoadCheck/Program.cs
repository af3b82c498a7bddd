using System.Globalization;
using Microsoft.ML;
using MLExtensions.LoadCheck;

// Usage: MLExtensions.LoadCheck <model.zip> <features.csv>
// Prints one line per feature row with the model's outputs, then whether libtorch was loaded into this process.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: MLExtensions.LoadCheck <model.zip> <features.csv>");
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

using System.Diagnostics;
using MLExtensions.Samples.BlobsMulticlass;
using MLExtensions.Samples.FriedmanRegression;
using MLExtensions.Samples.ImageFineTuning;
using MLExtensions.Samples.LinearRegression;
using MLExtensions.Samples.LongRangeAttention;
using MLExtensions.Samples.MoonsBinary;
using MLExtensions.Samples.NamesByLanguage;
using MLExtensions.Samples.OnnxExport;
using MLExtensions.Samples.SeasonalForecast;
using MLExtensions.Samples.SlotFilling;
using MLExtensions.Samples.ShapeSizeRegression;
using MLExtensions.Samples.ShapesImageClassification;
using MLExtensions.Samples.SpiralMulticlass;
using MLExtensions.Samples.YourOwnNetwork;

// Runs every sample, or only those named on the command line:
//   dotnet run --project samples/MLExtensions.Samples -c Release -- MoonsBinary
var samples = new (string Name, Action Run)[]
{
    ("LinearRegression", LinearRegressionModel.Run),
    ("FriedmanRegression", FriedmanRegressionModel.Run),
    ("MoonsBinary", MoonsBinaryModel.Run),
    ("SpiralMulticlass", SpiralMulticlassModel.Run),
    ("BlobsMulticlass", BlobsMulticlassModel.Run),
    ("ShapesImageClassification", ShapesImageClassificationModel.Run),
    ("ShapeSizeRegression", ShapeSizeRegressionModel.Run),
    ("ImageFineTuning", ImageFineTuningModel.Run),
    ("NamesByLanguage", NamesByLanguageModel.Run),
    ("SeasonalForecast", SeasonalForecastModel.Run),
    ("LongRangeAttention", LongRangeAttentionModel.Run),
    ("SlotFilling", SlotFillingModel.Run),
    ("YourOwnNetwork", YourOwnNetworkModel.Run),
    ("OnnxExport", OnnxExportSample.Run),
};

var selected = new List<(string Name, Action Run)>();
foreach (string arg in args)
{
    var match = samples.Where(s => s.Name.Equals(arg, StringComparison.OrdinalIgnoreCase)).ToArray();
    if (match.Length == 0)
    {
        Console.Error.WriteLine($"Unknown sample '{arg}'. Samples: {string.Join(", ", samples.Select(s => s.Name))}.");
        return 1;
    }
    selected.Add(match[0]);
}
if (selected.Count == 0)
    selected.AddRange(samples);

Console.OutputEncoding = System.Text.Encoding.UTF8; // the output uses R², · and −
var total = Stopwatch.StartNew();
var times = new List<(string Name, TimeSpan Time)>();
foreach (var (name, run) in selected)
{
    var watch = Stopwatch.StartNew();
    run();
    times.Add((name, watch.Elapsed));
}

Console.WriteLine();
Console.WriteLine("Run times:");
foreach (var (name, time) in times)
    Console.WriteLine($"  {name,-26} {time.TotalSeconds,6:F1}s");
Console.WriteLine($"  {"total",-26} {total.Elapsed.TotalSeconds,6:F1}s");
return 0;

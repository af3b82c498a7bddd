using Microsoft.ML;
using MLExtensions.Samples.Common;
using static MLExtensions.Samples.Common.ConsoleHelper;

namespace MLExtensions.Samples.SeasonalForecast;

public partial class SeasonalForecastModel
{
    public static void Run()
    {
        PrintHeader("SeasonalForecast: next value of a seasonal series from the previous 24, TorchRnn (LSTM) vs seasonal naive");

        var mlContext = new MLContext(seed: 1);
        float[] series = LoadSeries(mlContext, SamplePaths.DataFile(DataFileName));
        // Time order matters: train on the first 80 % of the windows and test on the later 20 %.
        var windows = MakeWindows(series);
        int trainCount = windows.Length * 4 / 5;
        IDataView train = LoadWindows(mlContext, windows[..trainCount]);
        IDataView test = LoadWindows(mlContext, windows[trainCount..]);

        ITransformer model = Train(mlContext, train);
        PrintSection("Training");
        PrintTrainingSummary("TorchRnn LSTM", model.GetNetwork());

        PrintSection(Invariant($"Test metrics (the last {windows.Length - trainCount} values)"));
        PrintRegressionMetrics(
            ("TorchRnn LSTM", Evaluate(mlContext, model, test)),
            ("Seasonal naive", EvaluateSeasonalNaive(mlContext, windows[trainCount..])));

        Save(mlContext, model, train.Schema, ModelPath);
        Console.WriteLine();
        Console.WriteLine($"  Saved {SamplePaths.Relative(ModelPath)} and {SamplePaths.Relative(Path.ChangeExtension(ModelPath, ".onnx"))}");
        SamplePlots.SaveTrainingCurve(model, ModelPath, "SeasonalForecast: TorchRnn (LSTM) training curve");
        SamplePlots.SavePredictedVsActual(model.Transform(test), ModelPath, "SeasonalForecast: TorchRnn (LSTM), next value on the test windows",
            "next value", LabelColumnName);
        (model as IDisposable)?.Dispose();

        PrintSection("Consuming the saved model: the next season after the data, one step at a time");
        float[] forecast = ForecastAhead(series, Season);
        Console.WriteLine("     t   forecast   a season earlier");
        for (int i = 0; i < forecast.Length; i++)
            Console.WriteLine(Invariant($"  {series.Length + i,4}   {forecast[i],8:F3}   {series[series.Length - Season + i],16:F3}"));
    }
}

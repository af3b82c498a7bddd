using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.SeasonalForecast;

public partial class SeasonalForecastModel
{
    public const string DataFileName = "seasonal.csv";
    public const string LabelColumnName = @"Label";
    public const int WindowSize = 24;
    public const int Season = 12;

    /// <summary>The series in time order.</summary>
    public static float[] LoadSeries(MLContext mlContext, string dataPath) =>
        mlContext.Data.CreateEnumerable<SeriesPoint>(
            mlContext.Data.LoadFromTextFile<SeriesPoint>(dataPath, separatorChar: ',', hasHeader: true), reuseRowObject: false)
            .Select(p => p.Value).ToArray();

    /// <summary>Every window of <see cref="WindowSize"/> values with the value that follows it.</summary>
    public static ModelInput[] MakeWindows(float[] series) =>
        Enumerable.Range(0, series.Length - WindowSize)
            .Select(t => new ModelInput { Features = series[t..(t + WindowSize)], Label = series[t + WindowSize] })
            .ToArray();

    public static IDataView LoadWindows(MLContext mlContext, IEnumerable<ModelInput> windows) =>
        mlContext.Data.LoadFromEnumerable(windows, ModelInput.SchemaDefinition());

    /// <summary>
    /// The window values centred and scaled (mean and variance of the training windows, so the LSTM's gates see values
    /// near 0), then an LSTM reading them one value per step; a dense layer turns its final state into the forecast.
    /// </summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext) =>
        mlContext.Transforms.NormalizeMeanVariance(@"Features", fixZero: false)
            .Append(mlContext.Regression.Trainers.TorchRnn(new RnnOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"Features",
                Cell = RnnCell.Lstm,
                StepSize = 1,
                HiddenSize = 32,
                Optimizer = TorchOptimizer.Adam,
                LearningRate = 5e-3,
                BatchSize = 32,
                Epochs = 30,
                Device = TorchDevice.Auto,
            }.WithProgress("TorchRnn")));

    public static ITransformer Train(MLContext mlContext, IDataView trainData) =>
        BuildPipeline(mlContext).FitWithProgress(trainData);

    public static RegressionMetrics Evaluate(MLContext mlContext, ITransformer model, IDataView testData) =>
        mlContext.Regression.Evaluate(model.Transform(testData), labelColumnName: LabelColumnName);

    /// <summary>A forecast and the value it forecast, for evaluating a baseline with ML.NET's evaluator.</summary>
    private sealed class Forecast
    {
        public float Label { get; set; }
        public float Score { get; set; }
    }

    /// <summary>The seasonal-naive baseline: every value is forecast as the value one season earlier.</summary>
    public static RegressionMetrics EvaluateSeasonalNaive(MLContext mlContext, IEnumerable<ModelInput> windows) =>
        mlContext.Regression.Evaluate(mlContext.Data.LoadFromEnumerable(
            windows.Select(w => new Forecast { Label = w.Label, Score = w.Features[WindowSize - Season] })));

    /// <summary>Saves the ML.NET model .zip, and the network alone as .onnx next to it.</summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string modelPath)
    {
        mlContext.Model.Save(model, inputSchema, modelPath);
        model.GetNetwork().SaveOnnx(Path.ChangeExtension(modelPath, ".onnx"));
    }
}

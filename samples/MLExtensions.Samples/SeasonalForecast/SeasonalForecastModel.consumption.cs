using Microsoft.ML;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.SeasonalForecast;

public partial class SeasonalForecastModel
{
    public static readonly string ModelPath = SamplePaths.ModelFile("SeasonalForecastModel.zip");

    public static readonly Lazy<PredictionEngine<ModelInput, ModelOutput>> PredictEngine = new(CreatePredictEngine, isThreadSafe: true);

    /// <summary>Predicts with the saved model, loaded on first use.</summary>
    public static ModelOutput Predict(ModelInput input) => PredictEngine.Value.Predict(input);

    /// <summary>Forecasts <paramref name="steps"/> values past the end of <paramref name="history"/>, each forecast feeding the next window.</summary>
    public static float[] ForecastAhead(IReadOnlyList<float> history, int steps)
    {
        var values = history.TakeLast(WindowSize).ToList();
        for (int i = 0; i < steps; i++)
            values.Add(Predict(new ModelInput { Features = values.TakeLast(WindowSize).ToArray() }).Score);
        return values.Skip(WindowSize).ToArray();
    }

    private static PredictionEngine<ModelInput, ModelOutput> CreatePredictEngine()
    {
        var mlContext = new MLContext();
        ITransformer model = mlContext.Model.Load(ModelPath, out _);
        return mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model, inputSchemaDefinition: ModelInput.SchemaDefinition());
    }
}

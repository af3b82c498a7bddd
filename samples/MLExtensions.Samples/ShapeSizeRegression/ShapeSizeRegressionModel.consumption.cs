using Microsoft.ML;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.ShapeSizeRegression;

public partial class ShapeSizeRegressionModel
{
    public static readonly string ModelPath = SamplePaths.ModelFile("ShapeSizeRegressionModel.zip");

    public static readonly Lazy<PredictionEngine<ModelInput, ModelOutput>> PredictEngine = new(CreatePredictEngine, isThreadSafe: true);

    /// <summary>Predicts with the saved model, loaded on first use.</summary>
    public static ModelOutput Predict(ModelInput input) => PredictEngine.Value.Predict(input);

    private static PredictionEngine<ModelInput, ModelOutput> CreatePredictEngine()
    {
        var mlContext = new MLContext();
        ITransformer model = mlContext.Model.Load(ModelPath, out _);
        return mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
    }
}

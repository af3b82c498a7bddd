using Microsoft.ML;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.FriedmanRegression;

public partial class FriedmanRegressionModel
{
    public static readonly string ModelPath = SamplePaths.ModelFile("FriedmanRegressionModel.zip");

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

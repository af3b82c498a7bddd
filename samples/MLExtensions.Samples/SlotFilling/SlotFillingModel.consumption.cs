using Microsoft.ML;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.SlotFilling;

public partial class SlotFillingModel
{
    public static readonly string ModelPath = SamplePaths.ModelFile("SlotFillingModel.zip");

    public static readonly Lazy<PredictionEngine<ModelInput, ModelOutput>> PredictEngine = new(CreatePredictEngine, isThreadSafe: true);

    /// <summary>Tags one sentence with the saved model, loaded on first use.</summary>
    public static ModelOutput Predict(string sentence) =>
        PredictEngine.Value.Predict(new ModelInput { Text = sentence, Tags = sentence }); // the tags column is only read for training

    private static PredictionEngine<ModelInput, ModelOutput> CreatePredictEngine()
    {
        var mlContext = new MLContext();
        ITransformer model = mlContext.Model.Load(ModelPath, out _);
        return mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
    }
}

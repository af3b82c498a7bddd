using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.ImageFineTuning;

public partial class ImageFineTuningModel
{
    public static readonly string ModelPath = SamplePaths.ModelFile("ImageFineTuningModel.zip");

    public static readonly Lazy<PredictionEngine<ModelInput, ModelOutput>> PredictEngine = new(CreatePredictEngine, isThreadSafe: true);

    /// <summary>Predicts with the saved model, loaded on first use.</summary>
    public static ModelOutput Predict(ModelInput input) => PredictEngine.Value.Predict(input);

    /// <summary>Every class with its probability, most likely first.</summary>
    public static IOrderedEnumerable<KeyValuePair<string, float>> PredictAllLabels(ModelInput input)
    {
        var engine = PredictEngine.Value;
        var output = engine.Predict(input);
        return GetClassNames(engine)
            .Zip(output.Score, (name, probability) => new KeyValuePair<string, float>(name, probability))
            .OrderByDescending(c => c.Value);
    }

    /// <summary>The class names in the order of the Score vector (the slot names of Score).</summary>
    private static string[] GetClassNames(PredictionEngine<ModelInput, ModelOutput> engine)
    {
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        engine.OutputSchema[@"Score"].GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    private static PredictionEngine<ModelInput, ModelOutput> CreatePredictEngine()
    {
        var mlContext = new MLContext();
        ITransformer model = mlContext.Model.Load(ModelPath, out _);
        return mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.SlotFilling;

public partial class SlotFillingModel
{
    public const string DataFileName = "slot-filling.tsv";

    /// <summary>Sentences with one tag per word, tab separated.</summary>
    public static IDataView LoadData(MLContext mlContext, string path) =>
        mlContext.Data.LoadFromTextFile<ModelInput>(path, separatorChar: '\t', hasHeader: true);

    /// <summary>
    /// Words and tags become vectors of keys (TokenizeIntoWords → MapValueToKey for each), a bidirectional LSTM predicts
    /// one tag per word (Output = PerStep), and the predicted keys go back to tag names.
    /// </summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext, bool bidirectional = true) =>
        mlContext.Transforms.TokenizeTaggedWordsAsKeys(featureColumnName: @"Words", labelColumnName: @"Label", textColumnName: @"Text", tagsColumnName: @"Tags")
            .Append(mlContext.MulticlassClassification.Trainers.TorchRnn(new RnnOptions
            {
                Output = SequenceOutput.PerStep,
                FeatureColumnName = @"Words",
                LabelColumnName = @"Label",
                Cell = RnnCell.Lstm,
                Bidirectional = bidirectional,
                EmbeddingSize = 32,
                HiddenSize = 48,
                LearningRate = 0.01,
                BatchSize = 32,
                Epochs = 6,
                Device = TorchDevice.Auto,
            }.WithProgress(bidirectional ? "TorchRnn tagger (BiLSTM)" : "TorchRnn tagger (LSTM)")))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue(@"PredictedTags", @"PredictedLabel"));

    public static ITransformer Train(MLContext mlContext, IDataView trainData, bool bidirectional = true) =>
        BuildPipeline(mlContext, bidirectional).FitWithProgress(trainData);

    /// <summary>Token accuracy, per-tag and CoNLL span scores on the test sentences.</summary>
    public static SequenceMetrics Evaluate(MLContext mlContext, ITransformer model, IDataView testData) =>
        mlContext.MulticlassClassification.EvaluateSequence(model.Transform(testData), labelColumnName: @"Label", predictedLabelColumnName: @"PredictedLabel");
}

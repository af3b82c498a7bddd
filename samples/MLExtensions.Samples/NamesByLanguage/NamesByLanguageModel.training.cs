using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.NamesByLanguage;

public partial class NamesByLanguageModel
{
    public const string DataFolderName = "names";
    public const string LabelColumnName = @"Label";

    /// <summary>One <c>&lt;language&gt;.txt</c> file per language, one name per line, as Text and Label.</summary>
    public static IDataView LoadData(MLContext mlContext, string dataFolder) =>
        mlContext.Data.LoadFromTextFolder(dataFolder);

    /// <summary>
    /// The language becomes a key, and the name a sequence of character keys. TokenizeIntoCharactersAsKeys numbers
    /// characters by their UTF-16 code (65,535 keys), so the keys go back to characters and then to keys of only the
    /// characters seen in training ("Tokens"), which keeps the embedding small. Unseen characters become "unknown".
    /// </summary>
    public static IEstimator<ITransformer> BuildFeaturizer(MLContext mlContext) =>
        mlContext.Transforms.Conversion.MapValueToKey(outputColumnName: LabelColumnName, inputColumnName: LabelColumnName)
            .Append(mlContext.Transforms.Text.TokenizeIntoCharactersAsKeys(@"CharacterCodes", @"Text", useMarkerCharacters: false))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue(@"Characters", @"CharacterCodes"))
            .Append(mlContext.Transforms.Conversion.MapValueToKey(@"Tokens", @"Characters"));

    /// <summary>A recurrent network reading the name one character at a time: embedding → LSTM or GRU → softmax.</summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext, RnnCell cell = RnnCell.Lstm) =>
        BuildFeaturizer(mlContext)
            .Append(mlContext.MulticlassClassification.Trainers.TorchRnn(new RnnOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"Tokens",
                Cell = cell,
                EmbeddingSize = 16,
                HiddenSize = 32,
                Optimizer = TorchOptimizer.Adam,
                LearningRate = 5e-3,
                BatchSize = 32,
                Epochs = 12,
                Device = TorchDevice.Auto,
            }.WithProgress("TorchRnn " + cell.ToString().ToUpperInvariant())))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue(outputColumnName: @"PredictedLabel", inputColumnName: @"PredictedLabel"));

    /// <summary>Text classification with self-attention: the same characters through a small transformer encoder.</summary>
    public static IEstimator<ITransformer> BuildAttentionPipeline(MLContext mlContext) =>
        BuildFeaturizer(mlContext)
            .Append(mlContext.MulticlassClassification.Trainers.TorchAttention(new AttentionOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"Tokens",
                ModelDimension = 32,
                Heads = 4,
                Layers = 2,
                FeedForwardSize = 64,
                Dropout = 0.1,
                PositionalEncoding = PositionalEncoding.Sinusoidal,
                Pooling = AttentionPooling.Mean,
                LearningRate = 2e-3,
                BatchSize = 32,
                Epochs = 15,
                Device = TorchDevice.Auto,
            }.WithProgress("TorchAttention")))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue(outputColumnName: @"PredictedLabel", inputColumnName: @"PredictedLabel"));

    /// <summary>The baseline: softmax regression on a bag of characters (how often each character occurs, order ignored).</summary>
    public static IEstimator<ITransformer> BuildBaselinePipeline(MLContext mlContext) =>
        BuildFeaturizer(mlContext)
            .Append(mlContext.Transforms.Text.ProduceNgrams(@"BagOfCharacters", @"Tokens", ngramLength: 1, useAllLengths: false))
            .Append(mlContext.MulticlassClassification.Trainers.TorchSoftmaxRegression(new LinearOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"BagOfCharacters",
                Optimizer = TorchOptimizer.Adam,
                LearningRate = 0.01,
                BatchSize = 32,
                Epochs = 30,
                Device = TorchDevice.Auto,
            }.WithProgress("TorchSoftmaxRegression")))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue(outputColumnName: @"PredictedLabel", inputColumnName: @"PredictedLabel"));

    public static ITransformer Train(MLContext mlContext, IDataView trainData) =>
        BuildPipeline(mlContext).FitWithProgress(trainData);

    public static MulticlassClassificationMetrics Evaluate(MLContext mlContext, ITransformer model, IDataView testData) =>
        mlContext.MulticlassClassification.Evaluate(model.Transform(testData), labelColumnName: LabelColumnName, scoreColumnName: @"Score");

    /// <summary>Saves the ML.NET model .zip, and the network alone as .onnx next to it.</summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string modelPath)
    {
        mlContext.Model.Save(model, inputSchema, modelPath);
        model.GetNetwork().SaveOnnx(Path.ChangeExtension(modelPath, ".onnx"));
    }
}

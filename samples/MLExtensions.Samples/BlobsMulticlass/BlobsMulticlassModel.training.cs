using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.BlobsMulticlass;

public partial class BlobsMulticlassModel
{
    public const string DataFileName = "multiclass-blobs.csv";
    public const string LabelColumnName = @"Label";

    private static readonly string[] FeatureColumns = [@"F1", @"F2", @"F3", @"F4", @"F5", @"F6", @"F7", @"F8"];

    public static IDataView LoadData(MLContext mlContext, string dataPath) =>
        mlContext.Data.LoadFromTextFile<ModelInput>(dataPath, separatorChar: ',', hasHeader: true);

    /// <summary>Softmax regression (one dense layer, cross-entropy) trained with TorchSharp.</summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext) =>
        mlContext.Transforms.Conversion.MapValueToKey(outputColumnName: LabelColumnName, inputColumnName: LabelColumnName)
            .Append(mlContext.Transforms.Concatenate(@"Features", FeatureColumns))
            .Append(mlContext.MulticlassClassification.Trainers.TorchSoftmaxRegression(new LinearOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"Features",
                Optimizer = TorchOptimizer.Adam,
                LearningRate = 0.01,
                BatchSize = 64,
                Epochs = 20,
                Device = TorchDevice.Auto,
            }.WithProgress("TorchSoftmaxRegression")))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue(outputColumnName: @"PredictedLabel", inputColumnName: @"PredictedLabel"));

    /// <summary>The same model fitted by ML.NET's own L-BFGS maximum-entropy trainer.</summary>
    public static IEstimator<ITransformer> BuildBaselinePipeline(MLContext mlContext) =>
        mlContext.Transforms.Conversion.MapValueToKey(outputColumnName: LabelColumnName, inputColumnName: LabelColumnName)
            .Append(mlContext.Transforms.Concatenate(@"Features", FeatureColumns))
            .Append(mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy(labelColumnName: LabelColumnName, featureColumnName: @"Features"))
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

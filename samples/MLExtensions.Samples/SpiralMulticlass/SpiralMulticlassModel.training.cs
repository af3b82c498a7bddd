using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.SpiralMulticlass;

public partial class SpiralMulticlassModel
{
    public const string DataFileName = "multiclass-spiral.csv";
    public const string LabelColumnName = @"Label";

    public static IDataView LoadData(MLContext mlContext, string dataPath) =>
        mlContext.Data.LoadFromTextFile<ModelInput>(dataPath, separatorChar: ',', hasHeader: true);

    /// <summary>A multilayer perceptron 2 → 64 → 64 → 3 trained with cross-entropy; the text label becomes a key and back.</summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext) =>
        mlContext.Transforms.Conversion.MapValueToKey(outputColumnName: LabelColumnName, inputColumnName: LabelColumnName)
            .Append(mlContext.Transforms.Concatenate(@"Features", @"X1", @"X2"))
            .Append(mlContext.MulticlassClassification.Trainers.TorchMlp(new MlpOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"Features",
                HiddenLayerSizes = [64, 64],
                Activation = Activation.Relu,
                Optimizer = TorchOptimizer.Adam,
                LearningRate = 0.01,
                BatchSize = 32,
                Epochs = 60,
                LearningRateSchedule = LearningRateSchedule.Cosine,
                Device = TorchDevice.Auto,
            }.WithProgress("TorchMlp")))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue(outputColumnName: @"PredictedLabel", inputColumnName: @"PredictedLabel"));

    /// <summary>The linear baseline: softmax regression on the same features.</summary>
    public static IEstimator<ITransformer> BuildBaselinePipeline(MLContext mlContext) =>
        mlContext.Transforms.Conversion.MapValueToKey(outputColumnName: LabelColumnName, inputColumnName: LabelColumnName)
            .Append(mlContext.Transforms.Concatenate(@"Features", @"X1", @"X2"))
            .Append(mlContext.MulticlassClassification.Trainers.TorchSoftmaxRegression(new LinearOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"Features",
                Optimizer = TorchOptimizer.Adam,
                LearningRate = 0.01,
                BatchSize = 32,
                Epochs = 20,
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

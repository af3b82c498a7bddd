using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.MoonsBinary;

public partial class MoonsBinaryModel
{
    public const string DataFileName = "binary-moons.csv";
    public const string LabelColumnName = @"Label";

    public static IDataView LoadData(MLContext mlContext, string dataPath) =>
        mlContext.Data.LoadFromTextFile<ModelInput>(dataPath, separatorChar: ',', hasHeader: true);

    /// <summary>A multilayer perceptron 2 → 32 → 32 → 1 with tanh activations, trained with binary cross-entropy.</summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext) =>
        mlContext.Transforms.Concatenate(@"Features", @"X1", @"X2")
            .Append(mlContext.BinaryClassification.Trainers.TorchMlp(new MlpOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"Features",
                HiddenLayerSizes = [32, 32],
                Activation = Activation.Tanh,
                Optimizer = TorchOptimizer.Adam,
                LearningRate = 0.01,
                BatchSize = 32,
                Epochs = 40,
                Device = TorchDevice.Auto,
            }.WithProgress("TorchMlp")));

    /// <summary>The linear baseline: logistic regression on the same features.</summary>
    public static IEstimator<ITransformer> BuildBaselinePipeline(MLContext mlContext) =>
        mlContext.Transforms.Concatenate(@"Features", @"X1", @"X2")
            .Append(mlContext.BinaryClassification.Trainers.TorchLogisticRegression(new LinearOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"Features",
                Optimizer = TorchOptimizer.Adam,
                LearningRate = 0.01,
                BatchSize = 32,
                Epochs = 20,
                Device = TorchDevice.Auto,
            }.WithProgress("TorchLogisticRegression")));

    public static ITransformer Train(MLContext mlContext, IDataView trainData) =>
        BuildPipeline(mlContext).FitWithProgress(trainData);

    public static CalibratedBinaryClassificationMetrics Evaluate(MLContext mlContext, ITransformer model, IDataView testData) =>
        mlContext.BinaryClassification.Evaluate(model.Transform(testData), labelColumnName: LabelColumnName);

    /// <summary>Saves the ML.NET model .zip, and the network alone as .onnx next to it.</summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string modelPath)
    {
        mlContext.Model.Save(model, inputSchema, modelPath);
        model.GetNetwork().SaveOnnx(Path.ChangeExtension(modelPath, ".onnx"));
    }
}

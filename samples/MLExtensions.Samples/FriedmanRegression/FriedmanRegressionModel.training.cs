using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.FriedmanRegression;

public partial class FriedmanRegressionModel
{
    public const string DataFileName = "friedman.csv";
    public const string LabelColumnName = @"Y";

    private static readonly string[] FeatureColumns = [@"F1", @"F2", @"F3", @"F4", @"F5", @"F6", @"F7", @"F8", @"F9", @"F10"];

    public static IDataView LoadData(MLContext mlContext, string dataPath) =>
        mlContext.Data.LoadFromTextFile<ModelInput>(dataPath, separatorChar: ',', hasHeader: true);

    /// <summary>A multilayer perceptron 10 → 64 → 64 → 1 on standardized features.</summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext) =>
        mlContext.Transforms.Concatenate(@"Features", FeatureColumns)
            .Append(mlContext.Transforms.NormalizeMeanVariance(@"Features"))
            .Append(mlContext.Regression.Trainers.TorchMlp(new MlpOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"Features",
                HiddenLayerSizes = [64, 64],
                Activation = Activation.Relu,
                Optimizer = TorchOptimizer.Adam,
                LearningRate = 0.005,
                BatchSize = 32,
                Epochs = 60,
                // Three epochs of warm-up, then cosine annealing down to MinLearningRate.
                LearningRateSchedule = LearningRateSchedule.Cosine,
                WarmupEpochs = 3,
                MinLearningRate = 1e-5,
                // Hold out 10 % of the training rows; stop when their loss has not improved for 10 epochs and keep the best epoch.
                ValidationFraction = 0.1,
                EarlyStoppingPatience = 10,
                RestoreBestWeights = true,
                Device = TorchDevice.Auto,
            }.WithProgress("TorchMlp")));

    /// <summary>The linear baseline on the same features.</summary>
    public static IEstimator<ITransformer> BuildBaselinePipeline(MLContext mlContext) =>
        mlContext.Transforms.Concatenate(@"Features", FeatureColumns)
            .Append(mlContext.Transforms.NormalizeMeanVariance(@"Features"))
            .Append(mlContext.Regression.Trainers.TorchLinearRegression(new LinearOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"Features",
                Optimizer = TorchOptimizer.Adam,
                LearningRate = 0.05,
                Epochs = 30,
                Device = TorchDevice.Auto,
            }.WithProgress("TorchLinearRegression")));

    public static ITransformer Train(MLContext mlContext, IDataView trainData) =>
        BuildPipeline(mlContext).FitWithProgress(trainData);

    public static RegressionMetrics Evaluate(MLContext mlContext, ITransformer model, IDataView testData) =>
        mlContext.Regression.Evaluate(model.Transform(testData), labelColumnName: LabelColumnName);

    /// <summary>Saves the ML.NET model .zip, and the network alone as .onnx next to it.</summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string modelPath)
    {
        mlContext.Model.Save(model, inputSchema, modelPath);
        model.GetNetwork().SaveOnnx(Path.ChangeExtension(modelPath, ".onnx"));
    }
}

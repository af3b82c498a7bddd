using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.LinearRegression;

public partial class LinearRegressionModel
{
    public const string DataFileName = "linear.csv";
    public const string LabelColumnName = @"Y";

    public static IDataView LoadData(MLContext mlContext, string dataPath) =>
        mlContext.Data.LoadFromTextFile<ModelInput>(dataPath, separatorChar: ',', hasHeader: true);

    /// <summary>Linear regression "from scratch": one dense layer, squared loss, plain SGD with learning rate 0.03 on mini-batches of 10, 3 epochs.</summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext) =>
        mlContext.Transforms.Concatenate(@"Features", @"X1", @"X2")
            .Append(mlContext.Regression.Trainers.TorchLinearRegression(new LinearOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"Features",
                Optimizer = TorchOptimizer.Sgd,
                LearningRate = 0.03,
                BatchSize = 10,
                Epochs = 3,
                Loss = RegressionLoss.Mse,
                // Weights start at N(0, 0.01²), as in the from-scratch version.
                WeightInitialization = WeightInitialization.Normal,
                InitScale = 0.01,
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

using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.ShapeSizeRegression;

public partial class ShapeSizeRegressionModel
{
    public const string DataFolderName = "shape-sizes";
    public const string LabelFileName = "labels.csv";
    public const string LabelColumnName = @"Label";
    public const int ImageSize = 32;

    /// <summary>The image folder; the model's ImagePath values are relative to it.</summary>
    public static readonly string ImageFolder = SamplePaths.DataFile(DataFolderName);

    public static IDataView LoadData(MLContext mlContext, string dataPath) =>
        mlContext.Data.LoadFromTextFile<ModelInput>(dataPath, separatorChar: ',', hasHeader: true);

    /// <summary>Image file → 32×32 RGB pixels scaled to [0, 1] → LeNet predicting the score.</summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext) =>
        mlContext.Transforms.LoadImages(outputColumnName: @"Image", imageFolder: ImageFolder, inputColumnName: @"ImagePath")
            .Append(mlContext.Transforms.ResizeImages(outputColumnName: @"Image", imageWidth: ImageSize, imageHeight: ImageSize))
            .Append(mlContext.Transforms.ExtractPixels(outputColumnName: @"Features", inputColumnName: @"Image", scaleImage: 1f / 255))
            .Append(mlContext.Regression.Trainers.TorchCnn(new CnnOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"Features",
                ImageHeight = ImageSize,
                ImageWidth = ImageSize,
                ImageChannels = 3,
                Architecture = CnnArchitecture.LeNet,
                Optimizer = TorchOptimizer.Adam,
                LearningRate = 2e-3,
                BatchSize = 32,
                Epochs = 30,
                Device = TorchDevice.Auto,
            }.WithProgress("TorchCnn")));

    public static ITransformer Train(MLContext mlContext, IDataView trainData) =>
        BuildPipeline(mlContext).FitWithProgress(trainData);

    public static RegressionMetrics Evaluate(MLContext mlContext, ITransformer model, IDataView testData) =>
        mlContext.Regression.Evaluate(model.Transform(testData), labelColumnName: LabelColumnName);

    /// <summary>Saves the ML.NET model .zip (image loading included), and the network alone as .onnx next to it.</summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string modelPath)
    {
        mlContext.Model.Save(model, inputSchema, modelPath);
        model.GetNetwork().SaveOnnx(Path.ChangeExtension(modelPath, ".onnx"));
    }
}

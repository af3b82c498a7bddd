using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.ShapesImageClassification;

public partial class ShapesImageClassificationModel
{
    public const string DataFolderName = "shapes";
    public const string LabelColumnName = @"Label";
    public const int ImageSize = 32;

    /// <summary>The image folder; the model's ImagePath values are relative to it.</summary>
    public static readonly string ImageFolder = SamplePaths.DataFile(DataFolderName);

    /// <summary>Every image of the image folder's class sub-folders (<c>&lt;class&gt;/*.png</c>), labelled with its folder name.</summary>
    public static IDataView LoadData(MLContext mlContext, string imageFolder) => mlContext.Data.LoadFromImageFolder(imageFolder);

    /// <summary>Image file → 32×32 RGB pixels scaled to [0, 1] (channels first) as Features; the class name → a key.</summary>
    public static IEstimator<ITransformer> BuildFeaturizer(MLContext mlContext) =>
        mlContext.Transforms.LoadImages(outputColumnName: @"Image", imageFolder: ImageFolder, inputColumnName: @"ImagePath")
            .Append(mlContext.Transforms.ResizeImages(outputColumnName: @"Image", imageWidth: ImageSize, imageHeight: ImageSize))
            .Append(mlContext.Transforms.ExtractPixels(outputColumnName: @"Features", inputColumnName: @"Image", scaleImage: 1f / 255))
            .Append(mlContext.Transforms.Conversion.MapValueToKey(outputColumnName: LabelColumnName, inputColumnName: LabelColumnName));

    /// <summary>LeNet: two convolution + max-pooling stages and three dense layers.</summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext) =>
        BuildFeaturizer(mlContext)
            .Append(mlContext.MulticlassClassification.Trainers.TorchCnn(new CnnOptions
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
                Epochs = 25,
                Device = TorchDevice.Auto,
            }.WithProgress("TorchCnn")))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue(outputColumnName: @"PredictedLabel", inputColumnName: @"PredictedLabel"));

    /// <summary>The linear baseline: softmax regression on the same 3,072 pixel values.</summary>
    public static IEstimator<ITransformer> BuildBaselinePipeline(MLContext mlContext) =>
        BuildFeaturizer(mlContext)
            .Append(mlContext.MulticlassClassification.Trainers.TorchSoftmaxRegression(new LinearOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"Features",
                Optimizer = TorchOptimizer.Adam,
                LearningRate = 2e-3,
                BatchSize = 32,
                Epochs = 25,
                Device = TorchDevice.Auto,
            }.WithProgress("TorchSoftmaxRegression")))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue(outputColumnName: @"PredictedLabel", inputColumnName: @"PredictedLabel"));

    public static ITransformer Train(MLContext mlContext, IDataView trainData) =>
        BuildPipeline(mlContext).FitWithProgress(trainData);

    public static MulticlassClassificationMetrics Evaluate(MLContext mlContext, ITransformer model, IDataView testData) =>
        mlContext.MulticlassClassification.Evaluate(model.Transform(testData), labelColumnName: LabelColumnName, scoreColumnName: @"Score");

    /// <summary>Saves the ML.NET model .zip (image loading included), and the network alone as .onnx next to it.</summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string modelPath)
    {
        mlContext.Model.Save(model, inputSchema, modelPath);
        model.GetNetwork().SaveOnnx(Path.ChangeExtension(modelPath, ".onnx"));
    }
}

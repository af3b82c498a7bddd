using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.YourOwnNetwork;

public partial class YourOwnNetworkModel
{
    public const string DataFolderName = "shapes";
    public const string LabelColumnName = @"Label";
    public const int ImageSize = 32;

    /// <summary>The image folder; the model's ImagePath values are relative to it.</summary>
    public static readonly string ImageFolder = SamplePaths.DataFile(DataFolderName);

    /// <summary>The classes: one sub-folder of the image folder each.</summary>
    public static int ClassCount => Directory.GetDirectories(ImageFolder).Length;

    /// <summary>Every image of the image folder's class sub-folders (<c>&lt;class&gt;/*.png</c>), labelled with its folder name.</summary>
    public static IDataView LoadData(MLContext mlContext, string imageFolder) => mlContext.Data.LoadFromImageFolder(imageFolder);

    /// <summary>
    /// Image file → 32×32 RGB pixels scaled to [0, 1] (a vector of 3·32·32 values, channels first) → ShapesNet, which
    /// receives them as [N, 3, 32, 32] through InputShape; the class name becomes a key and back.
    /// </summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext)
    {
        int classes = ClassCount;
        return mlContext.Transforms.LoadImages(outputColumnName: @"Image", imageFolder: ImageFolder, inputColumnName: @"ImagePath")
            .Append(mlContext.Transforms.ResizeImages(outputColumnName: @"Image", imageWidth: ImageSize, imageHeight: ImageSize))
            .Append(mlContext.Transforms.ExtractPixels(outputColumnName: @"Features", inputColumnName: @"Image", scaleImage: 1f / 255))
            .Append(mlContext.Transforms.Conversion.MapValueToKey(outputColumnName: LabelColumnName, inputColumnName: LabelColumnName))
            .Append(mlContext.MulticlassClassification.Trainers.TorchModule(() => new ShapesNet(classes), new ModuleOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"Features",
                InputShape = [3, ImageSize, ImageSize],
                Optimizer = TorchOptimizer.AdamW,
                LearningRate = 2e-3,
                WeightDecay = 1e-4,
                LearningRateSchedule = LearningRateSchedule.Cosine,
                BatchSize = 32,
                Epochs = 12,
                ValidationFraction = 0.1,
                EarlyStoppingPatience = 4,
                Device = TorchDevice.Auto,
            }.WithProgress("TorchModule")))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue(outputColumnName: @"PredictedLabel", inputColumnName: @"PredictedLabel"));
    }

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

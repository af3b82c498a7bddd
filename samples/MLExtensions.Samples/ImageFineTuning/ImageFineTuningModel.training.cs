using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.ImageFineTuning;

public partial class ImageFineTuningModel
{
    public const string DataFolderName = "shapes-in-clutter";
    public const string LabelColumnName = @"Label";

    /// <summary>The fine-tuned network's input: the 64×64 images enlarged to 96×96 (ResNet-18 sees 3×3 maps at its end).</summary>
    public const int ImageSize = 96;

    /// <summary>DnnFeaturizeImage's ResNet-18 reads 224×224 images.</summary>
    public const int FeaturizerImageSize = 224;

    /// <summary>The image folder; the model's ImagePath values are relative to it.</summary>
    public static readonly string ImageFolder = SamplePaths.DataFile(DataFolderName);

    /// <summary>Every image of the image folder's class sub-folders (<c>&lt;class&gt;/*.png</c>), labelled with its folder name.</summary>
    public static IDataView LoadData(MLContext mlContext, string imageFolder) => mlContext.Data.LoadFromImageFolder(imageFolder);

    /// <summary>
    /// Image file → RGB pixels as ExtractPixels writes them by default (0–255, channels first) as Features; the class
    /// name → a key. The normalization ImageNet weights expect is inside the network.
    /// </summary>
    public static IEstimator<ITransformer> BuildFeaturizer(MLContext mlContext, int imageSize) =>
        mlContext.Transforms.LoadImages(outputColumnName: @"Image", imageFolder: ImageFolder, inputColumnName: @"ImagePath")
            .Append(mlContext.Transforms.ResizeImages(outputColumnName: @"Image", imageWidth: imageSize, imageHeight: imageSize))
            .Append(mlContext.Transforms.ExtractPixels(outputColumnName: @"Features", inputColumnName: @"Image"))
            .Append(mlContext.Transforms.Conversion.MapValueToKey(outputColumnName: LabelColumnName, inputColumnName: LabelColumnName));

    /// <summary>
    /// ResNet-18 fine-tuned from ML.NET's ImageNet weights (the package Microsoft.ML.DnnImageFeaturizer.ResNet18, copied to
    /// DnnImageModels/ next to the program): two epochs with the backbone frozen (only the new head trains), then all
    /// layers, the backbone at a tenth of the head's learning rate; the training images flipped and shifted at random.
    /// </summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext, PretrainedWeights? weights = null) =>
        BuildFeaturizer(mlContext, ImageSize)
            .Append(mlContext.MulticlassClassification.Trainers.TorchVision(new TorchVisionOptions
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = @"Features",
                ImageHeight = ImageSize,
                ImageWidth = ImageSize,
                Backbone = VisionBackbone.ResNet18,
                Weights = weights ?? PretrainedWeights.DnnImageFeaturizerResNet18(),
                FreezeBackboneEpochs = 2,
                BackboneLearningRateFactor = 0.1,
                Augmentation = new ImageAugmentation { HorizontalFlip = true, CropPadding = 12 },
                Optimizer = TorchOptimizer.Adam,
                LearningRate = 1e-3,
                BatchSize = 16,
                Epochs = 10,
                Device = TorchDevice.Auto,
            }.WithProgress("TorchVision ResNet-18")))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue(outputColumnName: @"PredictedLabel", inputColumnName: @"PredictedLabel"));

    /// <summary>What an ML.NET user reaches for today: the same ImageNet ResNet-18 as a frozen featurizer (512 pooled features) and a linear classifier.</summary>
    public static IEstimator<ITransformer> BuildBaselinePipeline(MLContext mlContext) =>
        BuildFeaturizer(mlContext, FeaturizerImageSize)
            .Append(mlContext.Transforms.DnnFeaturizeImage(outputColumnName: @"ImageNetFeatures",
                modelFactory: m => m.ModelSelector.ResNet18(mlContext, m.OutputColumn, m.InputColumn), inputColumnName: @"Features"))
            .Append(mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy(labelColumnName: LabelColumnName, featureColumnName: @"ImageNetFeatures"))
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

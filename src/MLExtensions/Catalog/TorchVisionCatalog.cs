using Microsoft.ML;
using MLExtensions.Tasks;

namespace MLExtensions;

/// <summary>The <c>TorchVision</c> trainers (torchvision architectures, from scratch or fine-tuned) on ML.NET's trainer catalogs.</summary>
public static class TorchVisionCatalog
{
    /// <summary>A torchvision network predicting a value from an image (pixels from <c>ExtractPixels</c>).</summary>
    public static TorchVisionTrainer TorchVision(this RegressionCatalog.RegressionTrainers catalog, TorchVisionOptions options) =>
        new(MlNetInternals.CatalogEnvironment(catalog), options, o => new RegressionHead(o.Loss, o.HuberDelta, o.LabelScaling));

    /// <summary>A torchvision network classifying images in two classes (the label is Boolean).</summary>
    public static TorchVisionTrainer TorchVision(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, TorchVisionOptions options) =>
        new(MlNetInternals.CatalogEnvironment(catalog), options, _ => new BinaryClassificationHead());

    /// <summary>A torchvision network classifying images. The label must be a key.</summary>
    public static TorchVisionTrainer TorchVision(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, TorchVisionOptions options) =>
        new(MlNetInternals.CatalogEnvironment(catalog), options, _ => new MulticlassClassificationHead());

    /// <summary>A torchvision network classifying images, with the common arguments. The label must be a key.</summary>
    public static TorchVisionTrainer TorchVision(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        int imageHeight, int imageWidth, VisionBackbone backbone = VisionBackbone.ResNet18, PretrainedWeights? weights = null,
        string labelColumnName = "Label", string featureColumnName = "Features", int epochs = 10, int batchSize = 32, double learningRate = 1e-3) =>
        catalog.TorchVision(new TorchVisionOptions
        {
            ImageHeight = imageHeight, ImageWidth = imageWidth, Backbone = backbone, Weights = weights,
            LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Epochs = epochs, BatchSize = batchSize, LearningRate = learningRate,
        });
}

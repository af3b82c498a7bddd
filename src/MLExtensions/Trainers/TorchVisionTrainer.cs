using Microsoft.ML.Runtime;
using MLExtensions.Inputs;
using MLExtensions.Networks;
using MLExtensions.Tasks;
using MLExtensions.Training;

namespace MLExtensions;

/// <summary>
/// A torchvision architecture (ResNet-18/34/50, MobileNetV2) with a new head for regression, binary or multiclass
/// classification, trained from scratch or fine-tuned from pretrained weights: the backbone frozen for the first
/// <see cref="TorchVisionOptions.FreezeBackboneEpochs"/> epochs, then trained at
/// <see cref="TorchVisionOptions.BackboneLearningRateFactor"/> times the head's learning rate, with optional data
/// augmentation of the training batches.
/// </summary>
public sealed class TorchVisionTrainer : TorchTrainerBase<TorchVisionOptions>
{
    internal TorchVisionTrainer(IHostEnvironment? env, TorchVisionOptions options, Func<TorchTrainerOptions, TaskHead> task)
        : base(env, options, task, "TorchVision")
    {
    }

    /// <summary>What the last network built was made of (backbone, weights loaded, input normalization), for logs.</summary>
    public string? NetworkDescription { get; private set; }

    private ImageShape Shape => new(3, Options.ImageHeight, Options.ImageWidth);

    private protected override void ValidateArchitectureOptions()
    {
        var o = Options;
        if (o.ImageHeight <= 0 || o.ImageWidth <= 0)
            throw new ArgumentOutOfRangeException(nameof(TorchVisionOptions.ImageHeight),
                $"TorchVisionOptions.ImageHeight and ImageWidth must be positive (got {o.ImageHeight}×{o.ImageWidth}).");
        if (!Enum.IsDefined(o.Backbone))
            throw new ArgumentOutOfRangeException(nameof(TorchVisionOptions.Backbone), o.Backbone, "Unknown backbone.");
        if (!(o.PixelScale > 0) || double.IsInfinity(o.PixelScale))
            throw new ArgumentOutOfRangeException(nameof(TorchVisionOptions.PixelScale), o.PixelScale,
                "PixelScale is the scaleImage given to ExtractPixels: 1 for 0–255 values, 1f / 255 for [0, 1].");
        if (o.FreezeBackboneEpochs < 0)
            throw new ArgumentOutOfRangeException(nameof(TorchVisionOptions.FreezeBackboneEpochs), o.FreezeBackboneEpochs, "FreezeBackboneEpochs must not be negative.");
        if (!(o.BackboneLearningRateFactor > 0) || double.IsInfinity(o.BackboneLearningRateFactor))
            throw new ArgumentOutOfRangeException(nameof(TorchVisionOptions.BackboneLearningRateFactor), o.BackboneLearningRateFactor,
                "BackboneLearningRateFactor must be a positive number (1 trains the backbone at the head's rate).");
        if (!(o.Dropout >= 0 && o.Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(TorchVisionOptions.Dropout), o.Dropout, "Dropout must be in [0, 1).");
        if (o.Optimizer == TorchOptimizer.Lbfgs && (o.FreezeBackboneEpochs > 0 || o.BackboneLearningRateFactor != 1))
            throw new ArgumentException("FreezeBackboneEpochs and BackboneLearningRateFactor need a gradient optimizer (Adam, AdamW, Sgd, ...), not full-batch L-BFGS.",
                nameof(TorchVisionOptions.Optimizer));
        if (o.Augmentation is not null)
            ImageAugmenter.Validate(o.Augmentation);
        if (o.Weights is { } w)
        {
            if (!File.Exists(w.Path))
                throw new FileNotFoundException($"The pretrained weights file '{w.Path}' does not exist.", w.Path);
            if (w.PreprocessingPath is not null && !File.Exists(w.PreprocessingPath))
                throw new FileNotFoundException($"The preprocessing model '{w.PreprocessingPath}' does not exist.", w.PreprocessingPath);
            if (o.WeightInitialization != WeightInitialization.Default)
                throw new ArgumentException($"WeightInitialization {o.WeightInitialization} would overwrite the pretrained weights; keep Default with Weights.",
                    nameof(TorchVisionOptions.WeightInitialization));
        }
        DeviceResolver.EnsureBackend();
    }

    private protected override void ValidateFeatureSize(int featureSize)
    {
        var o = Options;
        int pixels = o.ImageHeight * o.ImageWidth;
        if (featureSize == 3 * pixels)
            return;
        string hint = featureSize == pixels
            ? " The vector has one value per pixel: the images look grayscale; extract RGB pixels (the backbones read three channels)."
            : featureSize == 4 * pixels
                ? " The vector has four values per pixel: ExtractPixels included the alpha channel; extract Rgb only."
                : " Resize the images to ImageWidth × ImageHeight (ResizeImages) before ExtractPixels.";
        throw new ArgumentOutOfRangeException(o.FeatureColumnName,
            $"Feature column '{o.FeatureColumnName}' has {featureSize} values per row, but TorchVisionOptions describes " +
            $"{o.ImageHeight}×{o.ImageWidth} RGB images = {3 * pixels} values.{hint}");
    }

    private protected override NetworkModule CreateNetwork(InputLayout layout, int outputSize)
    {
        var o = Options;
        var network = VisionNetworks.Create(o.Backbone, Shape, outputSize, o.Weights, o.PixelScale, o.Dropout, out string description);
        NetworkDescription = description;
        return network;
    }

    private protected override TrainingHooks CreateHooks(NetworkModule network) =>
        VisionTrainingHooks.Create((VisionNetwork)network, Options);
}

namespace MLExtensions;

/// <summary>
/// Options for <c>TorchVision</c>: a torchvision architecture (<see cref="Backbone"/>) with a new head for the task,
/// trained from scratch or fine-tuned from <see cref="Weights"/>. The feature column holds the pixels of one RGB image
/// as ML.NET's <c>ExtractPixels</c> writes them (channels first: all red values, then green, then blue), so its size
/// must be 3 × <see cref="ImageHeight"/> × <see cref="ImageWidth"/>; the normalization the weights expect (channel
/// order, mean, scale) is part of the network and saved with it.
/// </summary>
public sealed class TorchVisionOptions : TorchTrainerOptions
{
    /// <summary>Image height in pixels (any size; the networks end in global average pooling).</summary>
    public int ImageHeight { get; set; } = 224;

    /// <summary>Image width in pixels.</summary>
    public int ImageWidth { get; set; } = 224;

    /// <summary>The architecture.</summary>
    public VisionBackbone Backbone { get; set; } = VisionBackbone.ResNet18;

    /// <summary>Pretrained weights for the backbone (null: train from scratch with torchvision's initialization).</summary>
    public PretrainedWeights? Weights { get; set; }

    /// <summary>
    /// The factor <c>ExtractPixels</c> applied to the 0–255 pixel values (its <c>scaleImage</c>): 1 (its default) or
    /// <c>1f / 255</c> for values in [0, 1]. The network converts them to what the weights expect.
    /// </summary>
    public double PixelScale { get; set; } = 1;

    /// <summary>
    /// Epochs at the start during which the backbone is frozen: only the new head trains, the backbone's parameters get
    /// no gradients and its batch norm layers keep their statistics (evaluation mode). 0 trains everything from the start.
    /// </summary>
    public int FreezeBackboneEpochs { get; set; }

    /// <summary>
    /// The backbone's learning rate as a fraction of the head's (<see cref="TorchTrainerOptions.LearningRate"/>, which
    /// the schedule and warm-up change for both alike); for example 0.1 fine-tunes pretrained layers gently.
    /// </summary>
    public double BackboneLearningRateFactor { get; set; } = 1;

    /// <summary>Dropout on the pooled features before the head during training (0 disables it).</summary>
    public double Dropout { get; set; }

    /// <summary>Random changes to the training images (null or all off: none).</summary>
    public ImageAugmentation? Augmentation { get; set; }
}

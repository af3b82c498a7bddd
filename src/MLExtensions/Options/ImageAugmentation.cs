namespace MLExtensions;

/// <summary>
/// Random changes to the training images of each batch (data augmentation), drawn from the training loop's seeded
/// generator on the training device. They are never applied to validation data or at prediction: the saved model
/// contains none of them. Everything is off by default.
/// </summary>
public sealed class ImageAugmentation
{
    /// <summary>Mirrors each image left to right with probability 1/2.</summary>
    public bool HorizontalFlip { get; set; }

    /// <summary>
    /// Random resized crop: the smallest fraction of the image's area a crop may keep (for example 0.5; 1 turns it off).
    /// Each image is replaced by a crop of U(<see cref="CropScale"/>, 1) of its area, with an aspect ratio between 3/4 and
    /// 4/3 and a random position, resized back to the image size (bilinear).
    /// </summary>
    public double CropScale { get; set; } = 1;

    /// <summary>Pad-and-crop: shifts each image by up to this many pixels in each direction, filling with zeros (0 turns it off).</summary>
    public int CropPadding { get; set; }

    /// <summary>Colour jitter: brightness is multiplied by U(1 − b, 1 + b) per image (0 turns it off; 0.2 is a small jitter).</summary>
    public double Brightness { get; set; }

    /// <summary>Colour jitter: contrast (the distance to the image's mean grey) is multiplied by U(1 − c, 1 + c) per image.</summary>
    public double Contrast { get; set; }

    /// <summary>Colour jitter: saturation (the distance to each pixel's grey) is multiplied by U(1 − s, 1 + s) per image.</summary>
    public double Saturation { get; set; }

    /// <summary>Whether any change is switched on.</summary>
    public bool Any => HorizontalFlip || CropScale < 1 || CropPadding > 0 || Brightness > 0 || Contrast > 0 || Saturation > 0;

    /// <summary>The usual light augmentation for fine-tuning on few images: flips, crops of 60–100 % of the area, 10 % colour jitter.</summary>
    public static ImageAugmentation Standard() => new()
    {
        HorizontalFlip = true, CropScale = 0.6, Brightness = 0.1, Contrast = 0.1, Saturation = 0.1,
    };
}

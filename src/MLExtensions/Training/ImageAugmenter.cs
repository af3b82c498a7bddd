using MLExtensions.Networks;
using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>
/// Applies <see cref="ImageAugmentation"/> to a training batch of flat pixel rows [N, 3·H·W] (ExtractPixels' layout,
/// channels R, G, B) on the batch's device, with every random number drawn from the loop's seeded CPU generator, so that
/// runs repeat. Geometry (flip, random resized crop, pad-and-crop) is one affine resampling per image; a flip alone is an
/// exact mirror. Colour jitter (brightness, contrast, saturation) follows, clamped to the pixels' range.
/// </summary>
internal sealed class ImageAugmenter
{
    private static readonly float[] Luma = [0.299f, 0.587f, 0.114f];

    private readonly ImageAugmentation _options;
    private readonly ImageShape _shape;
    private readonly double _maxPixel;

    /// <param name="options">What to change.</param>
    /// <param name="shape">The images' shape (3 channels).</param>
    /// <param name="maxPixel">The largest pixel value (255 × ExtractPixels' scale).</param>
    public ImageAugmenter(ImageAugmentation options, ImageShape shape, double maxPixel)
    {
        _options = options;
        _shape = shape;
        _maxPixel = maxPixel;
    }

    /// <summary>Checks the options; the message names the one out of range.</summary>
    public static void Validate(ImageAugmentation a)
    {
        if (!(a.CropScale > 0 && a.CropScale <= 1))
            throw new ArgumentOutOfRangeException(nameof(ImageAugmentation.CropScale), a.CropScale, "CropScale must be in (0, 1]; 1 turns the random crop off.");
        if (a.CropPadding < 0)
            throw new ArgumentOutOfRangeException(nameof(ImageAugmentation.CropPadding), a.CropPadding, "CropPadding must not be negative.");
        foreach (var (name, value) in new[] { (nameof(a.Brightness), a.Brightness), (nameof(a.Contrast), a.Contrast), (nameof(a.Saturation), a.Saturation) })
            if (!(value >= 0 && value < 1))
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1): the factor is drawn from U(1 − {name}, 1 + {name}).");
    }

    /// <summary>The augmented batch (a new tensor; <paramref name="x"/> is not changed).</summary>
    public Tensor Apply(Tensor x, Generator generator)
    {
        long n = x.shape[0];
        var (c, h, w) = (_shape.Channels, _shape.Height, _shape.Width);
        var image = x.reshape(n, c, h, w);
        var a = _options;
        bool resample = a.CropScale < 1 || a.CropPadding > 0;
        if (resample)
            image = Resample(image, generator);
        else if (a.HorizontalFlip)
        {
            var flip = (Uniform(n, generator, x.device) < 0.5).reshape(n, 1, 1, 1);
            image = where(flip, image.flip(3), image);
        }

        if (a.Brightness > 0 || a.Contrast > 0 || a.Saturation > 0)
        {
            var luma = tensor(Luma, [1, 3, 1, 1], device: x.device);
            if (a.Brightness > 0)
                image = image * Factor(n, a.Brightness, generator, x.device);
            if (a.Contrast > 0)
            {
                var mean = (image * luma).sum(1, keepdim: true).mean([2, 3], keepdim: true);
                image = (image - mean) * Factor(n, a.Contrast, generator, x.device) + mean;
            }
            if (a.Saturation > 0)
            {
                var grey = (image * luma).sum(1, keepdim: true);
                image = (image - grey) * Factor(n, a.Saturation, generator, x.device) + grey;
            }
            image = image.clamp(0, _maxPixel);
        }
        return image.reshape(n, c * h * w);
    }

    /// <summary>Flip, random resized crop and integer shifts as one affine grid per image, sampled bilinearly with zero fill.</summary>
    private Tensor Resample(Tensor image, Generator generator)
    {
        long n = image.shape[0];
        var a = _options;
        var cpu = CPU;
        Tensor scaleX = ones(n), scaleY = ones(n), shiftX = zeros(n), shiftY = zeros(n);
        if (a.CropScale < 1)
        {
            var area = Uniform(n, generator, cpu) * (1 - a.CropScale) + a.CropScale;
            var logRatio = (Uniform(n, generator, cpu) * 2 - 1) * Math.Log(4.0 / 3);
            var ratio = logRatio.exp();
            scaleX = (area * ratio).sqrt().clamp_max(1);
            scaleY = (area / ratio).sqrt().clamp_max(1);
            shiftX = (Uniform(n, generator, cpu) * 2 - 1) * (1 - scaleX);
            shiftY = (Uniform(n, generator, cpu) * 2 - 1) * (1 - scaleY);
        }
        if (a.CropPadding > 0)
        {
            var dx = randint(-a.CropPadding, a.CropPadding + 1, [n], generator: generator).to(ScalarType.Float32);
            var dy = randint(-a.CropPadding, a.CropPadding + 1, [n], generator: generator).to(ScalarType.Float32);
            shiftX = shiftX + dx * (2.0 / _shape.Width);
            shiftY = shiftY + dy * (2.0 / _shape.Height);
        }
        if (a.HorizontalFlip)
            scaleX = scaleX * where(Uniform(n, generator, cpu) < 0.5, -1f, 1f);
        var zero = zeros(n);
        var theta = stack([stack([scaleX, zero, shiftX], 1), stack([zero, scaleY, shiftY], 1)], 1).to(image.device);
        var grid = nn.functional.affine_grid(theta, [n, _shape.Channels, _shape.Height, _shape.Width], align_corners: false);
        return nn.functional.grid_sample(image, grid, align_corners: false);
    }

    private static Tensor Uniform(long n, Generator generator, Device device) => rand([n], generator: generator).to(device);

    private static Tensor Factor(long n, double amount, Generator generator, Device device) =>
        ((Uniform(n, generator, CPU) * 2 - 1) * amount + 1).to(device).reshape(n, 1, 1, 1);
}

using MLExtensions.Networks;
using MLExtensions.Training;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Tests;

/// <summary>The batch augmentation: what each change does to a batch, seeded, and never applied when switched off.</summary>
[TestClass]
public sealed class ImageAugmentationTests
{
    private static readonly ImageShape Shape = new(3, 6, 5);

    private static Tensor Batch(int n = 16) => torch.rand([n, Shape.Size], generator: new Generator(3)) * 255;

    private static Tensor Apply(ImageAugmentation options, Tensor x, ulong seed = 1)
    {
        using var generator = new Generator(seed, device: CPU);
        return new ImageAugmenter(options, Shape, 255).Apply(x, generator);
    }

    private static float[] Image(Tensor batch, int i) => batch[i].contiguous().data<float>().ToArray();

    [TestMethod]
    public void AFlipMirrorsSomeImagesExactlyAndKeepsTheOthers()
    {
        using var scope = torch.NewDisposeScope();
        var x = Batch();
        var y = Apply(new ImageAugmentation { HorizontalFlip = true }, x);
        var mirrored = x.reshape(-1, 3, 6, 5).flip(3).reshape(-1, Shape.Size);
        int flipped = 0, kept = 0;
        for (int i = 0; i < 16; i++)
        {
            if (Image(y, i).SequenceEqual(Image(x, i)))
                kept++;
            else
            {
                CollectionAssert.AreEqual(Image(mirrored, i), Image(y, i), $"image {i} is neither itself nor its mirror");
                flipped++;
            }
        }
        Assert.IsTrue(flipped > 0 && kept > 0, $"{flipped} flipped, {kept} kept");
    }

    [TestMethod]
    public void TheSameSeedGivesTheSameBatchAndAnotherSeedAnother()
    {
        using var scope = torch.NewDisposeScope();
        var x = Batch();
        var options = ImageAugmentation.Standard();
        options.CropPadding = 1;
        var a = Apply(options, x, 7);
        var b = Apply(options, x, 7);
        var c = Apply(options, x, 8);
        CollectionAssert.AreEqual(a.data<float>().ToArray(), b.data<float>().ToArray());
        Assert.IsFalse(a.data<float>().ToArray().SequenceEqual(c.data<float>().ToArray()));
        Assert.IsFalse(a.data<float>().ToArray().SequenceEqual(x.data<float>().ToArray()), "the batch changed");
        CollectionAssert.AreEqual(x.shape, a.shape);
        Assert.IsTrue(a.min().item<float>() >= 0 && a.max().item<float>() <= 255, "colour jitter stays within the pixel range");
    }

    [TestMethod]
    public void PadAndCropShiftsEachImageByWholePixelsWithZeros()
    {
        using var scope = torch.NewDisposeScope();
        var x = Batch(8);
        var y = Apply(new ImageAugmentation { CropPadding = 2 }, x);
        var images = x.reshape(-1, 3, 6, 5);
        int shifted = 0;
        for (int i = 0; i < 8; i++)
        {
            bool found = false;
            for (int dy = -2; dy <= 2 && !found; dy++)
            for (int dx = -2; dx <= 2 && !found; dx++)
            {
                var expected = torch.zeros(3, 6, 5);
                for (int r = 0; r < 6; r++)
                for (int col = 0; col < 5; col++)
                    if (r + dy is >= 0 and < 6 && col + dx is >= 0 and < 5)
                        expected[.., r, col] = images[i, .., r + dy, col + dx];
                if (torch.allclose(expected.reshape(-1), y[i], rtol: 0, atol: 1e-3))
                {
                    found = true;
                    if (dx != 0 || dy != 0)
                        shifted++;
                }
            }
            Assert.IsTrue(found, $"image {i} is not a shift of at most 2 pixels");
        }
        Assert.IsGreaterThan(0, shifted);
    }

    [TestMethod]
    public void ARandomResizedCropResamplesAndBrightnessScalesEachImage()
    {
        using var scope = torch.NewDisposeScope();
        var x = Batch(8);
        var cropped = Apply(new ImageAugmentation { CropScale = 0.5 }, x);
        for (int i = 0; i < 8; i++)
            Assert.IsFalse(Image(cropped, i).SequenceEqual(Image(x, i)), $"image {i} was not cropped");

        var bright = Apply(new ImageAugmentation { Brightness = 0.3 }, x * 0.5);
        var ratio = bright / (x * 0.5);
        for (int i = 0; i < 8; i++)
        {
            float first = ratio[i, 0].item<float>();
            Assert.IsTrue(first >= 0.7f - 1e-4 && first <= 1.3f + 1e-4, $"factor {first}");
            Assert.IsTrue(torch.allclose(ratio[i], torch.full(Shape.Size, first), rtol: 1e-4, atol: 1e-4), $"image {i}: one factor per image");
        }
    }

    [TestMethod]
    public void NoAugmentationMeansNoHookAndBadOptionsAreNamed()
    {
        var options = new TorchVisionOptions { ImageHeight = 6, ImageWidth = 5, Augmentation = new ImageAugmentation() };
        using var network = new VisionNetwork("v", new ImageShape(3, 6, 5), VisionNetworks.Backbone(VisionBackbone.ResNet18),
            new ImageNormalization(PixelNormalization.ImageNet, new ImageShape(3, 6, 5), 1), 0, 2);
        Assert.IsNull(VisionTrainingHooks.Create(network, options).Augment, "all changes off: the batches are not touched");
        options.Augmentation = new ImageAugmentation { HorizontalFlip = true };
        Assert.IsNotNull(VisionTrainingHooks.Create(network, options).Augment);

        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageAugmenter.Validate(new ImageAugmentation { CropScale = 0 }));
        Assert.AreEqual(nameof(ImageAugmentation.CropScale), e.ParamName);
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageAugmenter.Validate(new ImageAugmentation { Saturation = 1.5 }));
        Assert.AreEqual(nameof(ImageAugmentation.Saturation), e.ParamName);
    }
}

using Microsoft.ML;

namespace MLExtensions.Benchmarks.Defaults;

/// <summary>
/// (c) 8 × 8 digit images as 64 count features (0 … 16) in 10 classes, the shape of the UCI optical digits (3,823
/// training rows, 1,797 test rows), from <see cref="DigitImages"/>; and the same digits as 16 × 16 grayscale images for
/// the convolutional network.
/// </summary>
internal static class DigitSets
{
    public static (StudySet Counts, StudySet Images) Create(MLContext ml, int trainRows, int testRows, int seed)
    {
        var generator = new DigitImages(seed);
        var train = Enumerable.Range(0, trainRows).Select(_ => generator.Next()).ToArray();
        var test = Enumerable.Range(0, testRows).Select(_ => generator.Next()).ToArray();
        StudySplit Split(Func<float[], float[]> encode) => new(
            StudyRows.View(ml, train.Select(d => encode(d.Canvas)).ToArray(), train.Select(d => d.Label).ToArray(), DigitImages.ClassCount),
            StudyRows.View(ml, test.Select(d => encode(d.Canvas)).ToArray(), test.Select(d => d.Label).ToArray(), DigitImages.ClassCount),
            trainRows, testRows);
        var counts = new StudySet("digits", "8×8 digits",
            "64 block counts (0–16) of drawn digits (two styles per digit, random affine maps and pen widths), 10 classes",
            StudyTask.Multiclass, StudyInput.Dense, 64, DigitImages.ClassCount, [Split(DigitImages.Counts)])
        { StepSize = 8, ImageSide = 8 };
        var images = new StudySet("digit-images", "16×16 digit images",
            "the same digits as 16×16 grayscale images (the CNN's input)",
            StudyTask.Multiclass, StudyInput.Dense, 256, DigitImages.ClassCount, [Split(c => DigitImages.Downsample(c, 2))])
        { ImageSide = 16 };
        return (counts, images);
    }
}

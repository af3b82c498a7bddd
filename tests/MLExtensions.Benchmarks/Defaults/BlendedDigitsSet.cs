using Microsoft.ML;

namespace MLExtensions.Benchmarks.Defaults;

/// <summary>
/// A second image set for the convolutional network: MNIST-shaped 28 × 28 images from <see cref="SyntheticDigits"/>
/// (stroke prototypes shifted by up to two pixels, blended with another class's prototype, heavy pixel noise).
/// </summary>
internal static class BlendedDigitsSet
{
    public static StudySet Create(MLContext ml, int trainRows, int testRows, int seed)
    {
        var generator = new SyntheticDigits(seed);
        var (trainX, trainY) = generator.Next(trainRows);
        var (testX, testY) = generator.Next(testRows);
        float[][] Rows(float[] x, int n) => Enumerable.Range(0, n).Select(i => x.AsSpan(i * SyntheticDigits.FeatureCount, SyntheticDigits.FeatureCount).ToArray()).ToArray();
        return new StudySet("blend-28", "28×28 blended images",
            "MNIST-shaped stroke prototypes, shifted, blended with another class (up to 45 %) and noisy (σ 0.3), 10 classes",
            StudyTask.Multiclass, StudyInput.Dense, SyntheticDigits.FeatureCount, SyntheticDigits.ClassCount,
            [new StudySplit(StudyRows.View(ml, Rows(trainX, trainRows), trainY, SyntheticDigits.ClassCount),
                StudyRows.View(ml, Rows(testX, testRows), testY, SyntheticDigits.ClassCount), trainRows, testRows)])
        { ImageSide = SyntheticDigits.Side };
    }
}

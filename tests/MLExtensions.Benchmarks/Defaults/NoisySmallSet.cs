using Microsoft.ML;

namespace MLExtensions.Benchmarks.Defaults;

/// <summary>
/// (e) A small, noisy binary set where overfitting shows: 300 training rows of 10 features (four matter, on scales from
/// 0.1 to 100), the class is the sign of a mostly linear score with one interaction, and 30 % of the labels (training
/// and test alike) are flipped, so the best possible accuracy is about 70 %.
/// </summary>
internal static class NoisySmallSet
{
    public const int FeatureCount = 10;
    public const double FlipRate = 0.3;
    private static readonly double[] Scales = [1, 100, 0.1, 10, 1, 5, 0.5, 20, 1, 2];

    public static StudySet Create(MLContext ml, int trainRows, int testRows, int replicates, int seed)
    {
        var splits = StudySplit.Replicates(trainRows, testRows, replicates, seed, (random, n) =>
        {
            var (x, y) = Rows(random, n);
            return StudyRows.View(ml, x, y);
        });
        return new StudySet("noisy-300", "small noisy binary",
            "300 rows, 10 features (4 matter) on scales 0.1–100, a mostly linear class with one interaction, 30 % of labels flipped",
            StudyTask.Binary, StudyInput.Dense, FeatureCount, 2, splits);
    }

    internal static (float[][] Features, bool[] Labels) Rows(SeededRandom random, int count)
    {
        var x = new float[count][];
        var y = new bool[count];
        for (int i = 0; i < count; i++)
        {
            var u = Enumerable.Range(0, FeatureCount).Select(_ => random.Normal()).ToArray();
            double score = u[0] + 0.8 * u[1] - 0.6 * u[2] + 0.6 * u[0] * u[3];
            x[i] = u.Select((v, k) => (float)(v * Scales[k])).ToArray();
            y[i] = (score > 0) ^ random.Bernoulli(FlipRate);
        }
        return (x, y);
    }
}

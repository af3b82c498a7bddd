using Microsoft.ML;

namespace MLExtensions.Benchmarks.Defaults;

/// <summary>
/// (d) A large tabular regression: Friedman's first function on 60,000 rows. Ten uniform inputs u₁ … u₁₀ (of which
/// u₆ … u₁₀ do not matter) plus ten noisy copies of them, all shown in units of very different sizes;
/// y = 100 + 10 sin(π u₁ u₂) + 20 (u₃ − ½)² + 10 u₄ + 5 u₅ + ε, ε ~ N(0, 1): mean ≈ 114, σ ≈ 5.
/// </summary>
internal static class FriedmanLargeSet
{
    public const int FeatureCount = 20;
    private static readonly double[] Scales = [1000, 0.01, 1, 50, 3, 1, 200, 0.1, 10, 1];
    private static readonly double[] Offsets = [0, 5, -0.5, 100, 0, 20, 0, 1, -3, 0];

    public static StudySet Create(MLContext ml, int trainRows, int testRows, int seed)
    {
        var random = new SeededRandom(seed);
        var (trainX, trainY) = Rows(random, trainRows);
        var (testX, testY) = Rows(random, testRows);
        return new StudySet("friedman-60k", "large tabular regression",
            "Friedman #1 (5 of 10 inputs matter, 10 noisy copies), 20 features on mixed scales, y = 114 ± 5",
            StudyTask.Regression, StudyInput.Dense, FeatureCount, 0,
            [new StudySplit(StudyRows.View(ml, trainX, trainY), StudyRows.View(ml, testX, testY), trainRows, testRows)]);
    }

    internal static (float[][] Features, double[] Labels) Rows(SeededRandom random, int count)
    {
        var x = new float[count][];
        var y = new double[count];
        for (int i = 0; i < count; i++)
        {
            var u = Enumerable.Range(0, 10).Select(_ => random.Uniform()).ToArray();
            var row = new float[FeatureCount];
            for (int k = 0; k < 10; k++)
            {
                row[k] = (float)(Offsets[k] + Scales[k] * u[k]);
                row[10 + k] = (float)(Offsets[k] + Scales[k] * (u[k] + 0.3 * random.Normal()));
            }
            x[i] = row;
            y[i] = 100 + 10 * Math.Sin(Math.PI * u[0] * u[1]) + 20 * Math.Pow(u[2] - 0.5, 2) + 10 * u[3] + 5 * u[4] + random.Normal();
        }
        return (x, y);
    }
}

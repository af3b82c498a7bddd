using Microsoft.ML;

namespace MLExtensions.Benchmarks.Defaults;

/// <summary>
/// (a) A house-price-like regression: 13 features of a neighbourhood on very different scales (a crime rate spread over
/// four decades, a 0/1 river flag, a tax rate in the hundreds, proportions below 1), driven by two hidden factors
/// (wealth and urbanity) so that they are correlated; the price (mean ≈ 22, σ ≈ 9, capped at 50 like the census data)
/// depends on them nonlinearly: the log of the lower-status share, a convex gain for large rooms, a saturating crime
/// penalty, plus noise.
/// </summary>
internal static class HousingLikeSet
{
    public const int FeatureCount = 13;

    public static StudySet Create(MLContext ml, int trainRows, int testRows, int replicates, int seed)
    {
        var splits = StudySplit.Replicates(trainRows, testRows, replicates, seed, (random, n) =>
        {
            var (x, y) = Rows(random, n);
            return StudyRows.View(ml, x, y);
        });
        return new StudySet("housing", "house-price-like regression",
            "13 correlated features on scales from 0.01 to 700, price ≈ 23 ± 10 with exponential, convex, saturating and threshold parts, capped at 50",
            StudyTask.Regression, StudyInput.Dense, FeatureCount, 0, splits);
    }

    internal static (float[][] Features, double[] Labels) Rows(SeededRandom random, int count)
    {
        var x = new float[count][];
        var y = new double[count];
        for (int i = 0; i < count; i++)
        {
            double wealth = random.Normal(), urban = random.Normal();
            double lstat = Math.Clamp(Math.Exp(2.45 - 0.45 * wealth + 0.12 * urban + 0.2 * random.Normal()), 1.7, 38);
            double rooms = 6.3 + 0.45 * wealth + 0.45 * random.Normal();
            double crime = Math.Exp(-1.0 + 1.4 * urban - 0.6 * wealth + 0.9 * random.Normal());
            double zoned = Math.Max(0, Math.Round(-20 * urban + 10 * wealth + 15 * random.Normal() - 10));
            double industry = Math.Clamp(11 + 5 * urban - 2 * wealth + 3 * random.Normal(), 0.5, 28);
            double river = random.Bernoulli(0.07) ? 1 : 0;
            double nox = Math.Clamp(0.55 + 0.08 * urban - 0.02 * wealth + 0.04 * random.Normal(), 0.38, 0.87);
            double age = Math.Clamp(68 + 22 * urban - 8 * wealth + 15 * random.Normal(), 3, 100);
            double distance = Math.Exp(1.2 - 0.45 * urban + 0.25 * random.Normal());
            bool hub = urban + 0.3 * random.Normal() > 1.0;
            double highways = hub ? 24 : Math.Round(Math.Clamp(5 + 1.5 * urban + 1.5 * random.Normal(), 1, 8));
            double tax = hub ? 666 : Math.Clamp(330 + 60 * urban + 40 * random.Normal(), 187, 500);
            double pupils = Math.Clamp(18.5 + 1.5 * urban - 1.0 * wealth + 1.0 * random.Normal(), 12.6, 22);
            double b = Math.Clamp(397 - Math.Abs(random.Normal()) * (urban > 0.8 ? 120 : 15), 0.3, 397);
            x[i] = [(float)crime, (float)zoned, (float)industry, (float)river, (float)nox, (float)rooms, (float)age,
                (float)distance, (float)highways, (float)tax, (float)pupils, (float)b, (float)lstat];

            double price = 23.5
                + 30.0 * (Math.Exp(-lstat / 6.0) - Math.Exp(-11.0 / 6.0))
                + 9.0 * Math.Pow(Math.Max(0, rooms - 6.6), 2) + 1.0 * (rooms - 6.3)
                - 6.0 * Math.Log(1 + crime) + 3.5
                + (river > 0 ? 2.0 + 4.0 * Math.Max(0, rooms - 6.3) : 0)
                - 8.0 * Math.Max(0, nox - 0.6) / 0.1
                - 0.8 * (pupils - 18.5)
                + 3.0 * (distance < 1.8 ? -1 : 0)
                + 2.5 * random.Normal();
            y[i] = Math.Clamp(price, 5, 50);
        }
        return (x, y);
    }
}

using Microsoft.ML;

namespace MLExtensions.Benchmarks.Defaults;

/// <summary>
/// (b) A medical-like binary set shaped like the breast-cancer diagnostic data: ten measurements of a cell nucleus
/// (radius, texture, perimeter, area, smoothness, compactness, concavity, concave points, symmetry, fractal dimension),
/// each as a mean, a standard error and a "worst" value: 30 strongly correlated features on scales from 0.001 to 2,500.
/// Malignant rows (37 %) have larger and more irregular nuclei; three hidden factors (size, irregularity, texture)
/// overlap between the classes, so a linear model reaches about 97 %.
/// </summary>
internal static class MedicalLikeSet
{
    public const int FeatureCount = 30;

    public static StudySet Create(MLContext ml, int trainRows, int testRows, int replicates, int seed)
    {
        var splits = StudySplit.Replicates(trainRows, testRows, replicates, seed, (random, n) =>
        {
            var (x, y) = Rows(random, n);
            return StudyRows.View(ml, x, y);
        });
        return new StudySet("medical", "medical-like binary",
            "30 correlated measurements (mean, standard error, worst of 10) on scales from 0.001 to 2,500, 37 % positive",
            StudyTask.Binary, StudyInput.Dense, FeatureCount, 2, splits);
    }

    internal static (float[][] Features, bool[] Labels) Rows(SeededRandom random, int count)
    {
        var x = new float[count][];
        var y = new bool[count];
        for (int i = 0; i < count; i++)
        {
            bool malignant = random.Bernoulli(0.37);
            double m = malignant ? 1 : 0;
            double size = random.Normal(2.1 * m - 0.75, 0.75);
            double irregular = random.Normal(2.0 * m - 0.7, 0.8);
            double texture = random.Normal(0.7 * m - 0.25, 1.0);
            double Noise(double sigma) => Math.Exp(sigma * random.Normal());

            double radius = 14 * Math.Exp(0.2 * size) * Noise(0.04);
            double[] mean =
            [
                radius,
                19 * Math.Exp(0.18 * texture) * Noise(0.08),
                2 * Math.PI * radius * (1.0 + 0.04 * irregular) * Noise(0.015),
                Math.PI * radius * radius * Noise(0.03),
                0.096 * Math.Exp(0.1 * irregular) * Noise(0.1),
                0.10 * Math.Exp(0.4 * irregular + 0.1 * size) * Noise(0.2),
                0.09 * Math.Exp(0.7 * irregular + 0.2 * size) * Noise(0.3),
                0.05 * Math.Exp(0.6 * irregular + 0.3 * size) * Noise(0.2),
                0.18 * Math.Exp(0.06 * irregular) * Noise(0.1),
                0.063 * Math.Exp(0.05 * irregular - 0.05 * size) * Noise(0.08),
            ];
            var row = new float[FeatureCount];
            for (int k = 0; k < 10; k++)
            {
                row[k] = (float)mean[k];
                row[10 + k] = (float)(mean[k] * 0.07 * Math.Exp(0.15 * size) * Noise(0.35));
                row[20 + k] = (float)(mean[k] * (1.25 + 0.08 * irregular) * Noise(0.06));
            }
            x[i] = row;
            y[i] = malignant;
        }
        return (x, y);
    }
}

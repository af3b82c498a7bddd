namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// friedman.csv — Friedman #1: F1..F10 ~ U(0, 1) and
/// Y = 10·sin(π·F1·F2) + 20·(F3 − 0.5)² + 10·F4 + 5·F5 + N(0, 1). F6..F10 do not enter Y.
/// </summary>
internal sealed class FriedmanDataset : IDataset
{
    public const int Seed = 1002;
    public const int Rows = 3000;
    public const int Features = 10;
    public const double NoiseStdDev = 1.0;

    public string FileName => "friedman.csv";

    public static double Target(IReadOnlyList<double> f) =>
        10.0 * Math.Sin(Math.PI * f[0] * f[1])
        + 20.0 * (f[2] - 0.5) * (f[2] - 0.5)
        + 10.0 * f[3]
        + 5.0 * f[4];

    public CsvTable Generate()
    {
        var random = new Random(Seed);
        var normal = new GaussianSampler(random);
        var table = new CsvTable([.. CsvTable.Numbered("F", Features), "Y"]);
        var row = new double[Features + 1];
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Features; j++)
                row[j] = random.NextDouble();
            row[Features] = Target(row) + normal.Next(0, NoiseStdDev);
            table.Add(row);
        }
        table.Shuffle(random);
        return table;
    }
}

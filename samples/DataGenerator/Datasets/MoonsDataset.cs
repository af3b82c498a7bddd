namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// binary-moons.csv — two interleaving half circles with Gaussian noise (sd 0.2) on both coordinates.
/// Label false: the upper moon (cos t, sin t); label true: the lower moon (1 − cos t, 0.5 − sin t); t ~ U(0, π).
/// </summary>
internal sealed class MoonsDataset : IDataset
{
    public const int Seed = 1004;
    public const int Rows = 3000;
    public const double NoiseStdDev = 0.2;

    public string FileName => "binary-moons.csv";

    public CsvTable Generate()
    {
        var random = new Random(Seed);
        var normal = new GaussianSampler(random);
        var table = new CsvTable(["X1", "X2", "Label"]);
        for (int i = 0; i < Rows; i++)
        {
            bool lower = i % 2 == 1;
            double t = Math.PI * random.NextDouble();
            double x = lower ? 1.0 - Math.Cos(t) : Math.Cos(t);
            double y = lower ? 0.5 - Math.Sin(t) : Math.Sin(t);
            table.Add([x + normal.Next(0, NoiseStdDev), y + normal.Next(0, NoiseStdDev)], CsvTable.FormatLabel(lower));
        }
        table.Shuffle(random);
        return table;
    }
}

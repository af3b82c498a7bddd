namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// multiclass-spiral.csv — three interleaved spiral arms. For arm k and u ~ U(0, 1): radius r = u and
/// angle θ = 4k + 4u + N(0, 0.2²); the point is (r·sin θ, r·cos θ). No straight line separates the arms.
/// </summary>
internal sealed class SpiralDataset : IDataset
{
    public const int Seed = 1006;
    public const int Rows = 3000;
    public const double TurnPerArm = 4.0;
    public const double AngleNoiseStdDev = 0.2;
    public static readonly string[] Classes = { "red", "green", "blue" };

    public string FileName => "multiclass-spiral.csv";

    public CsvTable Generate()
    {
        var random = new Random(Seed);
        var normal = new GaussianSampler(random);
        var table = new CsvTable(["X1", "X2", "Label"]);
        for (int i = 0; i < Rows; i++)
        {
            int k = i % Classes.Length;
            double u = random.NextDouble();
            double theta = TurnPerArm * (k + u) + normal.Next(0, AngleNoiseStdDev);
            table.Add([u * Math.Sin(theta), u * Math.Cos(theta)], Classes[k]);
        }
        table.Shuffle(random);
        return table;
    }
}

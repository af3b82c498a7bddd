namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// linear.csv — X1, X2 ~ N(0, 1) and Y = 2·X1 − 3.4·X2 + 4.2 + N(0, 0.01²): linear regression from scratch.
/// </summary>
internal sealed class LinearDataset : IDataset
{
    public const int Seed = 1001;
    public const int Rows = 1000;
    public static readonly double[] Weights = { 2.0, -3.4 };
    public const double Bias = 4.2;
    public const double NoiseStdDev = 0.01;

    public string FileName => "linear.csv";

    public CsvTable Generate()
    {
        var random = new Random(Seed);
        var normal = new GaussianSampler(random);
        var table = new CsvTable(["X1", "X2", "Y"]);
        for (int i = 0; i < Rows; i++)
        {
            double x1 = normal.Next();
            double x2 = normal.Next();
            double y = Weights[0] * x1 + Weights[1] * x2 + Bias + normal.Next(0, NoiseStdDev);
            table.Add([x1, x2, y]);
        }
        table.Shuffle(random);
        return table;
    }
}

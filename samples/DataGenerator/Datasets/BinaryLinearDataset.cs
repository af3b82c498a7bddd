namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// binary-linear.csv — F1..F10 ~ N(0, 1) and Label ~ Bernoulli(sigmoid(w·F + b)) for a fixed w and b.
/// The true decision rule w·F + b &gt; 0 is about 87 % accurate; F8..F10 carry no signal. Logistic regression fits this model exactly.
/// </summary>
internal sealed class BinaryLinearDataset : IDataset
{
    public const int Seed = 1003;
    public const int Rows = 6000;
    public static readonly double[] Weights = { 2.5, -2.0, 1.6, -1.2, 1.0, -0.8, 0.5, 0.0, 0.0, 0.0 };
    public const double Bias = 0.5;

    public string FileName => "binary-linear.csv";

    public static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

    public CsvTable Generate()
    {
        var random = new Random(Seed);
        var normal = new GaussianSampler(random);
        int features = Weights.Length;
        var table = new CsvTable([.. CsvTable.Numbered("F", features), "Label"]);
        var f = new double[features];
        for (int i = 0; i < Rows; i++)
        {
            double z = Bias;
            for (int j = 0; j < features; j++)
            {
                f[j] = normal.Next();
                z += Weights[j] * f[j];
            }
            bool label = random.NextDouble() < Sigmoid(z);
            table.Add(f, CsvTable.FormatLabel(label));
        }
        table.Shuffle(random);
        return table;
    }
}

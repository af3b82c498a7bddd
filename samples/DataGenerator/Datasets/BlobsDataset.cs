namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// multiclass-blobs.csv — five classes in eight dimensions, each N(μ_k, I). The means are drawn once from
/// N(0, I) and multiplied by <see cref="MeanScale"/>, which sets how much the classes overlap
/// (nearest-mean, i.e. Bayes, accuracy about 88 %). Softmax regression is the matching model.
/// </summary>
internal sealed class BlobsDataset : IDataset
{
    public const int Seed = 1005;
    public const int Rows = 6000;
    public const int Features = 8;
    public const double MeanScale = 1.0;
    public static readonly string[] Classes = { "alpha", "beta", "gamma", "delta", "epsilon" };

    public string FileName => "multiclass-blobs.csv";

    public CsvTable Generate()
    {
        var random = new Random(Seed);
        var normal = new GaussianSampler(random);

        var means = new double[Classes.Length][];
        for (int k = 0; k < Classes.Length; k++)
        {
            means[k] = new double[Features];
            for (int j = 0; j < Features; j++)
                means[k][j] = MeanScale * normal.Next();
        }

        var table = new CsvTable([.. CsvTable.Numbered("F", Features), "Label"]);
        var f = new double[Features];
        for (int i = 0; i < Rows; i++)
        {
            int k = i % Classes.Length;
            for (int j = 0; j < Features; j++)
                f[j] = means[k][j] + normal.Next();
            table.Add(f, Classes[k]);
        }
        table.Shuffle(random);
        return table;
    }
}

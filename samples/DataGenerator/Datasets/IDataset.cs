namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>A synthetic dataset with a fixed seed: the same table on every run and every machine.</summary>
internal interface IDataset
{
    /// <summary>The file name under the output folder, e.g. <c>linear.csv</c>.</summary>
    string FileName { get; }

    /// <summary>Generates the rows, already shuffled.</summary>
    CsvTable Generate();
}

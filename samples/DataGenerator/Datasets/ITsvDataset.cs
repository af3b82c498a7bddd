namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>A synthetic tab separated set with a fixed seed: the same bytes on every run and every machine.</summary>
internal interface ITsvDataset
{
    /// <summary>The file name under the output folder, e.g. <c>slot-filling.tsv</c>.</summary>
    string FileName { get; }

    /// <summary>Generates the rows, already in random order.</summary>
    TsvTable Generate();
}

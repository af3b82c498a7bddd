using MLExtensions.Samples.DataGenerator;
using MLExtensions.Samples.DataGenerator.Datasets;

// Writes the synthetic CSV datasets used by the samples and tests.
// Usage: dotnet run --project samples/DataGenerator [output-folder]
// Without an argument the output folder is data/ in the repository root (the folder holding MLExtensions.sln).

string? outputDirectory = args.Length > 0 ? args[0] : DefaultOutputDirectory();
if (outputDirectory is null)
{
    Console.Error.WriteLine(
        $"Could not find {RepositoryLocator.SolutionFileName} above {Environment.CurrentDirectory}; pass the output folder as the first argument.");
    return 1;
}

Directory.CreateDirectory(outputDirectory);

IDataset[] datasets =
[
    new LinearDataset(),
    new FriedmanDataset(),
    new BinaryLinearDataset(),
    new MoonsDataset(),
    new BlobsDataset(),
    new SpiralDataset(),
];

foreach (var dataset in datasets)
{
    var table = dataset.Generate();
    string path = Path.Combine(outputDirectory, dataset.FileName);
    table.Write(path);
    Console.WriteLine($"{dataset.FileName,-24} {table.RowCount,6} rows  {new FileInfo(path).Length,9:N0} bytes");
}

Console.WriteLine($"Written to {Path.GetFullPath(outputDirectory)}");
return 0;

static string? DefaultOutputDirectory()
{
    string? root = RepositoryLocator.FindRoot(Environment.CurrentDirectory);
    return root is null ? null : Path.Combine(root, "data");
}

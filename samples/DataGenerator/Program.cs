using MLExtensions.Samples.DataGenerator;
using MLExtensions.Samples.DataGenerator.Datasets;

// Writes the synthetic CSV datasets, tab separated sequence-labeling sets, PNG image sets and text sets used by the
// samples and tests.
// Usage: dotnet run --project samples/DataGenerator [-- [output-folder] [--only name[,name...]]]
// Without a folder the output folder is data/ in the repository root (the folder holding MLExtensions.sln).
// --only writes just the named sets: a CSV or TSV file name with or without its extension (e.g. linear, seasonal,
// slot-filling), an image folder (shapes, shape-sizes, shapes-in-clutter) or a text folder (names). Without it every set is written.

IDataset[] datasets =
[
    new LinearDataset(),
    new FriedmanDataset(),
    new BinaryLinearDataset(),
    new MoonsDataset(),
    new BlobsDataset(),
    new SpiralDataset(),
    new SeasonalDataset(),
];

ITsvDataset[] tsvDatasets =
[
    new SlotFillingDataset(),
    new CharHelloDataset(),
    new PositionParityDataset(),
];

IImageDataset[] imageDatasets =
[
    new ShapesDataset(),
    new ShapeSizesDataset(),
    new ShapesInClutterDataset(),
];

ITextFolderDataset[] textDatasets =
[
    new NamesDataset(),
];

var knownNames = datasets.Select(d => Path.GetFileNameWithoutExtension(d.FileName))
    .Concat(tsvDatasets.Select(d => Path.GetFileNameWithoutExtension(d.FileName)))
    .Concat(imageDatasets.Select(d => d.FolderName))
    .Concat(textDatasets.Select(d => d.FolderName))
    .ToArray();

string? outputDirectory = null;
HashSet<string>? only = null;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--only")
    {
        if (i + 1 >= args.Length)
            return Usage("--only needs a comma separated list of set names.");
        only ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            only.Add(name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase)
                ? name[..^4] : name);
    }
    else if (args[i].StartsWith("--", StringComparison.Ordinal) || outputDirectory is not null)
    {
        return Usage($"Unexpected argument '{args[i]}'.");
    }
    else
    {
        outputDirectory = args[i];
    }
}

if (only is not null)
{
    var unknown = only.Where(n => !knownNames.Contains(n, StringComparer.OrdinalIgnoreCase)).ToArray();
    if (unknown.Length > 0)
        return Usage($"Unknown set name(s): {string.Join(", ", unknown)}.");
}

outputDirectory ??= DefaultOutputDirectory();
if (outputDirectory is null)
{
    Console.Error.WriteLine(
        $"Could not find {RepositoryLocator.SolutionFileName} above {Environment.CurrentDirectory}; pass the output folder as the first argument.");
    return 1;
}

Directory.CreateDirectory(outputDirectory);

foreach (var dataset in datasets.Where(d => Selected(Path.GetFileNameWithoutExtension(d.FileName))))
{
    var table = dataset.Generate();
    string path = Path.Combine(outputDirectory, dataset.FileName);
    table.Write(path);
    Console.WriteLine($"{dataset.FileName,-24} {table.RowCount,6} rows  {new FileInfo(path).Length,9:N0} bytes");
}

foreach (var dataset in tsvDatasets.Where(d => Selected(Path.GetFileNameWithoutExtension(d.FileName))))
{
    var table = dataset.Generate();
    string path = Path.Combine(outputDirectory, dataset.FileName);
    table.Write(path);
    Console.WriteLine($"{dataset.FileName,-24} {table.RowCount,6} rows  {new FileInfo(path).Length,9:N0} bytes");
}

foreach (var dataset in imageDatasets.Where(d => Selected(d.FolderName)))
{
    string folder = Path.Combine(outputDirectory, dataset.FolderName);
    var summary = dataset.Write(folder);
    Console.WriteLine($"{dataset.FolderName + "/",-24} {summary.Images,6} images {summary.Bytes,8:N0} bytes");
}

foreach (var dataset in textDatasets.Where(d => Selected(d.FolderName)))
{
    string folder = Path.Combine(outputDirectory, dataset.FolderName);
    var summary = dataset.Write(folder);
    Console.WriteLine($"{dataset.FolderName + "/",-24} {summary.Lines,6} lines  {summary.Bytes,8:N0} bytes in {summary.Files} files");
}

Console.WriteLine($"Written to {Path.GetFullPath(outputDirectory)}");
return 0;

bool Selected(string name) => only is null || only.Contains(name);

int Usage(string problem)
{
    Console.Error.WriteLine(problem);
    Console.Error.WriteLine("Usage: DataGenerator [output-folder] [--only name[,name...]]");
    Console.Error.WriteLine($"Set names: {string.Join(", ", knownNames)}.");
    return 2;
}

static string? DefaultOutputDirectory()
{
    string? root = RepositoryLocator.FindRoot(Environment.CurrentDirectory);
    return root is null ? null : Path.Combine(root, "data");
}

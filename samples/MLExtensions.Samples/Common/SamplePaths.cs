namespace MLExtensions.Samples.Common;

/// <summary>Where the samples read their data and write their models.</summary>
public static class SamplePaths
{
    /// <summary>The repository root: the nearest folder, from the program's folder upwards, that holds MLExtensions.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A file or folder of the repository's data/ folder.</summary>
    public static string DataFile(string fileName) => Path.Combine(RepositoryRoot, "data", fileName);

    /// <summary>A file in artifacts/models/ (the folder is created when missing).</summary>
    public static string ModelFile(string fileName)
    {
        string folder = Path.Combine(RepositoryRoot, "artifacts", "models");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, fileName);
    }

    /// <summary>A path relative to the repository root, for printing.</summary>
    public static string Relative(string path) => Path.GetRelativePath(RepositoryRoot, path);

    private static string FindRepositoryRoot()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MLExtensions.sln")))
                    return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("MLExtensions.sln was not found above the program's folder or the current folder.");
    }
}

namespace MLExtensions.Samples.DataGenerator;

/// <summary>Finds the repository root: the nearest folder, from a start folder upwards, that holds MLExtensions.sln.</summary>
internal static class RepositoryLocator
{
    public const string SolutionFileName = "MLExtensions.sln";

    public static string? FindRoot(string startDirectory)
    {
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
                return dir.FullName;
        }
        return null;
    }
}

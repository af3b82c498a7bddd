namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// A synthetic text set with a fixed seed: a folder of <c>&lt;class&gt;.txt</c> files, one item per line, the same
/// bytes on every run and every machine.
/// </summary>
internal interface ITextFolderDataset
{
    /// <summary>The folder under the output folder, e.g. <c>names</c>.</summary>
    string FolderName { get; }

    /// <summary>Writes the set into <paramref name="folder"/>, replacing the files an earlier run wrote.</summary>
    TextFolderSummary Write(string folder);
}

/// <summary>What a text set wrote: the number of files, the lines of all files and their bytes.</summary>
internal readonly record struct TextFolderSummary(int Files, int Lines, long Bytes);

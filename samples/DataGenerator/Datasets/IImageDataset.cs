namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// A synthetic image set with a fixed seed: a folder of PNG files (and possibly a label file) that is the same on
/// every run on one machine.
/// </summary>
internal interface IImageDataset
{
    /// <summary>The folder under the output folder, e.g. <c>shapes</c>.</summary>
    string FolderName { get; }

    /// <summary>Writes the set into <paramref name="folder"/>, replacing the files an earlier run wrote.</summary>
    ImageSetSummary Write(string folder);
}

/// <summary>What an image set wrote: the number of images and the bytes of all files written.</summary>
internal readonly record struct ImageSetSummary(int Images, long Bytes);

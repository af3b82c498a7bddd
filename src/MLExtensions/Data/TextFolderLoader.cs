using Microsoft.ML;

namespace MLExtensions;

/// <summary>Loads a folder of <c>&lt;class&gt;.txt</c> files (one item per line) as labelled text, as the classic names-by-language data comes.</summary>
public static class TextFolderLoader
{
    /// <summary>One item: its text and the class it came from.</summary>
    public sealed class TextItem
    {
        /// <summary>The line's text (trimmed).</summary>
        public string Text { get; set; } = "";

        /// <summary>The file name without <c>.txt</c>.</summary>
        public string Label { get; set; } = "";
    }

    /// <summary>
    /// Reads every <c>*.txt</c> file of <paramref name="folder"/> (UTF-8, one item per line, blank lines skipped) into an
    /// <see cref="IDataView"/> with a <c>Text</c> and a <c>Label</c> column (the file name without extension), classes in
    /// file-name order. Use <c>MapValueToKey("Label")</c> for multiclass training.
    /// </summary>
    public static IDataView LoadFromTextFolder(this DataOperationsCatalog catalog, string folder)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.LoadFromEnumerable(ReadTextFolder(folder));
    }

    /// <summary>The items of <see cref="LoadFromTextFolder"/> as objects.</summary>
    public static IReadOnlyList<TextItem> ReadTextFolder(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"The folder '{folder}' does not exist.");
        var files = Directory.GetFiles(folder, "*.txt").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        if (files.Length < 2)
            throw new InvalidDataException($"The folder '{folder}' must hold at least two <class>.txt files, but it has {files.Length}.");
        var items = new List<TextItem>();
        foreach (var file in files)
        {
            string label = Path.GetFileNameWithoutExtension(file);
            int before = items.Count;
            foreach (var line in File.ReadLines(file))
            {
                var text = line.Trim();
                if (text.Length > 0)
                    items.Add(new TextItem { Text = text, Label = label });
            }
            if (items.Count == before)
                throw new InvalidDataException($"The class file '{file}' has no items.");
        }
        return items;
    }
}

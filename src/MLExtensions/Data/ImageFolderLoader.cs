using Microsoft.ML;

namespace MLExtensions;

/// <summary>
/// Loads a folder of images laid out one sub-folder per class (<c>root/&lt;class&gt;/&lt;image&gt;</c>), the layout of
/// torchvision's <c>ImageFolder</c> and of ML.NET's image classification samples.
/// </summary>
public static class ImageFolderLoader
{
    /// <summary>The file extensions read as images (those ML.NET's <c>LoadImages</c> decodes).</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <summary>One image: its path and its class.</summary>
    public sealed class ImageItem
    {
        /// <summary>The image file: relative to the root folder (e.g. <c>circle/circle_007.png</c>), or a full path.</summary>
        public string ImagePath { get; set; } = "";

        /// <summary>The name of the sub-folder the image is in.</summary>
        public string Label { get; set; } = "";
    }

    /// <summary>
    /// Reads every image of every sub-folder of <paramref name="root"/> into an <see cref="IDataView"/> with an
    /// <c>ImagePath</c> and a <c>Label</c> column (the sub-folder's name); classes and files in ordinal name order.
    /// Files with other extensions and hidden files are skipped; every image file's header is checked, so an unreadable
    /// or mislabelled file fails here, by name, instead of inside a pipeline.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="root">The folder holding one sub-folder per class.</param>
    /// <param name="relativePaths">True (the default): <c>ImagePath</c> is relative to <paramref name="root"/>, for
    /// <c>LoadImages(outputColumnName, imageFolder: root, inputColumnName: "ImagePath")</c>; false: full paths.</param>
    public static IDataView LoadFromImageFolder(this DataOperationsCatalog catalog, string root, bool relativePaths = true)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.LoadFromEnumerable(ReadImageFolder(root, relativePaths));
    }

    /// <summary>The items of <see cref="LoadFromImageFolder"/> as objects.</summary>
    public static IReadOnlyList<ImageItem> ReadImageFolder(string root, bool relativePaths = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"The image folder '{root}' does not exist.");
        string full = Path.GetFullPath(root);
        var classes = Directory.GetDirectories(full).Where(d => !IsHidden(d)).OrderBy(d => d, StringComparer.Ordinal).ToArray();
        if (classes.Length == 0)
            throw new InvalidDataException(
                $"The image folder '{root}' has no sub-folders: it must hold one sub-folder per class, each with that class's images ({root}/<class>/<image>).");

        var items = new List<ImageItem>();
        foreach (var folder in classes)
        {
            var files = Directory.GetFiles(folder)
                .Where(f => !IsHidden(f) && ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .OrderBy(f => f, StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
                throw new InvalidDataException(
                    $"The class folder '{folder}' holds no images (expected files ending in {string.Join(", ", ImageExtensions)}).");
            string label = Path.GetFileName(folder);
            foreach (var file in files)
            {
                CheckReadable(file);
                items.Add(new ImageItem { ImagePath = relativePaths ? Path.GetRelativePath(full, file) : file, Label = label });
            }
        }
        return items;
    }

    private static bool IsHidden(string path) => Path.GetFileName(path).StartsWith('.');

    /// <summary>Opens the file and checks that its first bytes are those of a PNG, JPEG, BMP, GIF or WebP image.</summary>
    private static void CheckReadable(string file)
    {
        var header = new byte[12];
        int read;
        try
        {
            using var stream = File.OpenRead(file);
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"The image '{file}' cannot be read: {e.Message}", e);
        }
        var h = header.AsSpan(0, read);
        bool image = h.StartsWith((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G'])
            || h.StartsWith((byte[])[0xFF, 0xD8, 0xFF])
            || h.StartsWith("BM"u8)
            || h.StartsWith("GIF8"u8)
            || (h.StartsWith("RIFF"u8) && read >= 12 && h[8..12].SequenceEqual("WEBP"u8));
        if (!image)
            throw new InvalidDataException(read == 0
                ? $"The image '{file}' is empty."
                : $"The file '{file}' is not a PNG, JPEG, BMP, GIF or WebP image (its first bytes are {Convert.ToHexString(h[..Math.Min(read, 8)])}).");
    }
}

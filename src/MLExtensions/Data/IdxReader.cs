using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions;

/// <summary>
/// Reads image and label files in the IDX format of MNIST and Fashion-MNIST, plain or gzip-compressed, and turns a pair
/// of them into an ML.NET <see cref="IDataView"/>.
/// </summary>
/// <remarks>
/// <para>
/// An IDX file starts with a four-byte magic number: two zero bytes, a type byte (<c>0x08</c> = unsigned byte, the only
/// type supported here) and the number of dimensions. One big-endian 32-bit size per dimension follows, then the values
/// in row-major order. Image files have three dimensions (count, rows, columns), label files one (count).
/// </para>
/// <para>
/// A file whose first two bytes are the gzip header <c>0x1f 0x8b</c> (such as the distributed <c>*-ubyte.gz</c> files) is
/// decompressed while it is read. Malformed files raise an <see cref="InvalidDataException"/> or, for a value type other
/// than unsigned byte, a <see cref="NotSupportedException"/>; the message names the file.
/// </para>
/// </remarks>
public static class IdxReader
{
    /// <summary>The IDX type byte for unsigned 8-bit values.</summary>
    private const byte UnsignedByteType = 0x08;

    private static readonly string[] FashionMnistNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Bag", "Sneaker", "Ankle boot"];

    /// <summary>
    /// The ten Fashion-MNIST classes in label order: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Bag,
    /// Sneaker, Ankle boot. Pass it as the class names of <see cref="LoadIdx"/>.
    /// </summary>
    public static IReadOnlyList<string> FashionMnistClassNames { get; } = Array.AsReadOnly(FashionMnistNames);

    /// <summary>Reads an IDX image file: unsigned bytes with three dimensions (count, rows, columns).</summary>
    /// <param name="path">The file, plain or gzip-compressed.</param>
    /// <returns>
    /// The number of images, their height and width, and the pixels of all images in file order:
    /// image <c>i</c> occupies <c>Pixels[i·Rows·Columns .. (i+1)·Rows·Columns)</c>, row by row.
    /// </returns>
    /// <exception cref="InvalidDataException">The file is not an IDX file, does not have three dimensions, or is truncated or too long.</exception>
    /// <exception cref="NotSupportedException">The values are not unsigned bytes.</exception>
    public static (int Count, int Rows, int Columns, byte[] Pixels) ReadImages(string path)
    {
        var (dimensions, data) = Read(path, expectedDimensions: 3, "an image file");
        return (dimensions[0], dimensions[1], dimensions[2], data);
    }

    /// <summary>Reads an IDX label file: unsigned bytes with one dimension (count).</summary>
    /// <param name="path">The file, plain or gzip-compressed.</param>
    /// <returns>One label per item, in file order.</returns>
    /// <exception cref="InvalidDataException">The file is not an IDX file, does not have one dimension, or is truncated or too long.</exception>
    /// <exception cref="NotSupportedException">The values are not unsigned bytes.</exception>
    public static byte[] ReadLabels(string path) => Read(path, expectedDimensions: 1, "a label file").Data;

    /// <summary>
    /// Loads an IDX image file and its label file as an <see cref="IDataView"/> with two columns:
    /// <list type="bullet">
    /// <item><description><c>Features</c>: a known-size vector of <see cref="float"/> of length rows × columns, the pixels
    /// row by row, divided by 255 when <paramref name="scaleToUnit"/> is set (so they lie in [0, 1]), else 0–255.</description></item>
    /// <item><description><c>Label</c>: text, <c>classNames[label]</c> when <paramref name="classNames"/> is given, else the
    /// label number (<c>"0"</c>, <c>"1"</c>, …). Map it to a key with <c>MapValueToKey("Label")</c> for multiclass trainers.</description></item>
    /// </list>
    /// Rows keep the file order. The labels are read at once; feature vectors are made as the view is read.
    /// </summary>
    /// <param name="catalog">The data catalog, <c>mlContext.Data</c>.</param>
    /// <param name="imagesPath">The image file (three dimensions), plain or gzip-compressed.</param>
    /// <param name="labelsPath">The label file (one dimension) with one label per image, plain or gzip-compressed.</param>
    /// <param name="classNames">The name of each label value, e.g. <see cref="FashionMnistClassNames"/>; <see langword="null"/> for the numbers as text.</param>
    /// <param name="scaleToUnit">Divide the pixels by 255.</param>
    /// <exception cref="InvalidDataException">A file is malformed, the two files hold different numbers of items, or a label has no class name.</exception>
    /// <exception cref="NotSupportedException">A file's values are not unsigned bytes.</exception>
    /// <exception cref="ArgumentException"><paramref name="classNames"/> is empty or has an empty or repeated name.</exception>
    public static IDataView LoadIdx(this DataOperationsCatalog catalog, string imagesPath, string labelsPath,
        IReadOnlyList<string>? classNames = null, bool scaleToUnit = true)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        ArgumentException.ThrowIfNullOrEmpty(labelsPath);
        if (classNames is not null)
            CheckClassNames(classNames);

        var (count, rows, columns, pixels) = ReadImages(imagesPath);
        byte[] labels = ReadLabels(labelsPath);
        if (labels.Length != count)
            throw new InvalidDataException(
                $"The image file '{imagesPath}' holds {count} images but the label file '{labelsPath}' holds {labels.Length} labels.");

        string[] labelTexts = LabelTexts(classNames, labelsPath, labels);
        int size = rows * columns;
        var definition = SchemaDefinition.Create(typeof(IdxRow));
        definition[nameof(IdxRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return catalog.LoadFromEnumerable(Rows(pixels, labels, labelTexts, count, size, scaleToUnit ? 1f / 255 : 1f), definition);
    }

    private static IEnumerable<IdxRow> Rows(byte[] pixels, byte[] labels, string[] labelTexts, int count, int size, float scale)
    {
        for (int i = 0; i < count; i++)
        {
            var features = new float[size];
            var image = pixels.AsSpan(i * size, size);
            for (int j = 0; j < size; j++)
                features[j] = image[j] * scale;
            yield return new IdxRow { Features = features, Label = labelTexts[labels[i]] };
        }
    }

    /// <summary>The text of every possible label byte; only the ones that occur are checked against the class names.</summary>
    private static string[] LabelTexts(IReadOnlyList<string>? classNames, string labelsPath, byte[] labels)
    {
        var texts = new string[256];
        for (int value = 0; value < texts.Length; value++)
            texts[value] = classNames is null
                ? value.ToString(CultureInfo.InvariantCulture)
                : value < classNames.Count ? classNames[value] : "";

        if (classNames is not null)
        {
            for (int i = 0; i < labels.Length; i++)
            {
                if (labels[i] >= classNames.Count)
                    throw new InvalidDataException(
                        $"Label {labels[i]} at item {i} of the label file '{labelsPath}' has no class name: {classNames.Count} names were given (labels 0–{classNames.Count - 1}).");
            }
        }
        return texts;
    }

    private static void CheckClassNames(IReadOnlyList<string> classNames)
    {
        if (classNames.Count == 0)
            throw new ArgumentException("The class names are empty; pass null to use the label numbers.", nameof(classNames));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < classNames.Count; i++)
        {
            if (string.IsNullOrEmpty(classNames[i]))
                throw new ArgumentException($"Class name {i} is empty.", nameof(classNames));
            if (!seen.Add(classNames[i]))
                throw new ArgumentException($"Class name '{classNames[i]}' appears more than once.", nameof(classNames));
        }
    }

    /// <summary>Reads the header and all values of an unsigned-byte IDX file with the expected number of dimensions.</summary>
    private static (int[] Dimensions, byte[] Data) Read(string path, int expectedDimensions, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        bool gzip = IsGzip(file);
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return ReadIdx(stream, path, expectedDimensions, what);
        }
        catch (InvalidDataException e) when (gzip && !e.Message.Contains(path, StringComparison.Ordinal))
        {
            // GZipStream's own errors (a damaged or cut-off archive) do not say which file.
            throw new InvalidDataException($"The gzip-compressed IDX file '{path}' could not be decompressed: {e.Message}", e);
        }
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> start = stackalloc byte[2];
        int read = file.ReadAtLeast(start, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && start[0] == 0x1f && start[1] == 0x8b;
    }

    private static (int[] Dimensions, byte[] Data) ReadIdx(Stream stream, string path, int expectedDimensions, string what)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4)
            throw new InvalidDataException($"The IDX file '{path}' is truncated: it has {got} bytes, fewer than the 4-byte magic number.");
        if (magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException(
                $"'{path}' is not an IDX file: its magic number {Convert.ToHexString(magic)} does not start with two zero bytes.");
        if (magic[2] != UnsignedByteType)
            throw new NotSupportedException(
                $"The IDX file '{path}' holds values of type 0x{magic[2]:X2} ({TypeName(magic[2])}); only unsigned bytes (0x08) are supported.");
        int dimensionCount = magic[3];
        if (dimensionCount != expectedDimensions)
            throw new InvalidDataException(
                $"The IDX file '{path}' has {dimensionCount} dimension(s), but {what} needs {expectedDimensions}.");

        Span<byte> sizeBytes = stackalloc byte[4 * dimensionCount];
        got = stream.ReadAtLeast(sizeBytes, sizeBytes.Length, throwOnEndOfStream: false);
        if (got < sizeBytes.Length)
            throw new InvalidDataException(
                $"The IDX file '{path}' is truncated: its header ends after {4 + got} bytes instead of {4 + sizeBytes.Length}.");

        var dimensions = new int[dimensionCount];
        long total = 1;
        for (int d = 0; d < dimensionCount; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(sizeBytes.Slice(4 * d, 4));
            if (dimensions[d] < 0)
                throw new InvalidDataException($"The IDX file '{path}' declares a negative size ({dimensions[d]}) for dimension {d + 1}.");
            total *= dimensions[d];
            if (total > Array.MaxLength)
                throw new InvalidDataException(
                    $"The IDX file '{path}' declares {string.Join(" × ", dimensions.Take(d + 1))} values, more than one array can hold.");
        }

        var data = new byte[total];
        got = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (got < data.Length)
            throw new InvalidDataException(
                $"The IDX file '{path}' is truncated: its header declares {string.Join(" × ", dimensions)} = {total} values but only {got} follow.");
        if (stream.ReadByte() >= 0)
            throw new InvalidDataException(
                $"The IDX file '{path}' has data after the {string.Join(" × ", dimensions)} = {total} values its header declares.");
        return (dimensions, data);
    }

    private static string TypeName(byte type) => type switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "16-bit integer",
        0x0C => "32-bit integer",
        0x0D => "32-bit float",
        0x0E => "64-bit float",
        _ => "unknown",
    };

    /// <summary>One image and its label, as <see cref="LoadIdx"/> hands them to ML.NET.</summary>
    private sealed class IdxRow
    {
        public float[] Features { get; set; } = [];

        public string Label { get; set; } = "";
    }
}

using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

[TestClass]
public sealed class IdxReaderTests
{
    // Three 2×3 images and their labels.
    private static readonly byte[] Pixels =
    [
        0, 1, 2, 3, 4, 5,
        255, 128, 64, 32, 16, 8,
        10, 20, 30, 40, 50, 60,
    ];

    private static readonly byte[] Labels = [2, 0, 1];

    private string _folder = "";

    [TestInitialize]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"mlext-idx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
    }

    [TestCleanup]
    public void DeleteFolder()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    /// <summary>An IDX file: magic 0, 0, type, dimension count; big-endian sizes; the data.</summary>
    private static byte[] Idx(byte type, int[] dimensions, byte[] data)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dimensions.Length };
        foreach (int size in dimensions)
            bytes.AddRange([(byte)(size >> 24), (byte)(size >> 16), (byte)(size >> 8), (byte)size]);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    private static byte[] ImageFile() => Idx(0x08, [3, 2, 3], Pixels);

    private static byte[] LabelFile() => Idx(0x08, [3], Labels);

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(data);
        return buffer.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertMessage(Exception e, params string[] parts)
    {
        foreach (string part in parts)
            StringAssert.Contains(e.Message, part);
    }

    [TestMethod]
    public void ReadsImagesAndLabels()
    {
        var (count, rows, columns, pixels) = IdxReader.ReadImages(Write("images-idx3-ubyte", ImageFile()));
        Assert.AreEqual(3, count);
        Assert.AreEqual(2, rows);
        Assert.AreEqual(3, columns);
        CollectionAssert.AreEqual(Pixels, pixels);
        CollectionAssert.AreEqual(Labels, IdxReader.ReadLabels(Write("labels-idx1-ubyte", LabelFile())));
    }

    [TestMethod]
    public void ReadsGzippedFiles()
    {
        byte[] compressed = Gzip(ImageFile());
        Assert.AreEqual(0x1f, compressed[0]);
        Assert.AreEqual(0x8b, compressed[1]);
        var (count, rows, columns, pixels) = IdxReader.ReadImages(Write("images-idx3-ubyte.gz", compressed));
        Assert.AreEqual((3, 2, 3), (count, rows, columns));
        CollectionAssert.AreEqual(Pixels, pixels);
        CollectionAssert.AreEqual(Labels, IdxReader.ReadLabels(Write("labels-idx1-ubyte.gz", Gzip(LabelFile()))));

        // Detection goes by the content, not by the file name.
        CollectionAssert.AreEqual(Labels, IdxReader.ReadLabels(Write("labels-no-extension", Gzip(LabelFile()))));
    }

    [TestMethod]
    public void ReadsAnEmptySet()
    {
        var (count, rows, columns, pixels) = IdxReader.ReadImages(Write("empty-images", Idx(0x08, [0, 28, 28], [])));
        Assert.AreEqual((0, 28, 28), (count, rows, columns));
        Assert.IsEmpty(pixels);
    }

    [TestMethod]
    public void LoadIdxScalesPixelsAndNamesClasses()
    {
        var ml = new MLContext(seed: 1);
        string[] names = ["zero", "one", "two"];
        var data = ml.Data.LoadIdx(Write("images", Gzip(ImageFile())), Write("labels", LabelFile()), names);

        var features = data.Schema["Features"].Type as VectorDataViewType;
        Assert.IsNotNull(features);
        Assert.AreEqual(NumberDataViewType.Single, features.ItemType);
        Assert.AreEqual(6, features.Size);
        Assert.IsInstanceOfType<TextDataViewType>(data.Schema["Label"].Type);

        float[][] rows = data.GetColumn<float[]>("Features").ToArray();
        Assert.HasCount(3, rows);
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.HasCount(6, rows[i]);
            for (int j = 0; j < 6; j++)
                Assert.AreEqual(Pixels[i * 6 + j] / 255f, rows[i][j], 1e-7f, $"image {i}, pixel {j}");
        }
        Assert.AreEqual(1f, rows[1][0]);
        CollectionAssert.AreEqual(new[] { "two", "zero", "one" }, data.GetColumn<string>("Label").ToArray());

        // The view can be read again and gives the same rows.
        CollectionAssert.AreEqual(rows[2], data.GetColumn<float[]>("Features").ToArray()[2]);
    }

    [TestMethod]
    public void LoadIdxWithoutClassNamesOrScaling()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadIdx(Write("images", ImageFile()), Write("labels", Gzip(LabelFile())), scaleToUnit: false);

        float[][] rows = data.GetColumn<float[]>("Features").ToArray();
        CollectionAssert.AreEqual(Pixels.Select(p => (float)p).ToArray(), rows.SelectMany(r => r).ToArray());
        CollectionAssert.AreEqual(new[] { "2", "0", "1" }, data.GetColumn<string>("Label").ToArray());
    }

    [TestMethod]
    public void LoadIdxLabelsMapToKeys()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadIdx(Write("images", ImageFile()), Write("labels", LabelFile()), IdxReader.FashionMnistClassNames);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);

        var key = keyed.Schema["Label"].Type as KeyDataViewType;
        Assert.IsNotNull(key);
        Assert.AreEqual(3UL, key.Count);
        var original = ml.Transforms.Conversion.MapKeyToValue("Label").Fit(keyed).Transform(keyed);
        CollectionAssert.AreEqual(new[] { "Pullover", "T-shirt/top", "Trouser" }, original.GetColumn<string>("Label").ToArray());
    }

    [TestMethod]
    public void FashionMnistClassNamesAreInLabelOrder()
    {
        CollectionAssert.AreEqual(
            new[] { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Bag", "Sneaker", "Ankle boot" },
            IdxReader.FashionMnistClassNames.ToArray());
        Assert.IsFalse(IdxReader.FashionMnistClassNames is string[], "The list must not be castable back to a writable array.");
    }

    [TestMethod]
    public void BadMagicNamesTheFile()
    {
        string path = Write("not-idx.bin", [0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 7]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));
        AssertMessage(e, path, "not an IDX file", "89504E47");

        string gz = Write("not-idx.gz", Gzip([1, 0, 8, 1, 0, 0, 0, 0]));
        e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(gz));
        AssertMessage(e, gz, "not an IDX file");
    }

    [TestMethod]
    public void UnsupportedTypeNamesTheFile()
    {
        string path = Write("floats-idx1", Idx(0x0D, [1], [0, 0, 128, 63]));
        var e = Assert.ThrowsExactly<NotSupportedException>(() => IdxReader.ReadLabels(path));
        AssertMessage(e, path, "0x0D", "32-bit float", "unsigned bytes");

        string gz = Write("ints-idx3.gz", Gzip(Idx(0x0C, [1, 1, 1], [0, 0, 0, 1])));
        e = Assert.ThrowsExactly<NotSupportedException>(() => IdxReader.ReadImages(gz));
        AssertMessage(e, gz, "0x0C");
    }

    [TestMethod]
    public void WrongDimensionCountNamesTheFile()
    {
        string labels = Write("labels", LabelFile());
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(labels));
        AssertMessage(e, labels, "1 dimension", "needs 3");

        string images = Write("images", ImageFile());
        e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(images));
        AssertMessage(e, images, "3 dimension", "needs 1");
    }

    [TestMethod]
    public void TruncatedFilesNameTheFile()
    {
        byte[] full = ImageFile();

        string shortData = Write("short-data", full[..^1]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(shortData));
        AssertMessage(e, shortData, "truncated", "3 × 2 × 3 = 18 values", "only 17");

        string shortHeader = Write("short-header", full[..10]);
        e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(shortHeader));
        AssertMessage(e, shortHeader, "truncated", "header");

        string tiny = Write("tiny", [0, 0]);
        e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(tiny));
        AssertMessage(e, tiny, "truncated");

        string empty = Write("empty", []);
        e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(empty));
        AssertMessage(e, empty, "truncated");

        // A gzip member whose decompressed content stops short.
        string gzShort = Write("short-data.gz", Gzip(full[..^3]));
        e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(gzShort));
        AssertMessage(e, gzShort, "truncated");

        // A gzip archive cut off in the middle of the compressed stream.
        byte[] compressed = Gzip(Idx(0x08, [100, 28, 28], Enumerable.Range(0, 100 * 28 * 28).Select(i => (byte)(i * 7919 % 251)).ToArray()));
        string gzCut = Write("cut.gz", compressed[..(compressed.Length / 2)]);
        e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(gzCut));
        AssertMessage(e, gzCut, "truncated");
    }

    [TestMethod]
    public void CorruptGzipNamesTheFile()
    {
        byte[] compressed = Gzip(ImageFile());
        compressed[10] = 0x07; // the first deflate block claims the reserved block type 3
        string path = Write("corrupt.gz", compressed);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));
        AssertMessage(e, path, "could not be decompressed");
        Assert.IsNotNull(e.InnerException);
    }

    [TestMethod]
    public void TrailingDataNamesTheFile()
    {
        string path = Write("long", [.. LabelFile(), 9]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(path));
        AssertMessage(e, path, "after the 3 = 3 values");
    }

    [TestMethod]
    public void NegativeSizeNamesTheFile()
    {
        string path = Write("negative", Idx(0x08, [-1], []));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(path));
        AssertMessage(e, path, "negative");
    }

    [TestMethod]
    public void MissingFileIsReported()
    {
        string path = Path.Combine(_folder, "missing-idx3-ubyte");
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => IdxReader.ReadImages(path));
        AssertMessage(e, path);
    }

    [TestMethod]
    public void CountMismatchNamesBothFiles()
    {
        var ml = new MLContext(seed: 1);
        string images = Write("images", ImageFile());
        string labels = Write("labels", Idx(0x08, [2], [0, 1]));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ml.Data.LoadIdx(images, labels));
        AssertMessage(e, images, labels, "3 images", "2 labels");

        string moreLabels = Write("more-labels", Idx(0x08, [4], [0, 1, 2, 3]));
        e = Assert.ThrowsExactly<InvalidDataException>(() => ml.Data.LoadIdx(images, moreLabels));
        AssertMessage(e, images, moreLabels, "3 images", "4 labels");
    }

    [TestMethod]
    public void LabelWithoutClassNameIsReported()
    {
        var ml = new MLContext(seed: 1);
        string images = Write("images", ImageFile());
        string labels = Write("labels", LabelFile());
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ml.Data.LoadIdx(images, labels, ["a", "b"]));
        AssertMessage(e, labels, "Label 2", "item 0", "2 names");
    }

    [TestMethod]
    public void BadClassNamesAreRejected()
    {
        var ml = new MLContext(seed: 1);
        string images = Write("images", ImageFile());
        string labels = Write("labels", LabelFile());
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Data.LoadIdx(images, labels, []));
        Assert.AreEqual("classNames", e.ParamName);
        e = Assert.ThrowsExactly<ArgumentException>(() => ml.Data.LoadIdx(images, labels, ["a", "b", "a"]));
        AssertMessage(e, "'a'", "more than once");
        e = Assert.ThrowsExactly<ArgumentException>(() => ml.Data.LoadIdx(images, labels, ["a", "", "c"]));
        AssertMessage(e, "Class name 1");
    }
}

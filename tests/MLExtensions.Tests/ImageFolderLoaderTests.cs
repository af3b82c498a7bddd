using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

[TestClass]
public sealed class ImageFolderLoaderTests
{
    private static string Shapes => Path.Combine(TestData.DataDirectory, "shapes");

    [TestMethod]
    public void ShippedShapesLoadOneRowPerImageLabelledWithItsFolder()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromImageFolder(Shapes);
        var rows = ml.Data.CreateEnumerable<ImageFolderLoader.ImageItem>(data, reuseRowObject: false).ToArray();

        // The same rows as listing the folders by hand, in ordinal order of class and file name.
        var expected = Directory.GetDirectories(Shapes).OrderBy(d => d, StringComparer.Ordinal)
            .SelectMany(d => Directory.GetFiles(d, "*.png").OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => (Path.GetRelativePath(Shapes, f), Path.GetFileName(d))))
            .ToArray();
        CollectionAssert.AreEqual(expected, rows.Select(r => (r.ImagePath, r.Label)).ToArray());
        CollectionAssert.AreEqual(new[] { "circle", "cross", "square", "triangle" }, rows.Select(r => r.Label).Distinct().ToArray());
        Assert.HasCount(1600, rows);

        // The relative paths are what LoadImages reads with the root as its image folder.
        var pixels = ImageData.Pixels(ml, Shapes).Fit(data).Transform(ml.Data.TakeRows(data, 3));
        var features = pixels.GetColumn<float[]>("Features").ToArray();
        Assert.HasCount(3, features);
        Assert.IsTrue(features.All(f => f.Length == 3 * ImageData.Size * ImageData.Size && f.Any(v => v > 0)));

        var absolute = ImageFolderLoader.ReadImageFolder(Shapes, relativePaths: false);
        Assert.IsTrue(absolute.All(i => Path.IsPathRooted(i.ImagePath) && File.Exists(i.ImagePath)));
    }

    [TestMethod]
    public void EmptyFoldersAndUnreadableFilesFailByName()
    {
        string root = Directory.CreateTempSubdirectory("mlext-images-").FullName;
        try
        {
            var ml = new MLContext();
            var noClasses = Assert.Throws<InvalidDataException>(() => ml.Data.LoadFromImageFolder(root));
            StringAssert.Contains(noClasses.Message, "no sub-folders");
            StringAssert.Contains(noClasses.Message, root);

            string circle = Directory.CreateDirectory(Path.Combine(root, "circle")).FullName;
            string square = Directory.CreateDirectory(Path.Combine(root, "square")).FullName;
            File.Copy(Path.Combine(Shapes, "circle", "circle_000.png"), Path.Combine(circle, "a.png"));
            File.WriteAllText(Path.Combine(square, "notes.txt"), "not an image, and skipped");
            var emptyClass = Assert.Throws<InvalidDataException>(() => ImageFolderLoader.ReadImageFolder(root));
            StringAssert.Contains(emptyClass.Message, square);
            StringAssert.Contains(emptyClass.Message, "holds no images");

            File.Copy(Path.Combine(Shapes, "square", "square_000.png"), Path.Combine(square, "b.png"));
            File.WriteAllText(Path.Combine(square, ".hidden.png"), "skipped");
            CollectionAssert.AreEqual(new[] { "circle", "square" }, ImageFolderLoader.ReadImageFolder(root).Select(i => i.Label).ToArray());

            File.WriteAllText(Path.Combine(square, "c.png"), "text pretending to be a PNG");
            var notImage = Assert.Throws<InvalidDataException>(() => ImageFolderLoader.ReadImageFolder(root));
            StringAssert.Contains(notImage.Message, Path.Combine(square, "c.png"));
            StringAssert.Contains(notImage.Message, "is not a PNG, JPEG, BMP, GIF or WebP image");

            File.Delete(Path.Combine(square, "c.png"));
            File.WriteAllBytes(Path.Combine(square, "d.jpg"), []);
            var empty = Assert.Throws<InvalidDataException>(() => ImageFolderLoader.ReadImageFolder(root));
            StringAssert.Contains(empty.Message, Path.Combine(square, "d.jpg"));
            StringAssert.Contains(empty.Message, "is empty");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
        var missing = Assert.Throws<DirectoryNotFoundException>(() => ImageFolderLoader.ReadImageFolder(Path.Combine(root, "missing")));
        StringAssert.Contains(missing.Message, "missing");
    }
}

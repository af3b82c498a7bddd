using Microsoft.ML;

namespace MLExtensions.Tests;

[TestClass]
public sealed class TextFolderLoaderTests
{
    [TestMethod]
    public void ReadsOneItemPerLineWithTheFileNameAsLabel()
    {
        string dir = Directory.CreateTempSubdirectory("mlext-text-").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(dir, "Italian.txt"), ["Rossi", "", "  Bianchi  "]);
            File.WriteAllLines(Path.Combine(dir, "Czech.txt"), ["Novák"]);
            File.WriteAllText(Path.Combine(dir, "notes.md"), "ignored");
            var ml = new MLContext();
            var data = ml.Data.LoadFromTextFolder(dir);
            var rows = ml.Data.CreateEnumerable<TextFolderLoader.TextItem>(data, reuseRowObject: false).ToArray();
            CollectionAssert.AreEqual(new[] { "Novák", "Rossi", "Bianchi" }, rows.Select(r => r.Text).ToArray());
            CollectionAssert.AreEqual(new[] { "Czech", "Italian", "Italian" }, rows.Select(r => r.Label).ToArray());

            File.WriteAllText(Path.Combine(dir, "Empty.txt"), "\n\n");
            var e = Assert.Throws<InvalidDataException>(() => TextFolderLoader.ReadTextFolder(dir));
            StringAssert.Contains(e.Message, "Empty.txt");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        Assert.Throws<DirectoryNotFoundException>(() => TextFolderLoader.ReadTextFolder(Path.Combine(dir, "missing")));
    }
}

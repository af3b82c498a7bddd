namespace MLExtensions.Tests;

/// <summary>The C# code blocks of the repository's README.md, in order.</summary>
internal static class ReadmeCode
{
    public static string ReadmePath => Path.Combine(Path.GetDirectoryName(TestData.DataDirectory)!, "README.md");

    /// <summary>Every block fenced with <c>```csharp</c>, without its fences.</summary>
    public static IReadOnlyList<string> CSharpBlocks()
    {
        var blocks = new List<string>();
        List<string>? current = null;
        foreach (var line in File.ReadLines(ReadmePath))
        {
            if (current is null)
            {
                if (line.Trim() == "```csharp")
                    current = [];
            }
            else if (line.Trim() == "```")
            {
                blocks.Add(string.Join("\n", current) + "\n");
                current = null;
            }
            else
            {
                current.Add(line);
            }
        }
        Assert.IsNull(current, "README.md ends inside a code block");
        return blocks;
    }
}

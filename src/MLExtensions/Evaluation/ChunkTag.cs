namespace MLExtensions.Evaluation;

/// <summary>A tag split at its first hyphen: <c>B-to_city</c> is prefix <c>B</c>, type <c>to_city</c>.</summary>
internal readonly record struct ChunkTag(string Prefix, string Type)
{
    /// <summary>The outside tag <c>O</c>; also what a missing prediction and a sentence boundary count as.</summary>
    public static readonly ChunkTag Outside = new("O", "");

    public static ChunkTag Parse(string tag)
    {
        int dash = tag.IndexOf('-');
        return dash < 0 ? new ChunkTag(tag, "") : new ChunkTag(tag[..dash], tag[(dash + 1)..]);
    }
}

namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// char-hello.tsv — the classic character exercise for a recurrent network, one character per step: <c>h e l l o</c>
/// → <c>o h l o l</c> (a fixed mapping to learn by heart: the two l's need different outputs, so the network must use
/// what came before), and next-character rows (the target of each character is the character after it, that of the
/// last character the first). Columns <c>Text</c> and <c>Tags</c>, characters separated by spaces. No two rows begin
/// with the same character, so a network that reads left to right can reproduce every row exactly.
/// </summary>
internal sealed class CharHelloDataset : ITsvDataset
{
    public static readonly string[] NextCharacterWords = ["world", "torch", "model", "steps"];

    public string FileName => "char-hello.tsv";

    public TsvTable Generate()
    {
        var table = new TsvTable(["Text", "Tags"]);
        table.Add("h e l l o", "o h l o l");
        foreach (string word in NextCharacterWords)
            table.Add(Spaced(word), Spaced(word[1..] + word[0]));
        return table;
    }

    private static string Spaced(string word) => string.Join(' ', word.ToCharArray());
}

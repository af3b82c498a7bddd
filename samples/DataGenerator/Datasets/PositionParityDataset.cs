namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// position-parity.tsv — sequences of random letters, each tagged by its position alone: <c>odd</c> at the 1st, 3rd,
/// 5th … word, <c>even</c> at the 2nd, 4th …. The letters are drawn independently of the position, so a model that
/// does not know where a word is (self-attention without a positional encoding) cannot beat the majority tag.
/// Columns <c>Text</c> and <c>Tags</c>, space separated.
/// </summary>
internal sealed class PositionParityDataset : ITsvDataset
{
    public const int Seed = 1012;
    public const int Rows = 2000;
    public const int MinLength = 4;
    public const int MaxLength = 16;
    public const string Letters = "abcdefghijklmnopqrst";

    public string FileName => "position-parity.tsv";

    public TsvTable Generate()
    {
        var random = new Random(Seed);
        var table = new TsvTable(["Text", "Tags"]);
        for (int row = 0; row < Rows; row++)
        {
            int length = random.Next(MinLength, MaxLength + 1);
            var words = new string[length];
            var tags = new string[length];
            for (int i = 0; i < length; i++)
            {
                words[i] = Letters[random.Next(Letters.Length)].ToString();
                tags[i] = i % 2 == 0 ? "odd" : "even";
            }
            table.Add(string.Join(' ', words), string.Join(' ', tags));
        }
        return table;
    }
}

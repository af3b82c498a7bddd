using System.Text;

namespace MLExtensions.Samples.DataGenerator;

/// <summary>
/// An in-memory table of text cells written as a tab separated file with a header row, the layout ML.NET's
/// <c>TextLoader</c> reads by default. Cells must not hold tabs or line breaks.
/// </summary>
internal sealed class TsvTable
{
    private readonly List<string[]> _rows = new();

    public TsvTable(IEnumerable<string> header) => Header = header.ToArray();

    public IReadOnlyList<string> Header { get; }

    public int RowCount => _rows.Count;

    public IReadOnlyList<string[]> Rows => _rows;

    public void Add(params string[] cells)
    {
        if (cells.Length != Header.Count)
            throw new ArgumentException($"Row has {cells.Length} cells but the header has {Header.Count}.");
        foreach (string cell in cells)
            if (cell.IndexOfAny(['\t', '\n', '\r']) >= 0)
                throw new ArgumentException($"The cell '{cell}' holds a tab or a line break.");
        _rows.Add(cells);
    }

    /// <summary>Puts the rows in random order (Fisher–Yates), so any head/tail split is a fair split.</summary>
    public void Shuffle(Random random)
    {
        for (int i = _rows.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (_rows[i], _rows[j]) = (_rows[j], _rows[i]);
        }
    }

    public void Write(string path)
    {
        var text = new StringBuilder();
        text.Append(string.Join('\t', Header)).Append('\n');
        foreach (var row in _rows)
            text.Append(string.Join('\t', row)).Append('\n');
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }
}

using System.Globalization;
using System.Text;

namespace MLExtensions.Samples.DataGenerator;

/// <summary>
/// An in-memory table of already formatted cells that is written as a comma separated file with a header row.
/// Numbers are formatted with the invariant culture and six significant digits.
/// </summary>
internal sealed class CsvTable
{
    private readonly List<string[]> _rows = new();

    public CsvTable(IEnumerable<string> header) => Header = header.ToArray();

    public IReadOnlyList<string> Header { get; }

    public int RowCount => _rows.Count;

    /// <summary>Appends a row of numeric features followed by an optional label cell.</summary>
    public void Add(IReadOnlyList<double> values, string? label = null)
    {
        int width = values.Count + (label is null ? 0 : 1);
        if (width != Header.Count)
            throw new ArgumentException($"Row has {width} cells but the header has {Header.Count}.");

        var cells = new string[width];
        for (int i = 0; i < values.Count; i++)
            cells[i] = Format(values[i]);
        if (label is not null)
            cells[^1] = label;
        _rows.Add(cells);
    }

    /// <summary>Appends a row of already formatted cells (format numbers with <see cref="Format"/>).</summary>
    public void AddCells(params string[] cells)
    {
        if (cells.Length != Header.Count)
            throw new ArgumentException($"Row has {cells.Length} cells but the header has {Header.Count}.");
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
        text.Append(string.Join(',', Header)).Append('\n');
        foreach (var row in _rows)
            text.Append(string.Join(',', row)).Append('\n');
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>Six significant digits in plain decimal notation (very small values get no exponent, e.g. 0.0000123457).</summary>
    public static string Format(double value)
    {
        string text = value.ToString("G6", CultureInfo.InvariantCulture);
        if (!text.Contains('E'))
            return text;
        return decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    public static string FormatLabel(bool value) => value ? "true" : "false";

    /// <summary>Names such as F1..F10.</summary>
    public static IEnumerable<string> Numbered(string prefix, int count) =>
        Enumerable.Range(1, count).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture));
}

namespace MLExtensions;

/// <summary>
/// Thrown when a weights file does not fit a module: keys the module has and the file lacks, keys the file has and
/// the module lacks, and keys whose shapes differ, each listed. Nothing is copied into the module when it is thrown.
/// </summary>
public sealed class StateDictMismatchException : Exception
{
    /// <summary>Creates the exception; the message lists every key.</summary>
    public StateDictMismatchException(string source, IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys,
        IReadOnlyList<string> shapeMismatches)
        : this(source, missingKeys, unexpectedKeys, shapeMismatches, "(pass strict: false to load the keys both have)")
    {
    }

    /// <summary>Creates the exception with <paramref name="hint"/> as the message's last line when only keys are missing or unexpected.</summary>
    internal StateDictMismatchException(string source, IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys,
        IReadOnlyList<string> shapeMismatches, string? hint)
        : base(Describe(source, missingKeys, unexpectedKeys, shapeMismatches, hint))
    {
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        ShapeMismatches = shapeMismatches;
    }

    /// <summary>Keys of the module's state_dict that the file does not have.</summary>
    public IReadOnlyList<string> MissingKeys { get; }

    /// <summary>Keys of the file that the module's state_dict does not have.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; }

    /// <summary>Keys in both whose shapes differ, each as <c>key: file [..], module [..]</c>.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; }

    private static string Describe(string source, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapes,
        string? hint)
    {
        var lines = new List<string> { $"{source} does not match the module's state_dict:" };
        if (missing.Count > 0)
            lines.Add($"  missing keys (in the module, not in the file): {string.Join(", ", missing)}");
        if (unexpected.Count > 0)
            lines.Add($"  unexpected keys (in the file, not in the module): {string.Join(", ", unexpected)}");
        if (shapes.Count > 0)
            lines.Add($"  wrong shapes: {string.Join("; ", shapes)}");
        if (missing.Count + unexpected.Count > 0 && shapes.Count == 0 && hint is not null)
            lines.Add("  " + hint);
        return string.Join(Environment.NewLine, lines);
    }
}

namespace MLExtensions.Evaluation;

/// <summary>
/// Counts gold, predicted and correct spans the way the CoNLL evaluation script (<c>conlleval</c>, CoNLL-2000 and
/// later shared tasks) does, so its precision, recall and F1 agree with the script's.
/// </summary>
/// <remarks>
/// <para>A tag is split at its first hyphen into a prefix and a type (<c>B-to_city</c>: <c>B</c>, <c>to_city</c>);
/// a tag without a hyphen is a prefix with the empty type (<c>O</c>).</para>
/// <para>A span starts at a token when (previous → current prefix) is B → B, I → B, O → B, O → I, E → E, E → I or
/// O → E; when the current prefix is neither O nor <c>.</c> and its type differs from the previous token's; or when the
/// current prefix is <c>[</c> or <c>]</c>. A span ends before a token when (previous → current) is B → B, B → O,
/// I → B, I → O, E → E, E → I or E → O; when the previous prefix is neither O nor <c>.</c> and its type differs
/// from the current token's; or when the previous prefix is <c>[</c> or <c>]</c>.</para>
/// <para>So an I- tag after O or after a tag of another type opens a new span (IOB1 and IOB2 encodings of the same
/// spans score the same), B- after B- or I- of the same type closes one span and opens another, and a B-x I-y pair is
/// two spans.</para>
/// <para>A predicted span is correct when it starts together with a gold span of the same type, the gold and the
/// predicted tags keep the same type at every token in between, and both spans end before the same token. Every
/// sequence is followed by a sentence boundary (an O for both), as in a CoNLL file whose sentences are separated by
/// blank lines; the state is otherwise carried over, as the script carries it from line to line.</para>
/// </remarks>
internal sealed class ConllSpanCounter
{
    private ChunkTag _previousGold = ChunkTag.Outside;
    private ChunkTag _previousPredicted = ChunkTag.Outside;
    private bool _matching;
    private readonly Dictionary<string, long> _gold = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _predicted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _correct = new(StringComparer.Ordinal);

    /// <summary>Adds one sequence; both lists have the same length (a missing prediction is <see cref="ChunkTag.Outside"/>).</summary>
    public void AddSequence(IReadOnlyList<ChunkTag> gold, IReadOnlyList<ChunkTag> predicted)
    {
        for (int i = 0; i < gold.Count; i++)
            Step(gold[i], predicted[i]);
        Step(ChunkTag.Outside, ChunkTag.Outside);
    }

    /// <summary>The counts so far, overall and per span type.</summary>
    public SpanMetrics Build()
    {
        var correct = new Dictionary<string, long>(_correct, StringComparer.Ordinal);
        if (_matching)
            Increment(correct, _previousGold.Type);
        var types = _gold.Keys.Union(_predicted.Keys).Order(StringComparer.Ordinal);
        var perType = types.Select(t => new TagMetrics(t, Count(_gold, t), Count(_predicted, t), Count(correct, t))).ToArray();
        return new SpanMetrics(_gold.Values.Sum(), _predicted.Values.Sum(), correct.Values.Sum(), perType);
    }

    private void Step(ChunkTag gold, ChunkTag predicted)
    {
        if (_matching)
        {
            bool goldEnds = Ends(_previousGold, gold);
            bool predictedEnds = Ends(_previousPredicted, predicted);
            if (goldEnds && predictedEnds && _previousGold.Type == _previousPredicted.Type)
            {
                _matching = false;
                Increment(_correct, _previousGold.Type);
            }
            else if (goldEnds != predictedEnds || gold.Type != predicted.Type)
            {
                _matching = false;
            }
        }

        bool goldStarts = Starts(_previousGold, gold);
        bool predictedStarts = Starts(_previousPredicted, predicted);
        if (goldStarts && predictedStarts && gold.Type == predicted.Type)
            _matching = true;
        if (goldStarts)
            Increment(_gold, gold.Type);
        if (predictedStarts)
            Increment(_predicted, predicted.Type);

        _previousGold = gold;
        _previousPredicted = predicted;
    }

    /// <summary>Whether a span ended between <paramref name="previous"/> and <paramref name="current"/>.</summary>
    internal static bool Ends(ChunkTag previous, ChunkTag current)
    {
        string p = previous.Prefix, c = current.Prefix;
        if (p == "B" && (c == "B" || c == "O"))
            return true;
        if (p == "I" && (c == "B" || c == "O"))
            return true;
        if (p == "E" && (c == "E" || c == "I" || c == "O"))
            return true;
        if (p != "O" && p != "." && previous.Type != current.Type)
            return true;
        return p == "[" || p == "]";
    }

    /// <summary>Whether a span started between <paramref name="previous"/> and <paramref name="current"/>.</summary>
    internal static bool Starts(ChunkTag previous, ChunkTag current)
    {
        string p = previous.Prefix, c = current.Prefix;
        if (c == "B" && (p == "B" || p == "I" || p == "O"))
            return true;
        if (c == "I" && (p == "O" || p == "E"))
            return true;
        if (c == "E" && (p == "E" || p == "O"))
            return true;
        if (c != "O" && c != "." && previous.Type != current.Type)
            return true;
        return c == "[" || c == "]";
    }

    private static void Increment(Dictionary<string, long> counts, string type) =>
        counts[type] = Count(counts, type) + 1;

    private static long Count(Dictionary<string, long> counts, string type) =>
        counts.TryGetValue(type, out long n) ? n : 0;
}

using MLExtensions.Evaluation;

namespace MLExtensions;

/// <summary>
/// Scores of a sequence labeler (one tag per token): token accuracy, token-level precision, recall and F1 per tag
/// with their micro and macro averages, and span-level scores of BIO tags as the CoNLL evaluation script computes
/// them. Get it from <see cref="SequenceEvaluation.EvaluateSequence"/> on scored data, or from
/// <see cref="Compute(IEnumerable{ValueTuple{string[], string[]}}, IReadOnlyList{string})"/> on tag strings.
/// </summary>
/// <remarks>
/// <para>Token level: a token is correct when its predicted tag equals its gold tag (the same text; the script
/// compares prefix and type, which differs only for tags ending in a bare hyphen); a missing prediction (a missing
/// key, or <see langword="null"/>) is wrong. Per tag, precision is the share of the tokens predicted with the tag that
/// carry it, recall the share of the tokens that carry it that were predicted with it. The micro and macro averages
/// leave out the tag <c>O</c> (counted per tag but not averaged, as named-entity reports do). Micro averages pool
/// the counts of the other tags; macro averages are the plain means of their precision, recall and F1 over the tags
/// that occur in the gold or the predicted sequences. A ratio over zero is 0.</para>
/// <para>Span level (<see cref="Spans"/>): tags are split at their first hyphen into a prefix and a type, and spans
/// are read from the prefixes exactly as <c>conlleval</c> reads them. A span starts at <c>B-x</c> (after anything
/// but an <c>E-</c> tag of the same type), at <c>I-x</c> after <c>O</c> or after a tag of another type — so an
/// <c>I-</c> tag without a <c>B-</c> before it opens a span, and IOB1 files (B- only between two touching spans of
/// one type) score the same as IOB2 files (B- at every span) — and at any tag whose type differs from the previous
/// token's. A <c>B-</c>/<c>I-</c> span ends before <c>B-</c>, before <c>O</c>, before a tag of another type, and at
/// the end of the sequence. The script's <c>E-</c> (IOE) and bracket prefixes <c>[</c>, <c>]</c> and <c>.</c> follow its rules too.
/// A predicted span is correct only when a gold span has the same type, the same first and the same last token.
/// Each sequence is scored as one sentence of a CoNLL file; a missing prediction counts as <c>O</c> here. Tags with
/// no hyphen other than <c>O</c> (for example <c>odd</c>/<c>even</c>) make no spans, and precision, recall and F1
/// are then 0: read <see cref="SpanMetrics.GoldSpans"/> before reading them.</para>
/// </remarks>
public sealed class SequenceMetrics
{
    internal SequenceMetrics(long sequences, long tokens, long correctTokens, long missingPredictions,
        IReadOnlyList<TagMetrics> perTag, TagMetrics micro, double macroPrecision, double macroRecall, double macroF1,
        SpanMetrics spans)
    {
        Sequences = sequences;
        Tokens = tokens;
        CorrectTokens = correctTokens;
        MissingPredictions = missingPredictions;
        TokenAccuracy = tokens > 0 ? (double)correctTokens / tokens : 0;
        PerTag = perTag;
        MicroPrecision = micro.Precision;
        MicroRecall = micro.Recall;
        MicroF1 = micro.F1;
        MacroPrecision = macroPrecision;
        MacroRecall = macroRecall;
        MacroF1 = macroF1;
        Spans = spans;
    }

    /// <summary>The number of sequences (rows) scored.</summary>
    public long Sequences { get; }

    /// <summary>The number of tokens (steps) scored.</summary>
    public long Tokens { get; }

    /// <summary>Tokens whose predicted tag equals the gold tag.</summary>
    public long CorrectTokens { get; }

    /// <summary>Tokens with a missing prediction (key 0 or <see langword="null"/>), all counted as wrong.</summary>
    public long MissingPredictions { get; }

    /// <summary><see cref="CorrectTokens"/> / <see cref="Tokens"/>.</summary>
    public double TokenAccuracy { get; }

    /// <summary>Token-level scores of every tag of the tag set, in the tag set's order (the key order for key columns).</summary>
    public IReadOnlyList<TagMetrics> PerTag { get; }

    /// <summary>Precision over the pooled counts of all tags but <c>O</c>.</summary>
    public double MicroPrecision { get; }

    /// <summary>Recall over the pooled counts of all tags but <c>O</c>.</summary>
    public double MicroRecall { get; }

    /// <summary>The harmonic mean of <see cref="MicroPrecision"/> and <see cref="MicroRecall"/>.</summary>
    public double MicroF1 { get; }

    /// <summary>The mean precision of the tags but <c>O</c> that occur in the gold or predicted sequences.</summary>
    public double MacroPrecision { get; }

    /// <summary>The mean recall of the tags but <c>O</c> that occur in the gold or predicted sequences.</summary>
    public double MacroRecall { get; }

    /// <summary>The mean F1 of the tags but <c>O</c> that occur in the gold or predicted sequences.</summary>
    public double MacroF1 { get; }

    /// <summary>Span-level precision, recall and F1 as the CoNLL evaluation script computes them.</summary>
    public SpanMetrics Spans { get; }

    /// <summary>
    /// Scores pairs of tag sequences without an <see cref="Microsoft.ML.IDataView"/>: each pair holds the gold tags
    /// and the predicted tags of one sequence, of the same length; a <see langword="null"/> predicted tag is a
    /// missing prediction.
    /// </summary>
    /// <param name="sequences">The (gold, predicted) pairs, one per sequence.</param>
    /// <param name="tags">The tag set, in the order <see cref="PerTag"/> reports it; every gold and predicted tag must
    /// be in it. Without it, the tags that occur, in ordinal order.</param>
    /// <exception cref="ArgumentException">A pair whose two sequences differ in length, a null sequence or gold tag,
    /// or a tag outside <paramref name="tags"/>; the message names the pair (counting from 0) and the step.</exception>
    public static SequenceMetrics Compute(IEnumerable<(string[] Gold, string?[] Predicted)> sequences, IReadOnlyList<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var pairs = sequences.ToList();
        for (int row = 0; row < pairs.Count; row++)
        {
            var (gold, predicted) = pairs[row];
            if (gold is null || predicted is null)
                throw new ArgumentException($"Sequence {row} has no {(gold is null ? "gold" : "predicted")} tags (null).", nameof(sequences));
            if (gold.Length != predicted.Length)
                throw new ArgumentException(
                    $"Sequence {row} has {gold.Length} gold tags but {predicted.Length} predicted tags; every token needs one of each.",
                    nameof(sequences));
            int nullStep = Array.IndexOf(gold, null);
            if (nullStep >= 0)
                throw new ArgumentException($"Sequence {row} has a null gold tag at step {nullStep}.", nameof(sequences));
        }

        string[] tagSet = tags is not null
            ? tags.ToArray()
            : pairs.SelectMany(p => p.Gold.Concat(p.Predicted.OfType<string>()))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < tagSet.Length; i++)
        {
            if (tagSet[i] is null)
                throw new ArgumentException($"The tag set holds null at position {i}.", nameof(tags));
            if (!index.TryAdd(tagSet[i], i))
                throw new ArgumentException($"The tag set holds '{tagSet[i]}' twice.", nameof(tags));
        }

        var builder = new SequenceMetricsBuilder(tagSet);
        for (int row = 0; row < pairs.Count; row++)
        {
            var (gold, predicted) = pairs[row];
            var goldIndexes = new int[gold.Length];
            var predictedIndexes = new int[gold.Length];
            for (int step = 0; step < gold.Length; step++)
            {
                goldIndexes[step] = Lookup(index, gold[step], row, step, "gold");
                predictedIndexes[step] = predicted[step] is string p ? Lookup(index, p, row, step, "predicted") : -1;
            }
            builder.Add(goldIndexes, predictedIndexes);
        }
        return builder.Build();
    }

    private static int Lookup(Dictionary<string, int> index, string tag, int row, int step, string role) =>
        index.TryGetValue(tag, out int i)
            ? i
            : throw new ArgumentException($"Sequence {row} has the {role} tag '{tag}' at step {step}, which is not in the tag set.", "tags");
}

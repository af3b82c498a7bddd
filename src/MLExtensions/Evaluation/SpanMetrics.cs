namespace MLExtensions;

/// <summary>
/// Span (chunk) level scores of BIO-tagged sequences, counted the way the CoNLL evaluation script
/// (<c>conlleval</c>) counts them: a predicted span is correct only when a gold span has the same type and the same
/// first and last token. See <see cref="SequenceMetrics"/> for the rules that start and end a span.
/// </summary>
public sealed class SpanMetrics
{
    internal SpanMetrics(long gold, long predicted, long correct, IReadOnlyList<TagMetrics> perType)
    {
        GoldSpans = gold;
        PredictedSpans = predicted;
        CorrectSpans = correct;
        Precision = predicted > 0 ? (double)correct / predicted : 0;
        Recall = gold > 0 ? (double)correct / gold : 0;
        F1 = TagMetrics.HarmonicMean(Precision, Recall);
        PerType = perType;
    }

    /// <summary>Spans in the gold sequences.</summary>
    public long GoldSpans { get; }

    /// <summary>Spans in the predicted sequences.</summary>
    public long PredictedSpans { get; }

    /// <summary>Predicted spans that match a gold span in type, start and end.</summary>
    public long CorrectSpans { get; }

    /// <summary><see cref="CorrectSpans"/> / <see cref="PredictedSpans"/>, 0 when no span was predicted.</summary>
    public double Precision { get; }

    /// <summary><see cref="CorrectSpans"/> / <see cref="GoldSpans"/>, 0 when the gold sequences hold no span.</summary>
    public double Recall { get; }

    /// <summary>The harmonic mean of <see cref="Precision"/> and <see cref="Recall"/>, 0 when both are 0.</summary>
    public double F1 { get; }

    /// <summary>The same scores per span type, in ordinal order of the type names.</summary>
    public IReadOnlyList<TagMetrics> PerType { get; }
}

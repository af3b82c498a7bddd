namespace MLExtensions;

/// <summary>
/// Precision, recall and F1 of one tag (token level) or one span type (span level), with the counts they come from.
/// A ratio whose denominator is zero is reported as 0, as the CoNLL evaluation script does.
/// </summary>
public sealed class TagMetrics
{
    internal TagMetrics(string name, long gold, long predicted, long correct)
    {
        Name = name;
        GoldCount = gold;
        PredictedCount = predicted;
        CorrectCount = correct;
        Precision = predicted > 0 ? (double)correct / predicted : 0;
        Recall = gold > 0 ? (double)correct / gold : 0;
        F1 = HarmonicMean(Precision, Recall);
    }

    /// <summary>The tag (for example <c>B-date</c>) or, for spans, the span type (for example <c>date</c>).</summary>
    public string Name { get; }

    /// <summary>How many tokens (or spans) carry it in the gold sequences.</summary>
    public long GoldCount { get; }

    /// <summary>How many tokens (or spans) were predicted with it.</summary>
    public long PredictedCount { get; }

    /// <summary>How many of the predicted ones are right.</summary>
    public long CorrectCount { get; }

    /// <summary><see cref="CorrectCount"/> / <see cref="PredictedCount"/>, 0 when nothing was predicted.</summary>
    public double Precision { get; }

    /// <summary><see cref="CorrectCount"/> / <see cref="GoldCount"/>, 0 when the gold sequences have none.</summary>
    public double Recall { get; }

    /// <summary>The harmonic mean of precision and recall, 0 when both are 0.</summary>
    public double F1 { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        FormattableString.Invariant($"{Name}: precision {Precision:F4}, recall {Recall:F4}, F1 {F1:F4} ") +
        FormattableString.Invariant($"(gold {GoldCount}, predicted {PredictedCount}, correct {CorrectCount})");

    internal static double HarmonicMean(double precision, double recall) =>
        precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
}

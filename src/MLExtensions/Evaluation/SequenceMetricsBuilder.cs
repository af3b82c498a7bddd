namespace MLExtensions.Evaluation;

/// <summary>
/// Accumulates <see cref="SequenceMetrics"/> over sequences of tag indexes into a fixed tag set; a predicted index of
/// -1 is a missing prediction (wrong at every token, outside any span).
/// </summary>
internal sealed class SequenceMetricsBuilder
{
    /// <summary>The tag the token-level averages leave out.</summary>
    public const string OutsideTag = "O";

    private readonly string[] _tags;
    private readonly ChunkTag[] _chunkTags;
    private readonly long[] _gold;
    private readonly long[] _predicted;
    private readonly long[] _correct;
    private readonly ConllSpanCounter _spans = new();
    private readonly List<ChunkTag> _goldChunks = new();
    private readonly List<ChunkTag> _predictedChunks = new();
    private long _sequences;
    private long _tokens;
    private long _missing;

    public SequenceMetricsBuilder(IReadOnlyList<string> tags)
    {
        _tags = tags.ToArray();
        _chunkTags = _tags.Select(ChunkTag.Parse).ToArray();
        _gold = new long[_tags.Length];
        _predicted = new long[_tags.Length];
        _correct = new long[_tags.Length];
    }

    /// <summary>Adds one sequence; the caller has checked that both have the same length and hold valid indexes.</summary>
    public void Add(ReadOnlySpan<int> gold, ReadOnlySpan<int> predicted)
    {
        _goldChunks.Clear();
        _predictedChunks.Clear();
        for (int i = 0; i < gold.Length; i++)
        {
            int g = gold[i], p = predicted[i];
            _gold[g]++;
            if (p < 0)
                _missing++;
            else
                _predicted[p]++;
            if (g == p)
                _correct[g]++;
            _goldChunks.Add(_chunkTags[g]);
            _predictedChunks.Add(p < 0 ? ChunkTag.Outside : _chunkTags[p]);
        }
        _spans.AddSequence(_goldChunks, _predictedChunks);
        _sequences++;
        _tokens += gold.Length;
    }

    public SequenceMetrics Build()
    {
        var perTag = _tags.Select((t, i) => new TagMetrics(t, _gold[i], _predicted[i], _correct[i])).ToArray();
        var averaged = perTag.Where(t => t.Name != OutsideTag).ToArray();
        long gold = averaged.Sum(t => t.GoldCount), predicted = averaged.Sum(t => t.PredictedCount), correct = averaged.Sum(t => t.CorrectCount);
        var micro = new TagMetrics("micro", gold, predicted, correct);
        var present = averaged.Where(t => t.GoldCount > 0 || t.PredictedCount > 0).ToArray();
        return new SequenceMetrics(
            sequences: _sequences,
            tokens: _tokens,
            correctTokens: _correct.Sum(),
            missingPredictions: _missing,
            perTag: perTag,
            micro: micro,
            macroPrecision: present.Length > 0 ? present.Average(t => t.Precision) : 0,
            macroRecall: present.Length > 0 ? present.Average(t => t.Recall) : 0,
            macroF1: present.Length > 0 ? present.Average(t => t.F1) : 0,
            spans: _spans.Build());
    }
}

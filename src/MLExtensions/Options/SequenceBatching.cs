namespace MLExtensions;

/// <summary>How the sequence trainers group rows of different lengths into batches.</summary>
public enum SequenceBatching
{
    /// <summary>
    /// Every batch is as wide as the longest row of the whole data set. Kept for comparison: the network computes every
    /// padded position and discards it.
    /// </summary>
    GlobalPadding,
    /// <summary>The rows are batched in the shuffled order, and each batch is only as wide as its own longest row.</summary>
    PerBatchPadding,
    /// <summary>
    /// Rows of similar length are batched together (length buckets), and each batch is as wide as its longest row. Every
    /// epoch the rows are shuffled with the seed, sorted by length within pools of 100 batches, cut into batches, and the
    /// batches are shuffled, so batches differ from epoch to epoch while holding little padding.
    /// </summary>
    LengthBuckets,
}

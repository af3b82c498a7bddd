namespace MLExtensions;

/// <summary>What a sequence network predicts.</summary>
public enum SequenceOutput
{
    /// <summary>One prediction per sequence (the row's label is a scalar).</summary>
    PerSequence,
    /// <summary>
    /// One prediction per step: tagging with a vector of keys as the label (multiclass catalog), or one value per
    /// step with a vector of Single as the label (regression catalog). The label has as many values as its row has steps.
    /// </summary>
    PerStep,
}

/// <summary>
/// Options shared by the sequence trainers (<c>TorchRnn</c>, <c>TorchAttention</c>). The input kind follows the
/// feature column: a vector of keys is a token sequence, a vector of Single is a sequence of steps of
/// <see cref="StepSize"/> values. Rows may have different lengths; padding never changes a prediction.
/// </summary>
public abstract class SequenceTrainerOptions : TorchTrainerOptions
{
    /// <summary>One prediction per sequence, or one per step (sequence labeling).</summary>
    public SequenceOutput Output { get; set; } = SequenceOutput.PerSequence;

    /// <summary>Values per step for Single-vector input.</summary>
    public int StepSize { get; set; } = 1;

    /// <summary>When positive, sequences longer than this many steps are rejected or, with <see cref="TruncateLongSequences"/>, cut.</summary>
    public int MaxSequenceLength { get; set; }

    /// <summary>Keep the first <see cref="MaxSequenceLength"/> steps of longer sequences instead of rejecting them.</summary>
    public bool TruncateLongSequences { get; set; }

    /// <summary>
    /// How rows of different lengths form batches (training and validation). Padding never changes a prediction, so this
    /// changes only the speed: <see cref="SequenceBatching.PerBatchPadding"/> by default, and
    /// <see cref="SequenceBatching.LengthBuckets"/> for <c>TorchAttention</c>, whose cost grows with the square of the width.
    /// </summary>
    public SequenceBatching Batching { get; set; } = SequenceBatching.PerBatchPadding;
}

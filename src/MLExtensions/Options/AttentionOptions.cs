namespace MLExtensions;

/// <summary>How positions are encoded for <c>TorchAttention</c>.</summary>
public enum PositionalEncoding
{
    /// <summary>Fixed sin/cos waves of geometric frequencies (works for any length).</summary>
    Sinusoidal,
    /// <summary>A learned vector per position, up to <see cref="SequenceTrainerOptions.MaxSequenceLength"/>.</summary>
    Learned,
    /// <summary>No positional information (the encoder sees a bag of tokens).</summary>
    None,
}

/// <summary>How the encoder's outputs become one vector for the output layer.</summary>
public enum AttentionPooling
{
    /// <summary>Mean over the valid positions.</summary>
    Mean,
    /// <summary>A learned class token prepended to the sequence; its output is used.</summary>
    ClassToken,
    /// <summary>The last valid position.</summary>
    Last,
}

/// <summary>
/// Options for <c>TorchAttention</c>: a multi-head self-attention encoder. Input as for <c>TorchRnn</c> (token keys or
/// steps of <see cref="SequenceTrainerOptions.StepSize"/> values), or image patches when <see cref="PatchSize"/> is
/// positive. <see cref="SequenceTrainerOptions.MaxSequenceLength"/> (512 by default) is also the learned positional
/// table's length; 0 (no limit) is not allowed with learned positions.
/// </summary>
public sealed class AttentionOptions : SequenceTrainerOptions
{
    /// <summary>
    /// Creates the options (see <see cref="TrainerDefaults.Attention"/>): Adam (lr 1e-3), the automatic batch size, at most
    /// 50 epochs with 10 % of the rows validating and early stopping after 5 epochs without improvement, the best
    /// epoch's weights restored; batches group rows of similar length.
    /// </summary>
    public AttentionOptions()
    {
        MaxSequenceLength = TrainerDefaults.Attention.MaxSequenceLength;
        Epochs = TrainerDefaults.Attention.Epochs;
        Batching = SequenceBatching.LengthBuckets;
    }

    /// <summary>Width of the token representations (must be divisible by <see cref="Heads"/>).</summary>
    public int ModelDimension { get; set; } = 64;

    /// <summary>Attention heads per layer.</summary>
    public int Heads { get; set; } = 4;

    /// <summary>Encoder layers.</summary>
    public int Layers { get; set; } = 2;

    /// <summary>Hidden size of each layer's feed-forward block.</summary>
    public int FeedForwardSize { get; set; } = 128;

    /// <summary>Dropout on attention and feed-forward outputs during training (the default is 0.3).</summary>
    public double Dropout { get; set; } = TrainerDefaults.Attention.Dropout;

    /// <summary>Layer norm before each sub-block (pre-LN, with a final norm) instead of after the residual sum (post-LN).</summary>
    public bool PreLayerNorm { get; set; } = true;

    /// <summary>The positional encoding.</summary>
    public PositionalEncoding PositionalEncoding { get; set; } = PositionalEncoding.Sinusoidal;

    /// <summary>Truncated attention: each position attends only to positions within ±k (0 = full attention). Training computes only the band.</summary>
    public int AttentionWindow { get; set; }

    /// <summary>How the output layer reads the encoder (per-sequence output; per-step output reads every position).</summary>
    public AttentionPooling Pooling { get; set; } = AttentionPooling.Mean;

    /// <summary>When positive, the feature column holds images (<see cref="ImageHeight"/> × <see cref="ImageWidth"/> × <see cref="ImageChannels"/>, channels first, as <c>ExtractPixels</c> writes them) cut into square patches of this size.</summary>
    public int PatchSize { get; set; }

    /// <summary>Image height for patch input.</summary>
    public int ImageHeight { get; set; }

    /// <summary>Image width for patch input.</summary>
    public int ImageWidth { get; set; }

    /// <summary>Image channels for patch input.</summary>
    public int ImageChannels { get; set; } = 3;
}

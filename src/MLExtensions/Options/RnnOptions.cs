namespace MLExtensions;

/// <summary>The recurrent cell of <c>TorchRnn</c>.</summary>
public enum RnnCell
{
    /// <summary>Elman RNN: h = act(W x + U h + b), with <see cref="RnnOptions.Nonlinearity"/>.</summary>
    Rnn,
    /// <summary>Long short-term memory.</summary>
    Lstm,
    /// <summary>Gated recurrent unit.</summary>
    Gru,
}

/// <summary>The nonlinearity of the Elman <see cref="RnnCell.Rnn"/> cell.</summary>
public enum RnnNonlinearity
{
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>max(0, x).</summary>
    Relu,
}

/// <summary>What the output layer reads from the recurrent layers.</summary>
public enum SequenceReadout
{
    /// <summary>The last layer's final state (for bidirectional layers: the forward direction's last and the backward direction's first state).</summary>
    LastState,
    /// <summary>The mean of the last layer's outputs over the valid steps.</summary>
    Mean,
}

/// <summary>
/// Options for <c>TorchRnn</c>. The input kind follows the feature column: a vector of keys is a token sequence
/// (through an embedding, or one-hot with <see cref="OneHot"/>); a vector of Single is a sequence of steps of
/// <see cref="SequenceTrainerOptions.StepSize"/> values. Rows may have different lengths; padding never changes a prediction.
/// </summary>
public sealed class RnnOptions : SequenceTrainerOptions
{
    /// <summary>
    /// Creates the options (see <see cref="TrainerDefaults.Rnn"/>): Adam (lr 1e-3), the automatic batch size, at most
    /// 50 epochs with 10 % of the rows validating and early stopping after 5 epochs without improvement, the best
    /// epoch's weights restored.
    /// </summary>
    public RnnOptions() => Epochs = TrainerDefaults.Rnn.Epochs;

    /// <summary>The recurrent cell.</summary>
    public RnnCell Cell { get; set; } = RnnCell.Lstm;

    /// <summary>Nonlinearity of the <see cref="RnnCell.Rnn"/> cell.</summary>
    public RnnNonlinearity Nonlinearity { get; set; } = RnnNonlinearity.Tanh;

    /// <summary>Hidden state size per direction.</summary>
    public int HiddenSize { get; set; } = 64;

    /// <summary>Stacked recurrent layers.</summary>
    public int Layers { get; set; } = 1;

    /// <summary>Run every layer in both directions and concatenate.</summary>
    public bool Bidirectional { get; set; }

    /// <summary>Dropout between stacked layers during training.</summary>
    public double Dropout { get; set; }

    /// <summary>What the output layer reads (per-sequence output; per-step output reads every step).</summary>
    public SequenceReadout Readout { get; set; } = SequenceReadout.LastState;

    /// <summary>Token embedding size.</summary>
    public int EmbeddingSize { get; set; } = 32;

    /// <summary>Feed tokens as one-hot vectors instead of through an embedding.</summary>
    public bool OneHot { get; set; }
}

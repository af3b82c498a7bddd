using MLExtensions.Onnx;
using MLExtensions.Persistence;

namespace MLExtensions.Inputs;

/// <summary>
/// What the two sequence layouts (tokens and dense steps) share: the length rules (<see cref="MaxLength"/>,
/// <see cref="Truncate"/>), the training column's fixed length if it has one, and the ONNX truncation.
/// </summary>
internal abstract class SequenceLayout(int maxLength, bool truncate, int knownSize) : InputLayout
{
    /// <summary>When positive, rows longer than this many steps are rejected or, with <see cref="Truncate"/>, cut.</summary>
    public int MaxLength { get; } = maxLength;

    public bool Truncate { get; } = truncate;

    /// <summary>The training column's fixed length in values, or 0 for variable-length vectors (what OnnxTransformer feeds must match it).</summary>
    public int KnownSize { get; } = knownSize;

    /// <summary>Values per step in the feature vector (1 for tokens).</summary>
    public abstract int ValuesPerStep { get; }

    /// <summary>Bytes per value in the input tensor.</summary>
    protected abstract int ValueBytes { get; }

    public override long RowBytes(int steps) => (long)steps * ValuesPerStep * ValueBytes;

    /// <summary>Keeps the first <see cref="MaxLength"/> steps of a [1, values] row input when truncation is on.</summary>
    protected string TruncateOnnx(OnnxGraph g, string row)
    {
        if (!(MaxLength > 0 && Truncate))
            return row;
        return g.AddNode("Slice", [row, g.Longs("start", 0), g.Longs("end", (long)MaxLength * ValuesPerStep), g.Longs("axis", 1)],
            g.UniqueName("truncated"));
    }

    protected void WriteLengthMetadata(ModelMetadata m)
    {
        m.Set("max_sequence_length", MaxLength);
        m.Set("truncate", Truncate);
        m.Set("known_size", KnownSize);
    }
}

/// <summary>A feature buffer of sequences: it knows how many steps the last row it read had and kept (for per-step labels).</summary>
internal interface ISequenceBuffer : IColumnBuffer
{
    /// <summary>Steps of the last row read, before truncation.</summary>
    int LastSourceLength { get; }

    /// <summary>Steps of the last row read that were kept.</summary>
    int LastLength { get; }
}

/// <summary>A label buffer with one value per sequence step, read together with the row's feature sequence.</summary>
internal interface IStepLabelBuffer : IColumnBuffer
{
    /// <summary>Reads the current row's labels: the sequence had <paramref name="sourceSteps"/> steps, of which the first <paramref name="keptSteps"/> are kept.</summary>
    void Add(long row, int sourceSteps, int keptSteps);
}

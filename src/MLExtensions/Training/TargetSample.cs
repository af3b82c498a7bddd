using MLExtensions.Tasks;
using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>
/// A uniform random sample of at most <see cref="Capacity"/> training targets, gathered while streamed rows pass by:
/// every row gets a seeded random key and the rows with the smallest keys are kept (all rows when there are fewer).
/// What the task head learns from the training targets (label scaling, the informed output bias) comes from this sample
/// when training streams.
/// </summary>
internal sealed class TargetSample(long capacity, int seed) : IDisposable
{
    /// <summary>The most rows kept, by default.</summary>
    public const long DefaultCapacity = 1_000_000;

    private readonly Generator _generator = new((ulong)(uint)seed + 104_729UL, device: CPU);
    private readonly List<(Tensor Targets, Tensor Keys)> _parts = new();
    private long _count;

    public long Capacity { get; } = capacity;

    /// <summary>Rows offered so far.</summary>
    public long Offered { get; private set; }

    /// <summary>Offers the targets of a chunk of rows (copied; the caller keeps its tensor).</summary>
    public void Add(Tensor targets)
    {
        long n = targets.shape[0];
        _parts.Add((targets.clone(), rand(n, generator: _generator)));
        _count += n;
        Offered += n;
        if (_count > 2 * Capacity)
            Compact();
    }

    /// <summary>The sampled targets (owned by the sample).</summary>
    public Tensor Targets
    {
        get
        {
            if (_parts.Count == 0)
                throw new InvalidOperationException("No targets were offered.");
            if (_parts.Count > 1 || _count > Capacity)
                Compact();
            return _parts[0].Targets;
        }
    }

    private void Compact()
    {
        long width = _parts.Max(p => p.Targets.dim() > 1 ? p.Targets.shape[1] : 0);
        Tensor targets, keys;
        using (var scope = NewDisposeScope())
        {
            targets = cat(_parts.Select(p => PadSteps(p.Targets, width)).ToArray(), 0);
            keys = cat(_parts.Select(p => p.Keys).ToArray(), 0);
            if (targets.shape[0] > Capacity)
            {
                var kept = keys.topk((int)Capacity, largest: false).indexes;
                targets = targets.index_select(0, kept);
                keys = keys.index_select(0, kept);
            }
            targets.MoveToOuterDisposeScope();
            keys.MoveToOuterDisposeScope();
        }
        Clear();
        _parts.Add((targets, keys));
        _count = targets.shape[0];
    }

    /// <summary>Per-step targets widened to <paramref name="width"/> steps with the heads' padding (NaN for values, the ignored tag for tags).</summary>
    private static Tensor PadSteps(Tensor t, long width)
    {
        if (t.dim() < 2 || t.shape[1] == width)
            return t;
        double padding = t.dtype == ScalarType.Int64 ? SequenceTaggingHead.Padding : double.NaN;
        return nn.functional.pad(t, [0, width - t.shape[1]], value: padding);
    }

    private void Clear()
    {
        foreach (var (t, k) in _parts)
        {
            t.Dispose();
            k.Dispose();
        }
        _parts.Clear();
    }

    public void Dispose()
    {
        Clear();
        _generator.Dispose();
    }
}

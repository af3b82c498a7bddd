using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>
/// Where the training loop's batches come from. A batch is handed out as a loader, so that its tensors are created
/// inside the dispose scope the loop opens for that batch.
/// </summary>
internal interface IBatchSource
{
    /// <summary>One pass over the data in batches of <paramref name="batchSize"/> rows, shuffled with <paramref name="shuffle"/> when given.</summary>
    IEnumerable<Func<(Tensor Inputs, Tensor Targets)>> Batches(int batchSize, Generator? shuffle);
}

/// <summary>
/// Batches of a data set held as whole tensors on the training device. Sequence batches are cut to their own longest
/// row and, with <see cref="SequenceBatching.LengthBuckets"/>, made of rows of similar length (see <see cref="LengthBuckets"/>).
/// </summary>
internal sealed class InMemoryBatches(TensorDataset data, SequenceBatching batching = SequenceBatching.PerBatchPadding) : IBatchSource
{
    public long Count => data.Count;

    public IEnumerable<Func<(Tensor Inputs, Tensor Targets)>> Batches(int batchSize, Generator? shuffle)
    {
        var lengths = batching == SequenceBatching.GlobalPadding ? null : data.Lengths;
        if (lengths is not null)
            return SequenceBatches(lengths, batchSize, shuffle);
        return shuffle is null ? InOrder(batchSize) : Shuffled(batchSize, shuffle);
    }

    private IEnumerable<Func<(Tensor Inputs, Tensor Targets)>> InOrder(int batchSize)
    {
        long n = data.Count;
        for (long start = 0; start < n; start += batchSize)
        {
            long first = start, size = Math.Min(batchSize, n - start);
            yield return () => (data.Inputs.narrow(0, first, size), data.Targets.narrow(0, first, size));
        }
    }

    private IEnumerable<Func<(Tensor Inputs, Tensor Targets)>> Shuffled(int batchSize, Generator shuffle)
    {
        long n = data.Count;
        using var order = randperm(n, generator: shuffle);
        using var orderOnDevice = order.to(data.Inputs.device);
        for (long start = 0; start < n; start += batchSize)
        {
            long first = start, size = Math.Min(batchSize, n - start);
            yield return () => data.Select(orderOnDevice.narrow(0, first, size));
        }
    }

    private IEnumerable<Func<(Tensor Inputs, Tensor Targets)>> SequenceBatches(SequenceLengths lengths, int batchSize, Generator? shuffle)
    {
        long n = data.Count;
        if (batching == SequenceBatching.LengthBuckets)
        {
            foreach (var rows in LengthBuckets.Plan(lengths.Steps, batchSize, shuffle))
                yield return () => Gather(lengths, rows);
            yield break;
        }
        if (shuffle is null)
        {
            for (long start = 0; start < n; start += batchSize)
            {
                long first = start, size = Math.Min(batchSize, n - start);
                int longest = lengths.Longest(first, size);
                yield return () => lengths.Trim(data.Inputs.narrow(0, first, size), data.Targets.narrow(0, first, size), longest);
            }
            yield break;
        }
        long[] order;
        using (var permutation = randperm(n, generator: shuffle))
            order = permutation.data<long>().ToArray();
        for (long start = 0; start < n; start += batchSize)
        {
            var rows = order.AsSpan((int)start, (int)Math.Min(batchSize, n - start)).ToArray();
            yield return () => Gather(lengths, rows);
        }
    }

    private (Tensor Inputs, Tensor Targets) Gather(SequenceLengths lengths, long[] rows)
    {
        var (x, y) = data.Select(tensor(rows, device: data.Inputs.device));
        return lengths.Trim(x, y, lengths.Longest(rows));
    }
}

/// <summary>
/// Length buckets: batches of rows of similar length, so that little of a batch is padding. With a generator, the
/// rows are shuffled, sorted by length within pools of <see cref="PoolBatches"/> batches, cut into batches, and the
/// batches are shuffled; without one (validation), all rows are sorted by length. Ties keep their order, so the same
/// generator state gives the same batches.
/// </summary>
internal static class LengthBuckets
{
    /// <summary>Batches per pool sorted by length.</summary>
    public const int PoolBatches = 100;

    public static List<long[]> Plan(int[] steps, int batchSize, Generator? shuffle)
    {
        long n = steps.Length;
        var batches = new List<long[]>((int)((n + batchSize - 1) / batchSize));
        if (shuffle is null)
        {
            Cut(Enumerable.Range(0, (int)n).Select(i => (long)i).OrderBy(r => steps[r]).ToArray(), batchSize, batches);
            return batches;
        }
        long[] order;
        using (var permutation = randperm(n, generator: shuffle))
            order = permutation.data<long>().ToArray();
        long pool = (long)batchSize * PoolBatches;
        for (long start = 0; start < n; start += pool)
        {
            var rows = new ArraySegment<long>(order, (int)start, (int)Math.Min(pool, n - start));
            Cut(rows.OrderBy(r => steps[r]).ToArray(), batchSize, batches);
        }
        using var batchOrder = randperm(batches.Count, generator: shuffle);
        return batchOrder.data<long>().ToArray().Select(i => batches[(int)i]).ToList();
    }

    private static void Cut(long[] sorted, int batchSize, List<long[]> batches)
    {
        for (int start = 0; start < sorted.Length; start += batchSize)
            batches.Add(sorted.AsSpan(start, Math.Min(batchSize, sorted.Length - start)).ToArray());
    }
}

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

/// <summary>Batches of a data set held as whole tensors on the training device.</summary>
internal sealed class InMemoryBatches(TensorDataset data) : IBatchSource
{
    public long Count => data.Count;

    public IEnumerable<Func<(Tensor Inputs, Tensor Targets)>> Batches(int batchSize, Generator? shuffle)
    {
        long n = data.Count;
        if (shuffle is null)
        {
            for (long start = 0; start < n; start += batchSize)
            {
                long first = start, size = Math.Min(batchSize, n - start);
                yield return () => (data.Inputs.narrow(0, first, size), data.Targets.narrow(0, first, size));
            }
            yield break;
        }
        using var order = randperm(n, generator: shuffle);
        using var orderOnDevice = order.to(data.Inputs.device);
        for (long start = 0; start < n; start += batchSize)
        {
            long first = start, size = Math.Min(batchSize, n - start);
            yield return () => data.Select(orderOnDevice.narrow(0, first, size));
        }
    }
}

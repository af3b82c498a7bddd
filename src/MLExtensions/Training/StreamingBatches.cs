using Microsoft.ML;
using MLExtensions.Inputs;
using MLExtensions.Tasks;
using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>Rows of an <see cref="IDataView"/> that a streamed pass reads: which data, which columns, how, and which rows.</summary>
internal sealed record StreamedRows(IDataView Data, string FeatureColumn, InputLayout Layout, string LabelColumn, TaskHead Task, string Role,
    Func<long, bool>? Include = null)
{
    public ChunkReader Open(bool targetsOnly = false) =>
        new(Data, FeatureColumn, Layout, LabelColumn, Task, Role, Include, targetsOnly);
}

/// <summary>
/// Batches streamed from an <see cref="IDataView"/> that does not fit in memory. Every pass opens a cursor and reads
/// the rows in shuffle buffers of <c>bufferRows</c> rows (rounded up to whole batches; a buffer also ends once its
/// tensors take <c>bufferBytes</c>); the rows of a buffer are shuffled with the loop's generator (or put in length
/// buckets) and batched like in-memory data. The next buffer is read on a worker thread while the current one trains.
/// The targets of every buffer are scaled by the (prepared) task head, as in-memory targets are.
/// </summary>
internal sealed class StreamingBatches(StreamedRows rows, TaskHead task, Device device, SequenceBatching batching, int bufferRows, long bufferBytes)
    : IBatchSource
{
    public IEnumerable<Func<(Tensor Inputs, Tensor Targets)>> Batches(int batchSize, Generator? shuffle)
    {
        long maxRows = (Math.Max(bufferRows, 1) + (long)batchSize - 1) / batchSize * batchSize;
        using var reader = rows.Open();
        Task<TensorDataset?>? pending = Task.Run(() => Read(reader, maxRows, batchSize));
        try
        {
            while (true)
            {
                var chunk = pending.GetAwaiter().GetResult();
                pending = null;
                if (chunk is null)
                    yield break;
                pending = Task.Run(() => Read(reader, maxRows, batchSize));
                var onDevice = chunk.To(device);
                try
                {
                    foreach (var load in new InMemoryBatches(onDevice, batching).Batches(batchSize, shuffle))
                        yield return load;
                }
                finally
                {
                    if (!ReferenceEquals(onDevice, chunk))
                        onDevice.Dispose();
                    chunk.Dispose();
                }
            }
        }
        finally
        {
            // Training stopped before the end (an error, early stopping, cancellation): let the read in flight finish
            // before the cursor goes away.
            if (pending is not null)
            {
                try
                {
                    pending.GetAwaiter().GetResult()?.Dispose();
                }
                catch (Exception)
                {
                    // The pass is over; an error in a buffer nobody will train on is not the one to report.
                }
            }
        }
    }

    private TensorDataset? Read(ChunkReader reader, long maxRows, int multiple)
    {
        var chunk = reader.Next(maxRows, bufferBytes, multiple);
        if (chunk is not null)
            task.ScaleTargets(chunk.Targets);
        return chunk;
    }
}

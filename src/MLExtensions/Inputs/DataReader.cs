using Microsoft.ML;
using MLExtensions.Tasks;
using MLExtensions.Training;

namespace MLExtensions.Inputs;

/// <summary>
/// Reads the feature column (through its <see cref="InputLayout"/>) and the label column (through the task head) of an
/// <see cref="IDataView"/> into tensors, checking every value: all rows at once when they fit a memory budget
/// (<see cref="Read"/>), or chunk by chunk from one cursor for streaming (<see cref="ChunkReader"/>).
/// </summary>
internal static class DataReader
{
    /// <summary>
    /// All rows as one data set, or null when their tensors would take more than <paramref name="maxBytes"/> (the rows
    /// read up to that point are dropped).
    /// </summary>
    public static TensorDataset? Read(IDataView data, string featureColumn, InputLayout layout, string labelColumn, TaskHead task, string role,
        long maxBytes = long.MaxValue, Func<long, bool>? include = null)
    {
        using var reader = new ChunkReader(data, featureColumn, layout, labelColumn, task, role, include);
        var all = reader.Next(long.MaxValue, maxBytes, 1) ?? throw new InvalidOperationException($"The {role} data has no rows.");
        if (reader.Ended)
            return all;
        all.Dispose();
        return null;
    }
}

/// <summary>
/// Reads successive chunks of rows from one cursor over an <see cref="IDataView"/>: each chunk becomes a
/// <see cref="TensorDataset"/> (sequences padded to the chunk's longest row, with their lengths). Row numbers in error
/// messages are the data view's own (0-based), whichever chunk the row falls in. With <c>include</c>, only the rows
/// whose number it accepts are read (a streamed validation split).
/// </summary>
internal sealed class ChunkReader : IDisposable
{
    private readonly DataViewRowCursor _cursor;
    private readonly DataViewSchema.Column _features, _label;
    private readonly InputLayout _layout;
    private readonly TaskHead _task;
    private readonly string _featureColumn, _role;
    private readonly Func<long, bool>? _include;
    private readonly bool _readFeatures, _keepFeatures;
    private readonly long? _rowCount;
    private bool _pending; // the cursor stands on a row that no chunk has read yet

    /// <param name="data">The rows.</param>
    /// <param name="featureColumn">The feature column, read through <paramref name="layout"/>.</param>
    /// <param name="layout">The input layout.</param>
    /// <param name="labelColumn">The label column, read through <paramref name="task"/>.</param>
    /// <param name="task">The (bound) task head.</param>
    /// <param name="role">"training" or "validation", for messages.</param>
    /// <param name="include">When given, only rows whose 0-based number it accepts are read.</param>
    /// <param name="targetsOnly">Read the labels only (the chunks' inputs are then empty); sequence features are still
    /// read for per-step labels, which are checked against their row's length.</param>
    public ChunkReader(IDataView data, string featureColumn, InputLayout layout, string labelColumn, TaskHead task, string role,
        Func<long, bool>? include = null, bool targetsOnly = false)
    {
        var schema = data.Schema;
        layout.Check(schema, featureColumn, role);
        _label = ColumnChecks.Find(schema, labelColumn, "label");
        task.CheckCompatible(_label, role);
        _features = schema[featureColumn];
        _layout = layout;
        _task = task;
        _featureColumn = featureColumn;
        _role = role;
        _include = include;
        _keepFeatures = !targetsOnly;
        _readFeatures = !targetsOnly || task.PerStep;
        _rowCount = include is null ? data.GetRowCount() : null;
        _cursor = data.GetRowCursor(_readFeatures ? [_features, _label] : [_label]);
    }

    /// <summary>True once the cursor has passed the last row.</summary>
    public bool Ended { get; private set; }

    /// <summary>Rows of the data view passed so far, read or not.</summary>
    public long RowsSeen { get; private set; }

    /// <summary>
    /// The next chunk: up to <paramref name="maxRows"/> rows, ending early once its tensors take
    /// <paramref name="maxBytes"/> or more at a multiple of <paramref name="multiple"/> rows; null when no rows are left.
    /// </summary>
    public TensorDataset? Next(long maxRows, long maxBytes, int multiple)
    {
        if (Ended && !_pending)
            return null;
        // The rows this chunk will hold at most, when that is known: fixed-size rows are then written into a tensor of that size.
        long? expected = _rowCount is long n ? Math.Min(maxRows, n - RowsSeen + (_pending ? 1 : 0)) : maxRows < long.MaxValue ? maxRows : null;
        if (expected is long rowsAtMost && maxBytes < long.MaxValue)
            expected = Math.Min(rowsAtMost, (maxBytes / Math.Max(1, Bytes(1, 1)) + multiple) / multiple * multiple);
        var featureBuffer = _readFeatures ? _layout.CreateBuffer(_cursor, _features, _role, expected) : null;
        var labelBuffer = _task.CreateLabelBuffer(_cursor, _label, _role);
        var sequences = featureBuffer as ISequenceBuffer;
        var stepLabels = labelBuffer as IStepLabelBuffer;
        if (stepLabels is not null && sequences is null)
            throw new ArgumentOutOfRangeException(_featureColumn,
                $"Per-step labels need a sequence feature column (a vector of keys or of Single steps); '{_featureColumn}' is read as {_layout.Description}.");

        var lengths = sequences is null ? null : new List<int>();
        long rows = 0;
        int longest = 0;
        while (true)
        {
            if (!_pending)
            {
                if (!MoveNext())
                {
                    Ended = true;
                    break;
                }
                _pending = true;
            }
            if (rows >= maxRows || (rows > 0 && rows % multiple == 0 && Bytes(rows, longest) >= maxBytes))
                break;
            long row = _cursor.Position;
            featureBuffer?.Add(row);
            if (stepLabels is not null)
                stepLabels.Add(row, sequences!.LastSourceLength, sequences.LastLength);
            else
                labelBuffer.Add(row);
            if (sequences is not null)
            {
                lengths!.Add(sequences.LastLength);
                longest = Math.Max(longest, sequences.LastLength);
            }
            rows++;
            _pending = false;
        }
        if (rows == 0)
            return null;

        var targets = labelBuffer.ToTensor();
        var inputs = _keepFeatures ? featureBuffer!.ToTensor() : TorchSharp.torch.empty(new long[] { rows, 0 });
        var steps = lengths is null || !_keepFeatures ? null
            : new SequenceLengths(lengths.ToArray(), ((SequenceLayout)_layout).ValuesPerStep, _task.PerStep);
        return new TensorDataset(inputs, targets, steps);
    }

    /// <summary>What <paramref name="rows"/> rows padded to <paramref name="longest"/> steps take as tensors (labels counted as 8 bytes a value).</summary>
    private long Bytes(long rows, int longest) =>
        rows * ((_keepFeatures ? _layout.RowBytes(longest) : 0) + sizeof(long) * (_task.PerStep ? Math.Max(1, longest) : 1));

    private bool MoveNext()
    {
        while (_cursor.MoveNext())
        {
            RowsSeen++;
            if (_include is null || _include(_cursor.Position))
                return true;
        }
        return false;
    }

    public void Dispose() => _cursor.Dispose();
}

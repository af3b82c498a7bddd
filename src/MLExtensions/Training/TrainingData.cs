using System.Globalization;
using Microsoft.ML;
using MLExtensions.Inputs;
using MLExtensions.Networks;
using MLExtensions.Tasks;
using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>
/// The training and validation rows of one <c>Fit</c>: held in memory as whole tensors when they fit
/// <see cref="TorchTrainerOptions.MaxInMemoryBytes"/>, streamed from the <see cref="IDataView"/> otherwise.
/// </summary>
/// <remarks>
/// Streaming first reads the training labels once (counting the rows and checking every label), so that the task head
/// can learn what it needs from them: label scaling and the informed output bias use a seeded uniform sample of up to
/// <see cref="TargetSample.DefaultCapacity"/> training rows (all of them when there are fewer). The validation split
/// by <see cref="TorchTrainerOptions.ValidationFraction"/> holds out each row with that probability (a seeded hash of
/// its row number, <see cref="RowSplit"/>) instead of an exact share. Validation rows that fit in half the budget are
/// then read into memory once; otherwise they stream too.
/// </remarks>
internal sealed class TrainingData : IDisposable
{
    private readonly TorchTrainerOptions _options;
    private readonly long _budget;
    private readonly SequenceBatching _batching;
    private TensorDataset? _train, _validation;
    private StreamedRows? _trainStream, _validationStream;
    private TargetSample? _sample;

    private TrainingData(TorchTrainerOptions options, long budget)
    {
        _options = options;
        _budget = budget;
        _batching = (options as SequenceTrainerOptions)?.Batching ?? SequenceBatching.PerBatchPadding;
    }

    /// <summary>Training rows.</summary>
    public long TrainCount { get; private set; }

    /// <summary>Validation rows (0 without validation).</summary>
    public long ValidationCount { get; private set; }

    /// <summary>True when the training rows stream from the data view.</summary>
    public bool Streaming => _trainStream is not null;

    /// <summary>Reads the rows (into memory, or their labels when they will stream) and splits off the validation rows.</summary>
    public static TrainingData Load(IDataView input, TorchTrainerOptions options, InputLayout layout, TaskHead task, TrainingLog log)
    {
        Check(options);
        var data = new TrainingData(options, MemoryBudget.Resolve(options.MaxInMemoryBytes));
        try
        {
            var all = FitsAtFirstSight(input, layout, data._budget)
                ? DataReader.Read(input, options.FeatureColumnName, layout, options.LabelColumnName, task, "training", data._budget)
                : null;
            if (all is not null)
                data.SplitInMemory(all, layout, task, log);
            else
                data.PrepareStream(input, layout, task, log);
            return data;
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>The head to train with, learned from the training targets (all of them, or the streamed sample); targets held in memory are scaled.</summary>
    public TaskHead Prepare(TaskHead task)
    {
        var targets = _train?.Targets ?? _sample!.Targets;
        task = task.Prepare(targets);
        task.ScaleTargets(targets);
        if (_validation is not null)
            task.ScaleTargets(_validation.Targets);
        return task;
    }

    /// <summary>
    /// Lets the network learn what it needs from the training inputs (feature statistics): all of them when they are in
    /// memory, else the first rows the stream gives (up to one shuffle buffer).
    /// </summary>
    public void PrepareNetwork(NetworkModule network)
    {
        if (_train is not null)
        {
            network.Prepare(_train.Inputs);
            return;
        }
        using var reader = _trainStream!.Open();
        using var first = reader.Next(_options.ShuffleBufferSize, Math.Max(1, _budget / 4), 1);
        if (first is not null)
            network.Prepare(first.Inputs);
    }

    /// <summary>Starts <paramref name="layer"/>'s bias from the (scaled) training targets.</summary>
    public void InitializeOutputBias(TaskHead task, TorchSharp.Modules.Linear layer) =>
        task.InitializeOutputBias(layer, _train?.Targets ?? _sample!.Targets);

    /// <summary>The batch sources for the loop, on <paramref name="device"/>, reading with the prepared <paramref name="task"/>.</summary>
    public Sources OnDevice(Device device, TaskHead task)
    {
        var sources = new Sources();
        sources.Train = Source(_train, _trainStream, device, task, sources);
        sources.Validation = _validation is null && _validationStream is null ? null : Source(_validation, _validationStream, device, task, sources);
        return sources;
    }

    private IBatchSource Source(TensorDataset? inMemory, StreamedRows? stream, Device device, TaskHead task, Sources owner)
    {
        if (inMemory is not null)
        {
            var copy = inMemory.To(device);
            if (!ReferenceEquals(copy, inMemory))
                owner.Copies.Add(copy);
            return new InMemoryBatches(copy, _batching);
        }
        return new StreamingBatches(stream!, task, device, _batching, _options.ShuffleBufferSize, Math.Max(1, _budget / 4));
    }

    private static void Check(TorchTrainerOptions o)
    {
        if (o.MaxInMemoryBytes < 0)
            throw new ArgumentOutOfRangeException(nameof(o.MaxInMemoryBytes), o.MaxInMemoryBytes, "MaxInMemoryBytes must not be negative (0 chooses it from the machine's memory).");
        if (o.ShuffleBufferSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(o.ShuffleBufferSize), o.ShuffleBufferSize, "ShuffleBufferSize must be positive.");
        if (o is SequenceTrainerOptions s && !Enum.IsDefined(s.Batching))
            throw new ArgumentOutOfRangeException(nameof(s.Batching), s.Batching, "Unknown batching: use GlobalPadding, PerBatchPadding or LengthBuckets.");
    }

    /// <summary>False when the data's row count alone shows that its tensors exceed the budget.</summary>
    private static bool FitsAtFirstSight(IDataView data, InputLayout layout, long budget) =>
        data.GetRowCount() is not long rows || rows <= budget / Math.Max(1, layout.RowBytes(1) + sizeof(long));

    private void SplitInMemory(TensorDataset all, InputLayout layout, TaskHead task, TrainingLog log)
    {
        var o = _options;
        _train = all;
        if (o.ValidationSet is not null)
            ReadValidationSet(o.ValidationSet, layout, task, log, _budget - MemoryBudget.Of(all.Inputs) - MemoryBudget.Of(all.Targets));
        else if (o.ValidationFraction > 0)
        {
            long n = all.Count;
            long validationCount = (long)Math.Round(n * o.ValidationFraction);
            if (validationCount < 1 || validationCount >= n)
                throw new ArgumentOutOfRangeException(nameof(o.ValidationFraction), TooFewRows(o.ValidationFraction, n, validationCount < 1));
            using var generator = new Generator((ulong)o.Seed + 7919UL, device: CPU);
            using var order = randperm(n, generator: generator);
            using var validationIndex = order.narrow(0, 0, validationCount);
            using var trainIndex = order.narrow(0, validationCount, n - validationCount);
            _validation = all.Subset(validationIndex);
            _train = all.Subset(trainIndex);
            all.Dispose();
            ValidationCount = _validation.Count;
        }
        TrainCount = _train.Count;
    }

    private void PrepareStream(IDataView input, InputLayout layout, TaskHead task, TrainingLog log)
    {
        var o = _options;
        var split = o.ValidationSet is null && o.ValidationFraction > 0 ? new RowSplit(o.Seed, o.ValidationFraction) : null;
        _trainStream = new StreamedRows(input, o.FeatureColumnName, layout, o.LabelColumnName, task, "training",
            split is null ? null : row => !split.HeldOut(row));
        log.Info(Budget("The training rows", "stream through a cursor every epoch, in shuffle buffers of " +
            o.ShuffleBufferSize.ToString("N0", CultureInfo.InvariantCulture) + " rows"));

        // One pass over the labels: the row count, every label checked, and the sample the head learns from.
        _sample = new TargetSample(TargetSample.DefaultCapacity, o.Seed);
        long seen;
        using (var reader = _trainStream.Open(targetsOnly: true))
        {
            while (reader.Next(1 << 16, long.MaxValue, 1) is { } chunk)
                using (chunk)
                {
                    log.CheckAlive();
                    _sample.Add(chunk.Targets);
                }
            seen = reader.RowsSeen;
        }
        TrainCount = _sample.Offered;
        if (seen == 0)
            throw new InvalidOperationException("The training data has no rows.");

        if (split is not null)
        {
            ValidationCount = seen - TrainCount;
            if (TrainCount == 0 || ValidationCount == 0)
                throw new ArgumentOutOfRangeException(nameof(o.ValidationFraction), TooFewRows(o.ValidationFraction, seen, ValidationCount == 0));
            var heldOut = new StreamedRows(input, o.FeatureColumnName, layout, o.LabelColumnName, task, "validation", split.HeldOut);
            _validation = DataReader.Read(input, o.FeatureColumnName, layout, o.LabelColumnName, task, "validation", _budget / 2, split.HeldOut);
            if (_validation is null)
            {
                _validationStream = heldOut;
                log.Info(Budget("The held-out validation rows", "stream from the training data after every epoch"));
            }
        }
        else if (o.ValidationSet is not null)
            ReadValidationSet(o.ValidationSet, layout, task, log, _budget / 2);
    }

    /// <summary>The validation set: read into memory when it fits <paramref name="budget"/> bytes, streamed every epoch otherwise.</summary>
    private void ReadValidationSet(IDataView data, InputLayout layout, TaskHead task, TrainingLog log, long budget)
    {
        var o = _options;
        _validation = budget > 0 ? DataReader.Read(data, o.FeatureColumnName, layout, o.LabelColumnName, task, "validation", budget) : null;
        if (_validation is null)
        {
            _validationStream = new StreamedRows(data, o.FeatureColumnName, layout, o.LabelColumnName, task, "validation");
            ValidationCount = CountRows(_validationStream);
            log.Info(Budget("The validation rows", "stream from the validation set every epoch"));
        }
        else
            ValidationCount = _validation.Count;
    }

    private static string TooFewRows(double fraction, long rows, bool noValidationRows) =>
        FormattableString.Invariant($"ValidationFraction {fraction} of {rows} rows leaves no training or no validation rows; ") +
        (noValidationRows
            ? "to train on so few rows set ValidationFraction = 0 and EarlyStoppingPatience = 0 (by default a tenth of the rows validates, for early stopping)."
            : "use a smaller fraction.");

    private static long CountRows(StreamedRows rows)
    {
        using var reader = rows.Open(targetsOnly: true);
        long count = 0;
        while (reader.Next(1 << 16, long.MaxValue, 1) is { } chunk)
            using (chunk)
                count += chunk.Count;
        return count == 0 ? throw new InvalidOperationException($"The {rows.Role} data has no rows.") : count;
    }

    private string Budget(string what, string how) => FormattableString.Invariant(
        $"{what} do not fit in MaxInMemoryBytes = {_budget:N0} bytes: they {how}.");

    public void Dispose()
    {
        _train?.Dispose();
        _validation?.Dispose();
        _sample?.Dispose();
    }

    /// <summary>The loop's batch sources and the device copies they read from.</summary>
    public sealed class Sources : IDisposable
    {
        public IBatchSource Train { get; set; } = null!;

        public IBatchSource? Validation { get; set; }

        public List<TensorDataset> Copies { get; } = new();

        public void Dispose()
        {
            foreach (var copy in Copies)
                copy.Dispose();
        }
    }
}

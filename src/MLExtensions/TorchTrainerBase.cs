using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLExtensions.Networks;
using MLExtensions.Prediction;
using MLExtensions.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>
/// The estimator behind every MLExtensions trainer. It checks the schema, reads the columns into tensors, trains
/// the network the derived trainer builds with the shared <c>TrainingLoop</c>, exports it to ONNX and returns a
/// <see cref="TorchModel"/> made of saveable ML.NET transformers.
/// </summary>
/// <typeparam name="TOptions">The trainer's options.</typeparam>
public abstract class TorchTrainerBase<TOptions> : IEstimator<TorchModel> where TOptions : TorchTrainerOptions
{
    private readonly IHostEnvironment? _env;

    private protected TorchTrainerBase(IHostEnvironment? env, TOptions options, PredictionKind kind, string name)
    {
        _env = env;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Kind = kind;
        Name = name;
        // Prepare libtorch as early as our code runs, so that torch.* calls made between here and Fit work too.
        NativeRuntime.TryInitialize();
    }

    /// <summary>The options the trainer was created with.</summary>
    public TOptions Options { get; }

    /// <summary>The task.</summary>
    public PredictionKind Kind { get; }

    /// <summary>The trainer's name, used in log messages.</summary>
    public string Name { get; }

    /// <summary>Builds the untrained network; it must also implement the internal ONNX export interface.</summary>
    private protected abstract nn.Module<Tensor, Tensor> CreateNetwork(FeatureLayout layout, int outputSize);

    /// <summary>Checks options that only the derived trainer knows about.</summary>
    private protected virtual void ValidateArchitectureOptions() { }

    /// <summary>How the feature column becomes network input. The default: a known-size vector of Single, whose size
    /// <see cref="ValidateFeatureSize"/> may check (for example against height × width × channels).</summary>
    private protected virtual FeatureLayout GetFeatureLayout(DataViewSchema schema)
    {
        int size = ColumnChecks.FeatureSize(schema, Options.FeatureColumnName);
        ValidateFeatureSize(size);
        return new DenseVectorLayout(size);
    }

    /// <summary>Checks the feature column's shape in <see cref="GetOutputSchema"/>: by default a known-size vector of Single.</summary>
    private protected virtual void CheckFeatureShape(SchemaShape.Column features)
    {
        if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(Options.FeatureColumnName,
                $"Feature column '{Options.FeatureColumnName}' must be a known-size vector of Single, but it is {features.ItemType} ({features.Kind}).");
    }

    /// <summary>Checks the size of a dense feature vector.</summary>
    private protected virtual void ValidateFeatureSize(int featureSize) { }

    /// <inheritdoc />
    public TorchModel Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ValidateOptions();
        var layout = GetFeatureLayout(input.Schema);
        var label = LabelInfo.FromSchema(input.Schema, Options.LabelColumnName, Kind);
        var device = DeviceResolver.Resolve(Options.Device);
        if (Options.CpuThreads > 0)
            torch.set_num_threads(Options.CpuThreads);
        var objective = new TaskObjective(Kind, Options.Loss, Options.HuberDelta);

        using var log = new TrainingLog(_env, Name, Options.CancellationToken);
        using var all = DataReader.Read(input, Options.FeatureColumnName, layout, label, "training");
        torch.manual_seed(Options.Seed);
        var (train, validation) = SplitValidation(all, layout, label);
        try
        {
            log.Info(FormattableString.Invariant($"{Name}: {train.Count} training rows of {layout.Description}, {(validation?.Count ?? 0)} validation rows, device {device.type}."));
            using var network = CreateNetwork(layout, label.OutputSize);
            network.to(device);
            IReadOnlyList<TorchEpochRecord> history;
            using (var trainOnDevice = new DeviceCopy(train, device))
            using (var validationOnDevice = validation is null ? null : new DeviceCopy(validation, device))
                history = TrainingLoop.Run(network, trainOnDevice.Data, validationOnDevice?.Data, Options, objective, device, log);

            network.to(CPU);
            var exportable = (IOnnxExportable)network;
            var metadata = Metadata(label, layout);
            var ml = _env as MLContext ?? new MLContext(Options.Seed);
            var onnxForMlNet = OnnxModelComposer.ForMlNet(exportable, Kind, layout, Options.FeatureColumnName, label.OutputSize, metadata, label.ClassNames());
            var portable = OnnxModelComposer.Portable(exportable, Kind, layout, label.OutputSize, metadata);
            var chain = ScoringChain.Build(ml, input, onnxForMlNet, Options.FeatureColumnName, label);
            return new TorchModel(chain, portable, history, Kind, Options.FeatureColumnName, layout, label.OutputSize)
            {
                AttentionWeights = network is AttentionNetwork attention ? AttentionWeightsReader.Create(attention, layout, Options.FeatureColumnName) : null,
            };
        }
        finally
        {
            if (!ReferenceEquals(train, all))
                train.Dispose();
            validation?.Dispose();
        }
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var columns = inputSchema.ToDictionary(c => c.Name);
        if (!columns.TryGetValue(Options.FeatureColumnName, out var features))
            throw new ArgumentOutOfRangeException(Options.FeatureColumnName, $"The data has no feature column '{Options.FeatureColumnName}'.");
        CheckFeatureShape(features);
        if (!columns.TryGetValue(Options.LabelColumnName, out var label))
            throw new ArgumentOutOfRangeException(Options.LabelColumnName, $"The data has no label column '{Options.LabelColumnName}'.");

        var scalar = SchemaShape.Column.VectorKind.Scalar;
        switch (Kind)
        {
            case PredictionKind.Regression:
                if (label.Kind != scalar || label.ItemType != NumberDataViewType.Single)
                    throw new ArgumentOutOfRangeException(Options.LabelColumnName, $"Label column '{Options.LabelColumnName}' must be of type Single for regression.");
                columns["Score"] = SchemaShapes.Column("Score", scalar, NumberDataViewType.Single, false);
                break;
            case PredictionKind.BinaryClassification:
                if (label.Kind != scalar || label.ItemType != BooleanDataViewType.Instance)
                    throw new ArgumentOutOfRangeException(Options.LabelColumnName, $"Label column '{Options.LabelColumnName}' must be of type Boolean for binary classification.");
                columns["Score"] = SchemaShapes.Column("Score", scalar, NumberDataViewType.Single, false);
                columns["Probability"] = SchemaShapes.Column("Probability", scalar, NumberDataViewType.Single, false);
                columns["PredictedLabel"] = SchemaShapes.Column("PredictedLabel", scalar, BooleanDataViewType.Instance, false);
                break;
            default:
                if (label.Kind != scalar || !label.IsKey)
                    throw new ArgumentOutOfRangeException(Options.LabelColumnName,
                        $"Label column '{Options.LabelColumnName}' must be a key type for multiclass classification (use MapValueToKey).");
                columns["Score"] = SchemaShapes.Column("Score", SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
                columns["PredictedLabel"] = SchemaShapes.Column("PredictedLabel", scalar, label.ItemType, true, label.Annotations);
                break;
        }
        return new SchemaShape(columns.Values);
    }

    private void ValidateOptions()
    {
        var o = Options;
        if (o.Epochs <= 0)
            throw new ArgumentOutOfRangeException(nameof(o.Epochs), o.Epochs, "Epochs must be positive.");
        if (o.BatchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(o.BatchSize), o.BatchSize, "BatchSize must be positive.");
        if (!(o.LearningRate > 0) || double.IsInfinity(o.LearningRate))
            throw new ArgumentOutOfRangeException(nameof(o.LearningRate), o.LearningRate, "LearningRate must be a positive number.");
        if (o.Momentum < 0 || o.WeightDecay < 0 || o.GradientClipNorm < 0 || o.MinLearningRate < 0)
            throw new ArgumentOutOfRangeException(nameof(o), "Momentum, WeightDecay, GradientClipNorm and MinLearningRate must not be negative.");
        if (o.Nesterov && (o.Optimizer != TorchOptimizer.Sgd || o.Momentum <= 0))
            throw new ArgumentOutOfRangeException(nameof(o.Nesterov), "Nesterov momentum needs Optimizer = Sgd and Momentum > 0.");
        if (o.WarmupEpochs < 0 || o.EarlyStoppingPatience < 0 || o.LearningRateStepSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(o), "WarmupEpochs and EarlyStoppingPatience must not be negative, LearningRateStepSize must be positive.");
        if (!(o.LearningRateDecay > 0))
            throw new ArgumentOutOfRangeException(nameof(o.LearningRateDecay), o.LearningRateDecay, "LearningRateDecay must be positive.");
        if (!(o.ValidationFraction >= 0 && o.ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(o.ValidationFraction), o.ValidationFraction, "ValidationFraction must be in [0, 1).");
        if (o.EarlyStoppingPatience > 0 && o.ValidationSet is null && o.ValidationFraction == 0)
            throw new ArgumentException("EarlyStoppingPatience needs validation data: set ValidationSet or ValidationFraction.", nameof(o.EarlyStoppingPatience));
        if (!(o.HuberDelta > 0))
            throw new ArgumentOutOfRangeException(nameof(o.HuberDelta), o.HuberDelta, "HuberDelta must be positive.");
        if (o.CpuThreads < 0)
            throw new ArgumentOutOfRangeException(nameof(o.CpuThreads), o.CpuThreads, "CpuThreads must not be negative (0 keeps libtorch's default).");
        if (!Enum.IsDefined(o.Device))
            throw new ArgumentOutOfRangeException(nameof(o.Device), o.Device, "Unknown device: use TorchDevice.Auto, Cpu or Cuda.");
        if (!Enum.IsDefined(o.Optimizer))
            throw new ArgumentOutOfRangeException(nameof(o.Optimizer), o.Optimizer, "Unknown optimizer.");
        ValidateArchitectureOptions();
    }

    private (TensorDataset Train, TensorDataset? Validation) SplitValidation(TensorDataset all, FeatureLayout layout, LabelInfo label)
    {
        if (Options.ValidationSet is not null)
        {
            var validationLabel = LabelInfo.FromSchema(Options.ValidationSet.Schema, Options.LabelColumnName, Kind);
            if (validationLabel.ClassCount != label.ClassCount)
                throw new ArgumentOutOfRangeException(Options.LabelColumnName,
                    $"Label column '{Options.LabelColumnName}' has {validationLabel.ClassCount} classes in the validation set but {label.ClassCount} in the training data; build both with the same MapValueToKey transformer.");
            return (all, DataReader.Read(Options.ValidationSet, Options.FeatureColumnName, layout, label, "validation"));
        }
        if (Options.ValidationFraction == 0)
            return (all, null);

        long n = all.Count;
        long validationCount = (long)Math.Round(n * Options.ValidationFraction);
        if (validationCount < 1 || validationCount >= n)
            throw new ArgumentOutOfRangeException(nameof(Options.ValidationFraction),
                $"ValidationFraction {Options.ValidationFraction} of {n} rows leaves no training or no validation rows.");
        using var generator = new Generator((ulong)Options.Seed + 7919UL, device: CPU);
        using var order = randperm(n, generator: generator);
        using var validationIndex = order.narrow(0, 0, validationCount);
        using var trainIndex = order.narrow(0, validationCount, n - validationCount);
        var (vx, vy) = all.Select(validationIndex);
        var (tx, ty) = all.Select(trainIndex);
        return (new TensorDataset(tx, ty), new TensorDataset(vx, vy));
    }

    private Dictionary<string, string> Metadata(LabelInfo label, FeatureLayout layout)
    {
        var metadata = new Dictionary<string, string>
        {
            ["mlextensions.trainer"] = Name,
            ["mlextensions.task"] = Kind.ToString(),
            ["mlextensions.feature_column"] = Options.FeatureColumnName,
            ["mlextensions.outputs"] = label.OutputSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in layout.Metadata)
            metadata[key] = value;
        if (label.ClassNames() is string[] names)
            metadata["mlextensions.class_names"] = System.Text.Json.JsonSerializer.Serialize(names);
        return metadata;
    }

    /// <summary>A data set moved to the training device; disposes the copy only when one was made.</summary>
    private sealed class DeviceCopy : IDisposable
    {
        private readonly TensorDataset _source;

        public DeviceCopy(TensorDataset source, Device device)
        {
            _source = source;
            Data = source.To(device);
        }

        public TensorDataset Data { get; }

        public void Dispose()
        {
            if (!ReferenceEquals(Data, _source))
                Data.Dispose();
        }
    }
}

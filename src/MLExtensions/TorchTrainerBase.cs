using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLExtensions.Inputs;
using MLExtensions.Networks;
using MLExtensions.Persistence;
using MLExtensions.Tasks;
using MLExtensions.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>
/// The estimator behind every MLExtensions trainer. A trainer is its options plus three choices: how the feature
/// column becomes network input (an <c>InputLayout</c>), which network to build, and what the task is (a task head).
/// <see cref="Fit"/> checks the schema, reads the columns into tensors, trains the network with the shared
/// <c>TrainingLoop</c>, writes it to ONNX once and returns a <see cref="NetworkTransformer"/> made of saveable ML.NET
/// transformers.
/// </summary>
/// <typeparam name="TOptions">The trainer's options.</typeparam>
public abstract class TorchTrainerBase<TOptions> : IEstimator<NetworkTransformer> where TOptions : TorchTrainerOptions
{
    private readonly IHostEnvironment? _env;
    private readonly Func<TorchTrainerOptions, TaskHead> _task;

    private protected TorchTrainerBase(IHostEnvironment? env, TOptions options, Func<TorchTrainerOptions, TaskHead> task, string name)
    {
        _env = env;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _task = task;
        Name = name;
        // Prepare libtorch as early as our code runs, so that torch.* calls made between here and Fit work too.
        NativeRuntime.TryInitialize();
    }

    /// <summary>The options the trainer was created with.</summary>
    public TOptions Options { get; }

    /// <summary>The trainer's name, used in log messages and stored in the model.</summary>
    public string Name { get; }

    /// <summary>The task head for the current options (unbound).</summary>
    private protected TaskHead Task => _task(Options);

    /// <summary>Builds the untrained network for inputs of <paramref name="layout"/> and <paramref name="outputSize"/> raw outputs.</summary>
    private protected abstract NetworkModule CreateNetwork(InputLayout layout, int outputSize);

    /// <summary>What the trainer adds to the shared loop (augmentation, per-epoch changes); none by default.</summary>
    private protected virtual TrainingHooks CreateHooks(NetworkModule network) => TrainingHooks.None;

    /// <summary>Checks options that only the derived trainer knows about.</summary>
    private protected virtual void ValidateArchitectureOptions() { }

    /// <summary>How the feature column becomes network input. The default: a known-size vector of Single, whose size
    /// <see cref="ValidateFeatureSize"/> may check (for example against height × width × channels).</summary>
    private protected virtual InputLayout CreateInputLayout(DataViewSchema schema)
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

    /// <summary>Checks the network against the input layout and the bound task head before any row is read.</summary>
    private protected virtual void CheckNetwork(InputLayout layout, TaskHead task) { }

    /// <summary>Whether the output layer's bias starts at the labels' base rate (<see cref="TorchTrainerOptions.InformedOutputBias"/>).</summary>
    private protected virtual bool StartsOutputBias => Options.InformedOutputBias;

    /// <summary>True when <c>Epochs = 0</c> is accepted: the network is saved as built, without training.</summary>
    private protected virtual bool AllowsZeroEpochs => false;

    /// <inheritdoc />
    public NetworkTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ValidateOptions();
        var layout = CreateInputLayout(input.Schema);
        var task = Task.Bind(ColumnChecks.Find(input.Schema, Options.LabelColumnName, "label"));
        var device = DeviceResolver.Resolve(Options.Device);
        CheckNetwork(layout, task);

        using var log = new TrainingLog(_env, Name, Options.CancellationToken);
        using var data = TrainingData.Load(input, Options, layout, task, log);
        torch.manual_seed(Options.Seed);
        task = data.Prepare(task);
        log.Info(FormattableString.Invariant(
            $"{Name}: {data.TrainCount} training rows of {layout.Description}, {data.ValidationCount} validation rows, device {device.type}."));
        using var network = CreateNetwork(layout, task.OutputSize);
        WeightInitializer.Apply(network, Options.WeightInitialization, Options.InitScale);
        data.PrepareNetwork(network);
        if (StartsOutputBias && network.OutputLayer is { } outputLayer)
            data.InitializeOutputBias(task, outputLayer);
        network.to(device);
        var training = Options.ForTraining(data.TrainCount); // the automatic batch size, resolved for these rows
        using var threads = ThreadPolicy.Apply(training, network, device);
        IReadOnlyList<TorchEpochRecord> history;
        using (var sources = data.OnDevice(device, task))
        {
            var loop = new TrainingLoop(network, training, task, log, CreateHooks(network));
            history = loop.Run(sources.Train, sources.Validation);
        }

        network.to(CPU);
        var scoringOnnx = ScoringModel.Write(network, layout, task, Describe(layout, task, history, training));
        var ml = _env as MLContext ?? new MLContext(Options.Seed);
        var chain = ScoringChain.Build(ml, input, scoringOnnx, Options.FeatureColumnName, task);
        return new NetworkTransformer(chain, scoringOnnx);
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
        var task = Task;
        task.CheckLabelShape(label, Options.LabelColumnName);
        foreach (var column in task.OutputShape(label))
            columns[column.Name] = column;
        return new SchemaShape(columns.Values);
    }

    private void ValidateOptions()
    {
        var o = Options;
        if (o.Epochs < 0 || (o.Epochs == 0 && !AllowsZeroEpochs))
            throw new ArgumentOutOfRangeException(nameof(o.Epochs), o.Epochs, AllowsZeroEpochs ? "Epochs must not be negative." : "Epochs must be positive.");
        if (o.BatchSize < 0)
            throw new ArgumentOutOfRangeException(nameof(o.BatchSize), o.BatchSize, "BatchSize must be positive, or 0 to choose it from the number of training rows.");
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
            throw new ArgumentException(FormattableString.Invariant(
                $"EarlyStoppingPatience ({o.EarlyStoppingPatience}) needs validation data: set ValidationSet or ValidationFraction, or set EarlyStoppingPatience = 0 to train for all {o.Epochs} epochs without validation."),
                nameof(o.EarlyStoppingPatience));
        if (!(o.HuberDelta > 0))
            throw new ArgumentOutOfRangeException(nameof(o.HuberDelta), o.HuberDelta, "HuberDelta must be positive.");
        if (o.CpuThreads < 0)
            throw new ArgumentOutOfRangeException(nameof(o.CpuThreads), o.CpuThreads, "CpuThreads must not be negative (0 keeps libtorch's default).");
        if (!Enum.IsDefined(o.Device))
            throw new ArgumentOutOfRangeException(nameof(o.Device), o.Device, "Unknown device: use TorchDevice.Auto, Cpu or Cuda.");
        if (!Enum.IsDefined(o.Optimizer))
            throw new ArgumentOutOfRangeException(nameof(o.Optimizer), o.Optimizer, "Unknown optimizer.");
        if (!Enum.IsDefined(o.WeightInitialization))
            throw new ArgumentOutOfRangeException(nameof(o.WeightInitialization), o.WeightInitialization, "Unknown weight initialization.");
        ValidateArchitectureOptions();
    }

    /// <summary>What the fitted model knows about itself, saved with it.</summary>
    private ModelMetadata Describe(InputLayout layout, TaskHead task, IReadOnlyList<TorchEpochRecord> history, TorchTrainerOptions training)
    {
        var metadata = new ModelMetadata();
        metadata["trainer"] = Name;
        metadata["task"] = task.Name;
        metadata["feature_column"] = Options.FeatureColumnName;
        metadata["label_column"] = Options.LabelColumnName;
        metadata.Set("outputs", task.OutputSize);
        layout.WriteMetadata(metadata);
        metadata.AddRange(task.Metadata);
        metadata["history"] = System.Text.Json.JsonSerializer.Serialize(history.Select(EpochRecordJson.From).ToArray(), ModelJson.Settings);
        metadata["options"] = OptionsJson.Write(training);
        return metadata;
    }
}

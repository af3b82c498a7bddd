using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLExtensions.Inputs;
using MLExtensions.Networks;
using MLExtensions.Onnx;
using MLExtensions.Tasks;
using MLExtensions.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>
/// Trains a network you build in TorchSharp (any <c>nn.Module&lt;Tensor, Tensor&gt;</c> the ONNX exporter can write:
/// standard layers, or modules implementing <see cref="ITorchOnnxExportable"/>) with the shared training loop, for
/// regression, binary or multiclass classification.
/// </summary>
/// <remarks>
/// <para>
/// <c>createNetwork</c> is called twice per <see cref="TorchTrainerBase{TOptions}.Fit"/>: once before any row is
/// read, to check the network against the data's schema (its output size against the task, and that the exporter can
/// write it), and once, after the random seed is set, to build the network that is trained. It must build a new
/// module every time. Built at the point where the built-in trainers build theirs, a network of the same layers gets
/// the same initial weights as theirs for the same <see cref="TorchTrainerOptions.Seed"/>.
/// </para>
/// <para>
/// The fitted model is saved through the module exporter, so it loads and predicts without libtorch like every
/// other MLExtensions model.
/// </para>
/// </remarks>
public sealed class TorchModuleTrainer : TorchTrainerBase<ModuleOptions>
{
    /// <summary>The size given to a run-time sequence length when the network is probed.</summary>
    private const long ProbeLength = 8;

    private const string FactoryName = "createNetwork";

    private readonly Func<nn.Module<Tensor, Tensor>> _createNetwork;

    /// <summary>Every module (and layer inside it) the factory has returned, to tell a reused module from a new one.</summary>
    private readonly ConditionalWeakTable<nn.Module, object> _returned = new();

    internal TorchModuleTrainer(IHostEnvironment? env, Func<nn.Module<Tensor, Tensor>> createNetwork, ModuleOptions options,
        Func<TorchTrainerOptions, TaskHead> task)
        : base(env, options, task, "TorchModule")
    {
        _createNetwork = createNetwork ?? throw new ArgumentNullException(nameof(createNetwork),
            "createNetwork must be a function that builds a new TorchSharp module, for example () => nn.Sequential(...).");
    }

    private protected override bool AllowsZeroEpochs => true;

    /// <summary>Weights loaded from a file keep their output bias.</summary>
    private protected override bool StartsOutputBias => Options.InformedOutputBias && Options.InitialWeights is null;

    private protected override void ValidateArchitectureOptions()
    {
        var o = Options;
        if (o.InputShape is { } shape && (shape.Length == 0 || shape.Any(d => d <= 0)))
            throw new ArgumentOutOfRangeException(nameof(ModuleOptions.InputShape),
                $"InputShape {Format(shape)} must have at least one dimension, each positive (for example [3, 32, 32]); null gives [N, features].");
        if (o.InitialWeights is null)
        {
            if (o.InitialWeightsEntry is not null)
                throw new ArgumentException("InitialWeightsEntry names an entry of the InitialWeights file, but InitialWeights is not set.",
                    nameof(ModuleOptions.InitialWeightsEntry));
            return;
        }
        if (o.InitialWeights.Length == 0)
            throw new ArgumentException("InitialWeights must be the path of a .pt, .pth or .safetensors file, or null.", nameof(ModuleOptions.InitialWeights));
        if (!File.Exists(o.InitialWeights))
            throw new FileNotFoundException($"The InitialWeights file '{o.InitialWeights}' does not exist.", o.InitialWeights);
        if (o.WeightInitialization != WeightInitialization.Default)
            throw new ArgumentException(
                $"InitialWeights and WeightInitialization = {o.WeightInitialization} both set the network's weights; keep one of them.",
                nameof(TorchTrainerOptions.WeightInitialization));
    }

    private protected override InputLayout CreateInputLayout(DataViewSchema schema)
    {
        var column = ColumnChecks.Find(schema, Options.FeatureColumnName, "feature");
        if (TokenSequenceLayout.VocabularyOf(column) is int vocabulary)
        {
            if (Options.InputShape is not null)
                throw new ArgumentOutOfRangeException(nameof(ModuleOptions.InputShape),
                    $"InputShape reshapes a vector of Single, but feature column '{Options.FeatureColumnName}' holds token keys; " +
                    "the network receives them as [N, T] int64 indices, so leave InputShape null.");
            var vector = (VectorDataViewType)column.Type;
            return new TokenSequenceLayout(vocabulary, maxLength: 0, truncate: false, vector.IsKnownSize ? vector.Size : 0, vector.ItemType.RawType);
        }
        if (column.Type is not VectorDataViewType { IsKnownSize: true } dense || dense.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(Options.FeatureColumnName, WrongFeatureType($"{column.Type}"));
        ValidateFeatureSize(dense.Size);
        return new DenseVectorLayout(dense.Size);
    }

    private protected override void CheckFeatureShape(SchemaShape.Column features)
    {
        bool tokens = features.IsKey && features.Kind is SchemaShape.Column.VectorKind.Vector or SchemaShape.Column.VectorKind.VariableVector;
        bool dense = features.Kind == SchemaShape.Column.VectorKind.Vector && features.ItemType == NumberDataViewType.Single;
        if (!tokens && !dense)
            throw new ArgumentOutOfRangeException(Options.FeatureColumnName, WrongFeatureType($"{features.ItemType} ({features.Kind})"));
    }

    private string WrongFeatureType(string actual) =>
        $"Feature column '{Options.FeatureColumnName}' must be a known-size vector of Single (features or pixels, for example from " +
        $"mlContext.Transforms.Concatenate) or a vector of keys (tokens), but it is {actual}.";

    private protected override void ValidateFeatureSize(int featureSize)
    {
        if (Options.InputShape is not { } shape)
            return;
        long product = shape.Aggregate(1L, (p, d) => p * d);
        if (product != featureSize)
            throw new ArgumentOutOfRangeException(Options.FeatureColumnName,
                $"Feature column '{Options.FeatureColumnName}' has {featureSize} values per row, but ModuleOptions.InputShape " +
                $"{Format(shape)} holds {product.ToString(CultureInfo.InvariantCulture)}.");
    }

    /// <summary>
    /// Builds a network once and runs it on a batch of zeros: its input and output are checked against the layout and
    /// the task, and the exporter writes it, before any row is read. The initial weights are loaded into it as well,
    /// so that a weights file that does not fit fails here too.
    /// </summary>
    private protected override void CheckNetwork(InputLayout layout, TaskHead task)
    {
        DeviceResolver.EnsureBackend();
        using var network = Build(layout);
        CheckOutput(network, layout, task);
        var graph = new OnnxGraph("check");
        network.WriteOnnx(graph, layout.WriteBatchInput(graph, "features"));
    }

    private protected override NetworkModule CreateNetwork(InputLayout layout, int outputSize) => Build(layout);

    /// <summary>Calls the factory, wraps its module for <paramref name="layout"/> and loads <see cref="ModuleOptions.InitialWeights"/>.</summary>
    private UserNetwork Build(InputLayout layout)
    {
        nn.Module<Tensor, Tensor>? module;
        try
        {
            module = _createNetwork();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{FactoryName} threw {e.GetType().Name} while building the network: {e.Message}", e);
        }
        if (module is null)
            throw new InvalidOperationException($"{FactoryName} returned null; it must return a new TorchSharp module.");
        RequireNew(module);

        var network = layout switch
        {
            DenseVectorLayout when Options.InputShape is { } shape =>
                new UserNetwork(module, shape.Select(d => (long)d).ToArray(), reshape: true, OnnxTensorType.Float),
            DenseVectorLayout dense => new UserNetwork(module, [dense.Size], reshape: false, OnnxTensorType.Float),
            TokenSequenceLayout tokens => new UserNetwork(module, [tokens.KnownSize > 0 ? tokens.KnownSize : -1], reshape: false, OnnxTensorType.Int64),
            _ => throw new NotSupportedException($"TorchModule does not read {layout.Description}."),
        };
        if (Options.InitialWeights is { } path)
        {
            try
            {
                TorchWeights.Load(module, path, Options.StrictWeights, Options.InitialWeightsEntry);
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }
        return network;
    }

    /// <summary>
    /// Refuses a module, or a layer inside it, that the factory returned before: a network built once and returned
    /// again would start a Fit from trained (or disposed) weights.
    /// </summary>
    private void RequireNew(nn.Module module)
    {
        var all = module.named_modules().Prepend(("", module)).ToList();
        foreach (var (name, layer) in all)
        {
            if (_returned.TryGetValue(layer, out _))
                throw new InvalidOperationException(
                    $"{FactoryName} returned {(name.Length == 0 ? "a module" : $"a module whose layer '{name}' is one")} it had returned before. " +
                    "It must build a new network, every layer included, on each call: TorchModule calls it twice per Fit " +
                    "(to check the network, then to train it), and every Fit starts from fresh weights.");
        }
        foreach (var (_, layer) in all)
            _returned.AddOrUpdate(layer, this);
    }

    /// <summary>Runs the network on zeros of the layout's shape (a batch of 2) and checks the output against the task.</summary>
    private void CheckOutput(UserNetwork network, InputLayout layout, TaskHead task)
    {
        const long batch = 2;
        long[] probeShape = layout switch
        {
            DenseVectorLayout dense => [batch, dense.Size],
            _ => [batch, network.BatchShape[1] > 0 ? network.BatchShape[1] : ProbeLength],
        };
        var type = network.InputType == OnnxTensorType.Int64 ? ScalarType.Int64 : ScalarType.Float32;
        string input = InputText(network);

        long[] shape;
        ScalarType outputType;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            network.eval();
            try
            {
                var y = network.forward(zeros(probeShape, type));
                shape = y.shape;
                outputType = y.dtype;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                string reason = e.Message.Split('\n')[0].Trim();
                string hint = network.InputType == OnnxTensorType.Float && Options.InputShape is null
                    ? $" Its first layer must take {probeShape[1]} inputs (for example nn.Linear({probeShape[1]}, …)), or set ModuleOptions.InputShape."
                    : "";
                long[] received = [batch, .. network.BatchShape.Skip(1).Select(d => d > 0 ? d : ProbeLength)];
                throw new InvalidOperationException(
                    $"The network from {FactoryName} fails on the rows of feature column '{Options.FeatureColumnName}', {input} " +
                    $"(tried with zeros of shape {Format(received)}): {reason}{hint}", e);
            }
        }

        int expected = task.OutputSize;
        string needs = task.Name switch
        {
            RegressionHead.TaskName => "regression needs 1 output per row (the predicted value)",
            BinaryClassificationHead.TaskName => "binary classification needs 1 output per row (the logit of the positive class)",
            _ => $"label column '{Options.LabelColumnName}' has {expected} classes, so multiclass classification needs {expected} outputs " +
                "per row (one logit per class)",
        };
        string fix = $"make its last layer give {expected} (for example nn.Linear(…, {expected})).";
        if (shape.Length != 2 || shape[0] != batch)
            throw new InvalidOperationException(
                $"The network from {FactoryName} returns shape {Format(shape)} for a batch of {batch} rows ({input}), " +
                $"but it must return [N, {expected}]: {needs}; {fix}");
        if (shape[1] != expected)
            throw new InvalidOperationException(
                $"The network from {FactoryName} gives {shape[1]} outputs per row (shape {Format(shape)} for a batch of {batch} rows), " +
                $"but {needs}: {fix}");
        if (outputType != ScalarType.Float32)
            throw new InvalidOperationException(
                $"The network from {FactoryName} returns {outputType} values; it must return Float32 scores.");
    }

    /// <summary>How the network receives the rows, for messages.</summary>
    private string InputText(UserNetwork network)
    {
        string shape = "[N, " + string.Join(", ", network.BatchShape.Skip(1).Select(d => d > 0 ? d.ToString(CultureInfo.InvariantCulture) : "T")) + "]";
        return network.InputType == OnnxTensorType.Int64
            ? $"given to it as int64 token indices {shape}"
            : Options.InputShape is null ? $"given to it as {shape}" : $"given to it as {shape} (ModuleOptions.InputShape)";
    }

    private static string Format(IEnumerable<long> shape) => TorchOnnxValue.FormatShape(shape);

    private static string Format(IEnumerable<int> shape) => Format(shape.Select(d => (long)d));
}

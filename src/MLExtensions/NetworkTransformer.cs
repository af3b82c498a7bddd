using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;
using MLExtensions.Inputs;
using MLExtensions.Onnx;
using MLExtensions.Persistence;
using MLExtensions.Tasks;

namespace MLExtensions;

/// <summary>
/// A trained MLExtensions network as an ML.NET transformer. Scoring runs through ML.NET's own saveable transformers
/// (the network as ONNX, plus small adapters), so <c>mlContext.Model.Save</c> writes an ordinary model .zip that
/// loads with <c>mlContext.Model.Load</c> and predicts the same values, without TorchSharp. What the model knows about
/// itself (history, options, classes, input layout) travels inside the ONNX model, so <see cref="Find"/> and
/// <see cref="Restore"/> give a loaded model back everything the fitted one had.
/// </summary>
public sealed class NetworkTransformer : ITransformer, IDisposable
{
    private readonly ITransformer _chain;
    private readonly byte[] _scoringOnnx;
    private readonly OnnxModelView _scoring;
    private readonly InputLayout _layout;
    private readonly TaskHead _task;
    private readonly AttentionWeightsReader? _attention;
    private byte[]? _standalone;

    internal NetworkTransformer(ITransformer chain, byte[] scoringOnnx)
    {
        _chain = chain;
        _scoringOnnx = scoringOnnx;
        _scoring = OnnxModelView.Parse(scoringOnnx);
        Metadata = new ModelMetadata(_scoring.Metadata);
        _layout = InputLayout.Restore(Metadata);
        _task = TaskHeads.Restore(Metadata);
        _attention = AttentionWeightsReader.For(_scoring, Metadata, _layout);
        History = (JsonSerializer.Deserialize<EpochRecordJson[]>(Metadata["history"], ModelJson.Settings) ?? [])
            .Select(r => r.ToRecord()).ToArray();
        TrainingOptions = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Metadata["options"], ModelJson.Settings) ?? new();
    }

    /// <summary>Per-epoch training history.</summary>
    public IReadOnlyList<TorchEpochRecord> History { get; }

    /// <summary>The trainer's name, for example "TorchMlp".</summary>
    public string Trainer => Metadata.Trainer;

    /// <summary>The task the model was trained for: "Regression", "BinaryClassification", "MulticlassClassification", ...</summary>
    public string Task => Metadata.Task;

    /// <summary>The feature column the model reads.</summary>
    public string FeatureColumnName => Metadata.FeatureColumn;

    /// <summary>Number of values per row in the feature column (0 for variable-length sequences).</summary>
    public int FeatureSize => _layout is DenseVectorLayout dense ? dense.Size : 0;

    /// <summary>Number of network outputs (classes for multiclass, otherwise 1).</summary>
    public int OutputSize => _task.OutputSize;

    /// <summary>The class names of a multiclass model (the label key's values, in key order), or null.</summary>
    public IReadOnlyList<string>? ClassNames => (_task as MulticlassClassificationHead)?.ClassNames;

    /// <summary>The options the model was trained with, by name (data views, callbacks and tokens are not kept).</summary>
    public IReadOnlyDictionary<string, JsonElement> TrainingOptions { get; }

    /// <summary>Everything the model stores about itself (the ONNX metadata).</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>
    /// For <c>TorchAttention</c> models: the attention weights of encoder layer <paramref name="layer"/> for row
    /// <paramref name="row"/> of <paramref name="data"/> (which needs the feature column), one [query, key] matrix per
    /// head, rows summing to 1. With <see cref="AttentionPooling.ClassToken"/> position 0 is the class token. Computed
    /// with ONNX Runtime from the saved network, so a loaded model gives the same weights.
    /// </summary>
    public float[][,] GetAttentionWeights(IDataView data, int layer = 0, long row = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (_attention is null)
            throw new InvalidOperationException("Attention weights exist only for models trained with TorchAttention.");
        return _attention.Read(data, layer, row);
    }

    /// <summary>The ML.NET transformer chain that does the scoring (what <c>Model.Save</c> writes).</summary>
    public ITransformer ScoringTransformer => _chain;

    /// <summary>
    /// Writes the network as a standalone ONNX model for use outside ML.NET. Input <c>features</c>: [N, FeatureSize]
    /// floats, [N, T] int64 tokens (0 = padding, key k = k, unknown = vocabulary + 1), or [N, T·StepSize] floats with
    /// NaN after a row's last step. Outputs: regression <c>score</c> [N, 1]; binary <c>logit</c> and
    /// <c>probability</c> [N, 1]; multiclass <c>probabilities</c> [N, classes] and <c>predicted_index</c> [N]
    /// (0-based, in the label key's order). The model's metadata describes all of this.
    /// </summary>
    public void SaveOnnx(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(StandaloneOnnx());
    }

    /// <inheritdoc cref="SaveOnnx(Stream)"/>
    public void SaveOnnx(string path) => File.WriteAllBytes(path, StandaloneOnnx());

    private byte[] StandaloneOnnx() => _standalone ??= ScoringModel.Standalone(_scoring, Metadata, _layout, _task);

    /// <inheritdoc />
    public bool IsRowToRowMapper => _chain.IsRowToRowMapper;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return _chain.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return _chain.GetRowToRowMapper(inputSchema);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Schema);
        return _chain.Transform(input);
    }

    /// <summary>Saves the scoring chain: the .zip holds only standard ML.NET transformers.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)_chain).Save(ctx);

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => (_chain as IDisposable)?.Dispose();

    private void CheckInput(DataViewSchema schema) => _layout.Check(schema, FeatureColumnName, "input");

    /// <summary>
    /// The MLExtensions network of a model: the model itself, the last one in a fitted pipeline, or, in a model loaded
    /// with <c>mlContext.Model.Load</c>, the last saved MLExtensions network, rebuilt with its history, options, ONNX
    /// export, attention weights and input checks.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model contains no MLExtensions network.</exception>
    public static NetworkTransformer Find(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Networks(model).LastOrDefault()
            ?? throw new InvalidOperationException("The model contains no MLExtensions network (no transformer of an MLExtensions trainer).");
    }

    /// <summary>
    /// A model loaded with <c>mlContext.Model.Load</c>, with each saved MLExtensions network turned back into a
    /// <see cref="NetworkTransformer"/>, so that it checks its input with the same messages as the fitted model. Other
    /// transformers are kept as they are.
    /// </summary>
    public static ITransformer Restore(ITransformer loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        if (TryRebuild(loaded) is NetworkTransformer network)
            return network;
        if (loaded is TransformerChain<ITransformer> chain)
            return new TransformerChain<ITransformer>(chain.Select(Restore).ToArray());
        return loaded;
    }

    private static IEnumerable<NetworkTransformer> Networks(ITransformer model)
    {
        if (model is NetworkTransformer network)
            return [network];
        if (TryRebuild(model) is NetworkTransformer rebuilt)
            return [rebuilt];
        if (model is IEnumerable<ITransformer> chain)
            return chain.SelectMany(Networks);
        return [];
    }

    /// <summary>A saved network loads as a chain whose first transformer runs an ONNX model carrying MLExtensions metadata.</summary>
    private static NetworkTransformer? TryRebuild(ITransformer model)
    {
        if (model is not TransformerChain<ITransformer> chain || chain.FirstOrDefault() is not OnnxTransformer onnx)
            return null;
        var bytes = MlNetInternals.OnnxModelBytes(onnx);
        var metadata = OnnxModelView.Parse(bytes).Metadata;
        return metadata.ContainsKey(ModelMetadata.Prefix + "trainer") ? new NetworkTransformer(chain, bytes) : null;
    }
}

/// <summary>Finding the MLExtensions network of a fitted or loaded model.</summary>
public static class NetworkTransformerExtensions
{
    /// <summary>The MLExtensions network of <paramref name="model"/> (see <see cref="NetworkTransformer.Find"/>).</summary>
    public static NetworkTransformer GetNetwork(this ITransformer model) => NetworkTransformer.Find(model);
}

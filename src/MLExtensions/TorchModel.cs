using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions;

/// <summary>
/// A trained MLExtensions network as an ML.NET transformer. Scoring runs through ML.NET's own saveable
/// transformers (the network as ONNX, plus small adapters), so <c>mlContext.Model.Save</c> writes an ordinary
/// model .zip that loads with <c>mlContext.Model.Load</c> and predicts the same values, without TorchSharp.
/// </summary>
public sealed class TorchModel : ITransformer, IDisposable
{
    private readonly ITransformer _chain;
    private readonly byte[] _portableOnnx;

    private readonly Training.FeatureLayout _layout;

    internal TorchModel(ITransformer chain, byte[] portableOnnx, IReadOnlyList<TorchEpochRecord> history,
        PredictionKind kind, string featureColumnName, Training.FeatureLayout layout, int outputSize)
    {
        _layout = layout;
        _chain = chain;
        _portableOnnx = portableOnnx;
        History = history;
        Kind = kind;
        FeatureColumnName = featureColumnName;
        FeatureSize = layout is Training.DenseVectorLayout dense ? dense.Size : 0;
        OutputSize = outputSize;
    }

    /// <summary>Per-epoch training history.</summary>
    public IReadOnlyList<TorchEpochRecord> History { get; }

    /// <summary>The task the model was trained for.</summary>
    public PredictionKind Kind { get; }

    /// <summary>The feature column the model reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Number of values per row in the feature column (0 for variable-length sequences).</summary>
    public int FeatureSize { get; }

    /// <summary>Number of network outputs (classes for multiclass, otherwise 1).</summary>
    public int OutputSize { get; }

    internal Prediction.AttentionWeightsReader? AttentionWeights { get; init; }

    /// <summary>
    /// For <c>TorchAttention</c> models: the attention weights of encoder layer <paramref name="layer"/> for row
    /// <paramref name="row"/> of <paramref name="data"/> (which needs the feature column), one [query, key] matrix per
    /// head, rows summing to 1. With <see cref="AttentionPooling.ClassToken"/> position 0 is the class token. This
    /// uses the trained network in memory; it is not part of the saved .zip.
    /// </summary>
    public float[][,] GetAttentionWeights(IDataView data, int layer = 0, long row = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (AttentionWeights is null)
            throw new InvalidOperationException("Attention weights exist only for models trained with TorchAttention.");
        return AttentionWeights.Read(data, layer, row);
    }

    /// <summary>The ML.NET transformer chain that does the scoring (what <c>Model.Save</c> writes).</summary>
    public ITransformer ScoringTransformer => _chain;

    /// <summary>
    /// Writes the network as a standalone ONNX model for use outside ML.NET. Input <c>features</c> [N, FeatureSize];
    /// outputs: regression <c>score</c> [N, 1]; binary <c>logit</c> and <c>probability</c> [N, 1]; multiclass
    /// <c>probabilities</c> [N, classes] and <c>predicted_index</c> [N] (0-based, in the label key's order).
    /// </summary>
    public void SaveOnnx(Stream stream) => stream.Write(_portableOnnx);

    /// <inheritdoc cref="SaveOnnx(Stream)"/>
    public void SaveOnnx(string path) => File.WriteAllBytes(path, _portableOnnx);

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
        CheckInput(input.Schema);
        return _chain.Transform(input);
    }

    /// <summary>Saves the scoring chain: the .zip holds only standard ML.NET transformers.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)_chain).Save(ctx);

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => (_chain as IDisposable)?.Dispose();

    private void CheckInput(DataViewSchema schema) => _layout.Check(schema, FeatureColumnName, "input");
}

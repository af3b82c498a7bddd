using Microsoft.ML;
using MLExtensions.Scoring;

namespace MLExtensions;

/// <summary>Scoring many rows: MLExtensions networks run on batches of rows through ONNX Runtime.</summary>
public static class BatchScoringExtensions
{
    /// <summary>
    /// Scores <paramref name="data"/> like <c>model.Transform(data)</c>, with the same columns (names, types, key values,
    /// slot names) and the same values up to float rounding, but every MLExtensions network in <paramref name="model"/>
    /// (fitted, or loaded with <c>mlContext.Model.Load</c>) runs <paramref name="batchSize"/> rows per ONNX Runtime call
    /// instead of one, through its standalone model (<see cref="NetworkTransformer.SaveOnnx(Stream)"/>). The other
    /// transformers of the model run as they are. Sequences are padded per batch, which never changes a prediction.
    /// </summary>
    /// <remarks>
    /// The result is lazy, like <c>Transform</c>'s. A cursor that reads the network's columns reads the feature column
    /// through a second cursor over the network's input, a batch ahead; so the input must give every cursor the same
    /// rows in the same order (ML.NET's loaders and transformers do), and work done before the network for the feature
    /// column is not repeated, but columns read alongside (for example the label) are computed on the first cursor.
    /// For single rows keep using <c>PredictionEngine</c>: its path has no batching to wait for.
    /// </remarks>
    /// <param name="model">A model holding one or more MLExtensions networks.</param>
    /// <param name="data">The rows to score.</param>
    /// <param name="batchSize">Rows per ONNX Runtime call.</param>
    public static IDataView TransformInBatches(this ITransformer model, IDataView data, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        return Apply(NetworkTransformer.Restore(model), data, batchSize);
    }

    private static IDataView Apply(ITransformer model, IDataView data, int batchSize)
    {
        if (model is NetworkTransformer network)
            return new BatchScoredDataView(network, data, batchSize);
        if (model is IEnumerable<ITransformer> chain)
            return chain.Aggregate(data, (view, step) => Apply(step, view, batchSize));
        return model.Transform(data);
    }
}

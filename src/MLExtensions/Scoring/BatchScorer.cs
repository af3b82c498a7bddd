using System.Runtime.CompilerServices;
using Microsoft.ML.OnnxRuntime;
using MLExtensions.Inputs;

namespace MLExtensions.Scoring;

/// <summary>
/// A fitted or loaded network's standalone (batched) ONNX model in one ONNX Runtime session, shared by every batched
/// view of that network (ONNX Runtime sessions run concurrently).
/// </summary>
internal sealed class BatchScorer
{
    private static readonly ConditionalWeakTable<NetworkTransformer, BatchScorer> Scorers = new();

    private BatchScorer(NetworkTransformer network)
    {
        using var bytes = new MemoryStream();
        network.SaveOnnx(bytes);
        Session = new InferenceSession(bytes.ToArray());
        Layout = InputLayout.Restore(network.Metadata);
        Task = network.Task;
        FeatureColumn = network.FeatureColumnName;
        Columns = BatchOutputs.For(Task).Columns;
    }

    public InferenceSession Session { get; }

    public InputLayout Layout { get; }

    public string Task { get; }

    public string FeatureColumn { get; }

    /// <summary>The columns the network adds.</summary>
    public string[] Columns { get; }

    public static BatchScorer For(NetworkTransformer network) => Scorers.GetValue(network, n => new BatchScorer(n));
}

using System.Text.Json;
using MLExtensions.Inputs;
using MLExtensions.Networks;
using MLExtensions.Onnx;
using MLExtensions.Tasks;

namespace MLExtensions.Persistence;

/// <summary>
/// The ONNX models of a fitted network. The network is written once, into the <em>scoring model</em> that ML.NET's
/// OnnxTransformer runs (one row in, the task's columns out, the model's metadata inside). Everything else is cut from
/// that model, so a fitted model and a model loaded from its .zip give the same bytes: the standalone model (batched
/// input, for use outside ML.NET) and the models that expose inner values such as attention weights.
/// </summary>
internal static class ScoringModel
{
    private const string GraphName = "MLExtensions";

    /// <summary>Writes the scoring model: the layout's row input, the network, the task's scoring outputs, and <paramref name="metadata"/>.</summary>
    public static byte[] Write(NetworkModule network, InputLayout layout, TaskHead task, ModelMetadata metadata)
    {
        var g = new OnnxGraph(GraphName);
        var input = layout.WriteRowInput(g, metadata.FeatureColumn);
        var raw = network.WriteOnnx(g, input);
        metadata["network_input"] = input;
        metadata["network_output"] = raw;
        metadata.SetJson("written_values", network.WrittenValues);
        metadata.SetJson("scoring_outputs", task.WriteScoringOutputs(g, raw));
        return g.ToModelBytes(metadata: metadata.Values);
    }

    /// <summary>
    /// The standalone model: input <c>features</c> as the layout takes a batch, the network cut from the scoring
    /// model, and the task's standalone outputs.
    /// </summary>
    public static byte[] Standalone(OnnxModelView scoring, ModelMetadata metadata, InputLayout layout, TaskHead task)
    {
        string networkInput = metadata["network_input"], networkOutput = metadata["network_output"];
        var nodes = scoring.NodesFor([networkOutput], new HashSet<string>(StringComparer.Ordinal) { networkInput });
        var g = new OnnxGraph(GraphName);
        g.Reserve(OnnxModelView.NamesOf(nodes).Append(networkInput));
        const string inputName = "features";
        string batch = layout.WriteBatchInput(g, inputName);
        if (batch != networkInput)
            g.AddNode("Identity", [batch], networkInput);
        g.Append(nodes, scoring.InitializersOf(nodes));
        task.WriteStandaloneOutputs(g, networkOutput);
        return g.ToModelBytes(metadata: metadata.Values);
    }

    /// <summary>A model with the scoring model's input whose only output is the inner value <paramref name="value"/> (float, any shape).</summary>
    public static byte[] Exposing(OnnxModelView scoring, string value, string outputName)
    {
        var nodes = scoring.NodesFor([value], new HashSet<string>(StringComparer.Ordinal));
        var g = new OnnxGraph(GraphName + "Inspection");
        g.Reserve(OnnxModelView.NamesOf(nodes));
        foreach (var input in scoring.InputsOf(nodes))
            g.AddInput(input);
        g.Append(nodes, scoring.InitializersOf(nodes));
        g.AddNode("Identity", [value], outputName);
        g.AddOutput(outputName, OnnxTensorType.Float, -1, -1, -1, -1);
        return g.ToModelBytes();
    }

    /// <summary>The names of the scoring model's outputs (the OnnxTransformer's output columns).</summary>
    public static string[] ScoringOutputs(ModelMetadata metadata) =>
        metadata.GetJson<string[]>("scoring_outputs") ?? throw new InvalidDataException("The model lists no scoring outputs.");

    /// <summary>The inner values the network recorded while it was written (see <see cref="NetworkModule.WrittenValues"/>).</summary>
    public static IReadOnlyDictionary<string, string> WrittenValues(ModelMetadata metadata) =>
        metadata.GetJson<Dictionary<string, string>>("written_values") ?? new Dictionary<string, string>();
}

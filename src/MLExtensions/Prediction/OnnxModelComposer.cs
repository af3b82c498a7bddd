using MLExtensions.Networks;
using MLExtensions.Onnx;
using MLExtensions.Training;

namespace MLExtensions.Prediction;

/// <summary>
/// Wraps a network's ONNX graph with the task's head, in two flavours: one row at a time with rank-1 tensors for
/// ML.NET's OnnxTransformer, and batched ([N, …]) for use outside ML.NET.
/// </summary>
internal static class OnnxModelComposer
{
    /// <summary>The raw score column (regression value or binary logit), a vector of one value.</summary>
    public const string RawScoreColumn = "MLExtensionsRawScore";

    /// <summary>The 0-based predicted class index of multiclass models, a vector of one int64.</summary>
    public const string PredictedIndexColumn = "MLExtensionsPredictedIndex";

    public static byte[] ForMlNet(IOnnxExportable network, PredictionKind kind, FeatureLayout layout, string inputColumn, int outputSize,
        IReadOnlyDictionary<string, string> metadata, IReadOnlyList<string>? classNames = null)
    {
        var g = new OnnxGraph("MLExtensions");
        var raw = network.ExportOnnx(g, layout.DeclareRowInput(g, inputColumn));
        if (kind == PredictionKind.MulticlassClassification)
        {
            var probabilities = g.AddNode("Softmax", [raw], g.UniqueName("probabilities"), OnnxAttribute.Int("axis", 1));
            g.AddNode("Reshape", [probabilities, g.AddInitializer(g.UniqueName("score_shape"), new long[] { outputSize }, 1)], "Score");
            g.AddNode("ArgMax", [raw], PredictedIndexColumn, OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0));
            g.AddOutput("Score", OnnxTensorType.Float, outputSize);
            if (classNames is not null)
            {
                // OnnxTransformer turns the keys_strings of a node named mlnet.<column>.SlotNames into the column's slot names.
                var names = g.AddInitializer(g.UniqueName("class_names"), classNames.ToArray(), classNames.Count);
                g.AddMlNode("mlnet.Score.SlotNames", "LabelEncoder", [names], g.UniqueName("class_ids"),
                    OnnxAttribute.Strings("keys_strings", classNames.ToArray()),
                    OnnxAttribute.Ints("values_int64s", Enumerable.Range(0, classNames.Count).Select(i => (long)i).ToArray()));
            }
            g.AddOutput(PredictedIndexColumn, OnnxTensorType.Int64, 1);
        }
        else
        {
            g.AddNode("Reshape", [raw, g.AddInitializer(g.UniqueName("score_shape"), new long[] { 1 }, 1)], RawScoreColumn);
            g.AddOutput(RawScoreColumn, OnnxTensorType.Float, 1);
        }
        return g.ToModelBytes(metadata: metadata);
    }

    /// <summary>
    /// Input <c>features</c> (for vectors [N, size]). Outputs: regression <c>score</c> [N, 1]; binary <c>logit</c> and
    /// <c>probability</c> [N, 1]; multiclass <c>probabilities</c> [N, K] and <c>predicted_index</c> [N] (int64, 0-based).
    /// </summary>
    public static byte[] Portable(IOnnxExportable network, PredictionKind kind, FeatureLayout layout, int outputSize,
        IReadOnlyDictionary<string, string> metadata)
    {
        var g = new OnnxGraph("MLExtensions");
        var raw = network.ExportOnnx(g, layout.DeclareBatchInput(g, "features"));
        switch (kind)
        {
            case PredictionKind.Regression:
                g.AddNode("Identity", [raw], "score");
                g.AddOutput("score", OnnxTensorType.Float, -1, 1);
                break;
            case PredictionKind.BinaryClassification:
                g.AddNode("Identity", [raw], "logit");
                g.AddNode("Sigmoid", [raw], "probability");
                g.AddOutput("logit", OnnxTensorType.Float, -1, 1);
                g.AddOutput("probability", OnnxTensorType.Float, -1, 1);
                break;
            default:
                g.AddNode("Softmax", [raw], "probabilities", OnnxAttribute.Int("axis", 1));
                g.AddNode("ArgMax", [raw], "predicted_index", OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0));
                g.AddOutput("probabilities", OnnxTensorType.Float, -1, outputSize);
                g.AddOutput("predicted_index", OnnxTensorType.Int64, -1);
                break;
        }
        return g.ToModelBytes(metadata: metadata);
    }
}

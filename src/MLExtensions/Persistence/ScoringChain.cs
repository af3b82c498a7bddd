using Microsoft.ML;
using MLExtensions.Tasks;

namespace MLExtensions.Persistence;

/// <summary>
/// Builds the fitted model out of saveable ML.NET pieces only: the scoring ONNX model applied by OnnxTransformer,
/// then the task head's steps (small CustomMapping adapters, value/key mappings that carry the class names,
/// DropColumns for helper columns). Such a chain saves to an ordinary ML.NET .zip and loads with
/// <c>mlContext.Model.Load</c> without TorchSharp.
/// </summary>
internal static class ScoringChain
{
    public static ITransformer Build(MLContext ml, IDataView trainingData, byte[] scoringOnnx, string featureColumn, TaskHead task)
    {
        var outputs = ScoringModel.ScoringOutputs(new ModelMetadata(Onnx.OnnxModelView.Parse(scoringOnnx).Metadata));
        var onnx = ml.Transforms.ApplyOnnxModel(outputs, [featureColumn], new MemoryStream(scoringOnnx));
        return onnx.Append(task.ScoringSteps(ml)).Fit(trainingData);
    }
}

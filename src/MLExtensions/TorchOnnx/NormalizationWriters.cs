using MLExtensions.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>ONNX writers for batch normalization (inference: running statistics) and layer normalization.</summary>
internal static class NormalizationWriters
{
    public static TorchOnnxValue BatchNorm(TorchOnnxContext context, TorchOnnxValue input)
    {
        var bn = (BatchNorm)context.Module;
        DenseWriters.RequireFloat(context, input);
        int min = bn is BatchNorm1d ? 2 : bn is BatchNorm2d ? 4 : 5;
        int max = bn is BatchNorm1d ? 3 : min;
        context.RequireRank(input, min, max, bn is BatchNorm1d ? "an input [N, C] or [N, C, L]" : $"a batched input of rank {min}");
        context.RequireDim(input, 1, bn.num_features, "channels");
        if (bn.running_mean is null || bn.running_var is null)
            throw context.Error("a BatchNorm without running statistics (track_running_stats = false) normalizes with the " +
                "statistics of each batch even in evaluation mode, which is not exportable.");

        using var scope = torch.NewDisposeScope();
        var scale = bn.weight ?? torch.ones(bn.num_features);
        var shift = bn.bias ?? torch.zeros(bn.num_features);
        string output = context.Graph.AddNode("BatchNormalization",
            [input.Name, context.Weight("weight", scale), context.Weight("bias", shift),
                context.Weight("running_mean", bn.running_mean), context.Weight("running_var", bn.running_var)],
            context.Name("batch_norm"), OnnxAttribute.Float("epsilon", (float)bn.eps));
        return input.With(output, input.Shape);
    }

    public static TorchOnnxValue LayerNorm(TorchOnnxContext context, TorchOnnxValue input)
    {
        var norm = (LayerNorm)context.Module;
        DenseWriters.RequireFloat(context, input);
        long[] normalized = norm.normalized_shape;
        int count = normalized.Length;
        context.RequireRank(input, count, int.MaxValue, $"an input ending in {TorchOnnxValue.FormatShape(normalized)}");
        for (int i = 0; i < count; i++)
            context.RequireDim(input, input.Rank - count + i, normalized[i], "normalized features");

        using var scope = torch.NewDisposeScope();
        var inputs = new List<string> { input.Name, context.Weight("weight", norm.weight ?? torch.ones(normalized)) };
        if (norm.bias is not null)
            inputs.Add(context.Weight("bias", norm.bias));
        string output = context.Graph.AddNode("LayerNormalization", inputs.ToArray(), context.Name("layer_norm"),
            OnnxAttribute.Int("axis", -count), OnnxAttribute.Float("epsilon", (float)norm.eps));
        return input.With(output, input.Shape);
    }
}

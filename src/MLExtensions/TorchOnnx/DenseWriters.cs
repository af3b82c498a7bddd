using MLExtensions.Networks;
using MLExtensions.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>ONNX writers for <c>Linear</c> and <c>Embedding</c>.</summary>
internal static class DenseWriters
{
    /// <summary>x·Wᵀ + b over the last dimension: Gemm for [N, in], MatMul + Add for any other rank.</summary>
    public static TorchOnnxValue Linear(TorchOnnxContext context, TorchOnnxValue input)
    {
        var linear = (Linear)context.Module;
        RequireFloat(context, input);
        context.RequireRank(input, 1, int.MaxValue, "an input of rank 1 or more");
        context.RequireDim(input, input.Rank - 1, linear.in_features, "input features");
        string name = context.ModulePath.Length == 0 ? "linear" : context.ModulePath;
        string output = input.Rank == 2
            ? OnnxLayers.Dense(context.Graph, input.Name, linear, name)
            : OnnxLayers.DenseNd(context.Graph, input.Name, linear, name);
        return input.With(output, [.. input.Shape[..^1], linear.out_features]);
    }

    /// <summary>Row lookup as a Gather of the embedding matrix by int64 indices.</summary>
    public static TorchOnnxValue Embedding(TorchOnnxContext context, TorchOnnxValue input)
    {
        var embedding = (Embedding)context.Module;
        if (input.ElementType != OnnxTensorType.Int64)
            throw context.Error($"Embedding expects int64 token indices, but its input is {input.ElementType}; " +
                "export with an int64 input (TorchOnnxOptions.InputType), or put the Embedding first in the network.");

        using var scope = torch.NewDisposeScope();
        var weight = embedding.weight ?? throw context.Error("the Embedding has no weight.");
        RequireNoMaxNorm(context, embedding, weight);
        string table = context.Weight("weight", weight);
        string output = context.Graph.AddNode("Gather", [table, input.Name], context.Name("gather"), OnnxAttribute.Int("axis", 0));
        return new TorchOnnxValue(output, [.. input.Shape, weight.shape[1]], OnnxTensorType.Float);
    }

    /// <summary>
    /// An Embedding built with <c>max_norm</c> rescales the rows it looks up, which a Gather does not; TorchSharp does
    /// not expose that setting, so look every row up once and compare with the stored rows (restoring them after).
    /// </summary>
    private static void RequireNoMaxNorm(TorchOnnxContext context, Embedding embedding, Tensor weight)
    {
        using var noGrad = torch.no_grad();
        using var saved = weight.detach().clone();
        using var all = torch.arange(weight.shape[0], dtype: ScalarType.Int64, device: weight.device);
        using var looked = embedding.forward(all);
        bool same = looked.shape.SequenceEqual(saved.shape) && looked.eq(saved).all().item<bool>();
        if (!same)
        {
            weight.copy_(saved);
            throw context.Error("the Embedding rescales the rows it looks up (it was built with max_norm), which ONNX's Gather " +
                "does not do; build it without max_norm to export it.");
        }
    }

    internal static void RequireFloat(TorchOnnxContext context, TorchOnnxValue input)
    {
        if (input.ElementType != OnnxTensorType.Float)
            throw context.Error($"{context.Module.GetType().Name} expects a float input, but its input is {input.ElementType}.");
    }
}

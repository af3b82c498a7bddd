using MLExtensions.Onnx;
using TorchSharp.Modules;

namespace MLExtensions;

/// <summary>ONNX writers for <c>Flatten</c> and <c>Unflatten</c>.</summary>
internal static class ShapeWriters
{
    /// <summary>Merges dimensions <c>start_dim</c> to <c>end_dim</c>: ONNX Flatten when that gives [N, rest], else a Reshape.</summary>
    public static TorchOnnxValue Flatten(TorchOnnxContext context, TorchOnnxValue input)
    {
        var flatten = (Flatten)context.Module;
        int rank = input.Rank;
        int start = Axis(context, flatten.start_dim, rank, "start_dim");
        int end = Axis(context, flatten.end_dim, rank, "end_dim");
        if (start > end)
            throw context.Error($"Flatten's start_dim {flatten.start_dim} comes after end_dim {flatten.end_dim} for an input of shape {input.ShapeText}.");
        if (start == end)
            return input;

        var merged = input.Shape[start..(end + 1)];
        long size = merged.All(d => d >= 0) ? merged.Aggregate(1L, (a, b) => a * b) : -1;
        long[] shape = [.. input.Shape[..start], size, .. input.Shape[(end + 1)..]];
        if (start == 1 && end == rank - 1)
            return input.With(context.Graph.AddNode("Flatten", [input.Name], context.Name("flatten"), OnnxAttribute.Int("axis", 1)), shape);

        // Reshape to [dims before, -1, dims after], read from the input's shape so that dynamic dimensions stay dynamic.
        var g = context.Graph;
        string inputShape = g.AddNode("Shape", [input.Name], context.Name("shape"));
        var parts = new List<string>();
        if (start > 0)
            parts.Add(g.AddNode("Slice", [inputShape, context.Longs("begin", 0), context.Longs("end", start)], context.Name("leading")));
        parts.Add(context.Longs("merged", -1));
        if (end + 1 < rank)
            parts.Add(g.AddNode("Slice", [inputShape, context.Longs("begin", end + 1), context.Longs("end", rank)], context.Name("trailing")));
        string target = g.AddNode("Concat", parts.ToArray(), context.Name("target_shape"), OnnxAttribute.Int("axis", 0));
        return input.With(g.AddNode("Reshape", [input.Name, target], context.Name("flatten")), shape);
    }

    /// <summary>Splits dimension <c>dim</c> into <c>unflattened_size</c> with a Reshape.</summary>
    public static TorchOnnxValue Unflatten(TorchOnnxContext context, TorchOnnxValue input)
    {
        var unflatten = (Unflatten)context.Module;
        int rank = input.Rank;
        int dim = Axis(context, unflatten.dim, rank, "dim");
        long[] sizes = unflatten.unflattened_size;
        if (sizes.Count(s => s < 0) > 1)
            throw context.Error("Unflatten's unflattened_size has more than one -1.");
        long known = sizes.Where(s => s >= 0).Aggregate(1L, (a, b) => a * b);
        long[] resolved = sizes.Select(s => s >= 0 ? s : input.Shape[dim] >= 0 ? input.Shape[dim] / known : -1).ToArray();
        long[] shape = [.. input.Shape[..dim], .. resolved, .. input.Shape[(dim + 1)..]];

        var g = context.Graph;
        string inputShape = g.AddNode("Shape", [input.Name], context.Name("shape"));
        var parts = new List<string>();
        if (dim > 0)
            parts.Add(g.AddNode("Slice", [inputShape, context.Longs("begin", 0), context.Longs("end", dim)], context.Name("leading")));
        parts.Add(context.Longs("split", sizes));
        if (dim + 1 < rank)
            parts.Add(g.AddNode("Slice", [inputShape, context.Longs("begin", dim + 1), context.Longs("end", rank)], context.Name("trailing")));
        string target = g.AddNode("Concat", parts.ToArray(), context.Name("target_shape"), OnnxAttribute.Int("axis", 0));
        return input.With(g.AddNode("Reshape", [input.Name, target], context.Name("unflatten")), shape);
    }

    /// <summary>A possibly negative dimension index, checked against the rank.</summary>
    internal static int Axis(TorchOnnxContext context, long axis, int rank, string what)
    {
        long resolved = axis < 0 ? axis + rank : axis;
        if (resolved < 0 || resolved >= rank)
            throw context.Error($"{what} {axis} is out of range for an input of rank {rank}.");
        return (int)resolved;
    }
}

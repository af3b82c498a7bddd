using MLExtensions.Onnx;
using TorchSharp.Modules;

namespace MLExtensions;

/// <summary>ONNX writers for max, average and adaptive average pooling (1-D and 2-D).</summary>
internal static class PoolingWriters
{
    public static TorchOnnxValue MaxPool1d(TorchOnnxContext c, TorchOnnxValue x)
    {
        var pool = (MaxPool1d)c.Module;
        return Pool(c, x, "MaxPool", [pool.kernel_size], Optional(pool.stride), Optional(pool.padding), Optional(pool.dilation),
            pool.ceil_mode, countIncludePad: false);
    }

    public static TorchOnnxValue MaxPool2d(TorchOnnxContext c, TorchOnnxValue x)
    {
        var pool = (MaxPool2d)c.Module;
        return Pool(c, x, "MaxPool", pool.kernel_size, pool.stride, pool.padding, pool.dilation, pool.ceil_mode, countIncludePad: false);
    }

    public static TorchOnnxValue AvgPool1d(TorchOnnxContext c, TorchOnnxValue x)
    {
        var pool = (AvgPool1d)c.Module;
        return Pool(c, x, "AveragePool", [pool.kernel_size], Optional(pool.stride), Optional(pool.padding), null,
            pool.ceil_mode, pool.count_include_pad);
    }

    public static TorchOnnxValue AvgPool2d(TorchOnnxContext c, TorchOnnxValue x)
    {
        var pool = (AvgPool2d)c.Module;
        if (pool.divisor_override is not null)
            throw c.Error("AvgPool2d with divisor_override is not exportable.");
        return Pool(c, x, "AveragePool", pool.kernel_size, pool.stride, pool.padding, null, pool.ceil_mode, pool.count_include_pad);
    }

    public static TorchOnnxValue AdaptiveAvgPool1d(TorchOnnxContext c, TorchOnnxValue x) =>
        AdaptiveAverage(c, x, [((AdaptiveAvgPool1d)c.Module).output_size]);

    public static TorchOnnxValue AdaptiveAvgPool2d(TorchOnnxContext c, TorchOnnxValue x) =>
        AdaptiveAverage(c, x, ((AdaptiveAvgPool2d)c.Module).output_size);

    private static long[]? Optional(long? value) => value is null ? null : [value.Value];

    /// <summary>
    /// A pooling node. With <c>ceil_mode</c> the sizes are checked: PyTorch drops a last window that would start in
    /// the right padding, and its averaging of partial windows differs from ONNX's, so only the settings on which both
    /// agree are exported.
    /// </summary>
    private static TorchOnnxValue Pool(TorchOnnxContext c, TorchOnnxValue x, string op, long[] kernel, long[]? stride, long[]? padding,
        long[]? dilation, bool ceilMode, bool countIncludePad)
    {
        DenseWriters.RequireFloat(c, x);
        int spatial = kernel.Length;
        c.RequireRank(x, spatial + 2, spatial + 2, $"a batched input [N, C, {ConvolutionWriters.SpatialNames(spatial)}]");
        stride = stride is null || stride.Length == 0 ? kernel : Expand(stride, spatial);
        padding = padding is null || padding.Length == 0 ? new long[spatial] : Expand(padding, spatial);
        dilation = dilation is null || dilation.Length == 0 ? ConvolutionWriters.Ones(spatial) : Expand(dilation, spatial);

        var shape = (long[])x.Shape.Clone();
        for (int i = 0; i < spatial; i++)
        {
            long size = x.Shape[i + 2];
            if (size < 0)
            {
                if (ceilMode)
                    throw c.Error($"{c.Module.GetType().Name} with ceil_mode needs fixed spatial sizes, but its input has shape {x.ShapeText}.");
                shape[i + 2] = -1;
                continue;
            }

            long span = size + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1;
            if (span < 0)
                throw c.Error($"the input's spatial size {size} is smaller than the pooling window ({kernel[i]}); input shape {x.ShapeText}.");
            long floor = span / stride[i] + 1;
            long onnxCeil = (span + stride[i] - 1) / stride[i] + 1;
            long torchCeil = onnxCeil;
            if ((torchCeil - 1) * stride[i] >= size + padding[i])
                torchCeil--;
            if (ceilMode && (torchCeil != onnxCeil || (op == "AveragePool" && torchCeil != floor)))
                throw c.Error($"{c.Module.GetType().Name} with ceil_mode on an input of shape {x.ShapeText} has windows that run past " +
                    "the input, which ONNX pools differently; use ceil_mode = false or an input size that the windows tile.");
            shape[i + 2] = ceilMode ? torchCeil : floor;
        }

        var attributes = new List<OnnxAttribute>
        {
            OnnxAttribute.Ints("kernel_shape", kernel),
            OnnxAttribute.Ints("strides", stride),
            OnnxAttribute.Ints("pads", [.. padding, .. padding]),
        };
        if (ceilMode)
            attributes.Add(OnnxAttribute.Int("ceil_mode", 1));
        if (op == "MaxPool")
            attributes.Add(OnnxAttribute.Ints("dilations", dilation));
        else
            attributes.Add(OnnxAttribute.Int("count_include_pad", countIncludePad ? 1 : 0));
        return c.Node(op, [x.Name], shape, attributes.ToArray());
    }

    /// <summary>
    /// PyTorch's adaptive average pooling: output cell i of a dimension of size L averages inputs
    /// ⌊i·L/out⌋ to ⌈(i+1)·L/out⌉. All-ones outputs become a ReduceMean (any input size), windows that tile the input an
    /// AveragePool; otherwise each dimension is pooled separately (a rectangle's mean is the mean of its rows' means).
    /// </summary>
    private static TorchOnnxValue AdaptiveAverage(TorchOnnxContext c, TorchOnnxValue x, long[] outputSize)
    {
        DenseWriters.RequireFloat(c, x);
        int spatial = outputSize.Length;
        c.RequireRank(x, spatial + 2, spatial + 2, $"a batched input [N, C, {ConvolutionWriters.SpatialNames(spatial)}]");
        if (outputSize.Any(o => o <= 0))
            throw c.Error($"the output size {TorchOnnxValue.FormatShape(outputSize)} must be positive.");
        long[] shape = [x.Shape[0], x.Shape[1], .. outputSize];
        long[] axes = Enumerable.Range(2, spatial).Select(a => (long)a).ToArray();
        if (outputSize.All(o => o == 1))
            return c.Node("ReduceMean", [x.Name], shape, OnnxAttribute.Ints("axes", axes), OnnxAttribute.Int("keepdims", 1));

        long[] sizes = x.Shape[2..];
        if (sizes.Any(s => s < 0))
            throw c.Error($"adaptive pooling to {TorchOnnxValue.FormatShape(outputSize)} needs fixed spatial sizes, but its input has shape {x.ShapeText}.");
        if (sizes.Zip(outputSize).All(p => p.First % p.Second == 0))
        {
            long[] window = sizes.Zip(outputSize, (s, o) => s / o).ToArray();
            return c.Node("AveragePool", [x.Name], shape, OnnxAttribute.Ints("kernel_shape", window), OnnxAttribute.Ints("strides", window));
        }

        var value = x;
        for (int d = 0; d < spatial; d++)
        {
            long size = sizes[d], cells = outputSize[d];
            int axis = d + 2;
            var current = (long[])value.Shape.Clone();
            current[axis] = cells;
            if (size == cells)
                continue;
            var pieces = new string[cells];
            for (long i = 0; i < cells; i++)
            {
                long from = i * size / cells;
                long to = ((i + 1) * size + cells - 1) / cells;
                string slice = c.Graph.AddNode("Slice", [value.Name, c.Longs("from", from), c.Longs("to", to), c.Longs("axis", axis)], c.Name("window"));
                pieces[i] = c.Graph.AddNode("ReduceMean", [slice], c.Name("window_mean"), OnnxAttribute.Ints("axes", axis), OnnxAttribute.Int("keepdims", 1));
            }

            value = c.Node("Concat", pieces, current, OnnxAttribute.Int("axis", axis));
        }

        return value;
    }

    private static long[] Expand(long[] values, int count) => values.Length == count ? values : Enumerable.Repeat(values[0], count).ToArray();
}

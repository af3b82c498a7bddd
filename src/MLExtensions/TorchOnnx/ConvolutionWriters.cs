using MLExtensions.Onnx;
using TorchSharp;
using TorchSharp.Modules;

namespace MLExtensions;

/// <summary>ONNX writer for <c>Conv1d</c>, <c>Conv2d</c> and <c>Conv3d</c> (any kernel, stride, padding, dilation, groups).</summary>
internal static class ConvolutionWriters
{
    public static TorchOnnxValue Convolution(TorchOnnxContext context, TorchOnnxValue input)
    {
        var conv = (Convolution)context.Module;
        DenseWriters.RequireFloat(context, input);
        if (conv.transposed)
            throw context.Error("transposed convolutions are not exportable.");
        int spatial = conv.kernel_size.Length;
        context.RequireRank(input, spatial + 2, spatial + 2, $"a batched input [N, C, {SpatialNames(spatial)}]");
        context.RequireDim(input, 1, conv.in_channels, "input channels");

        long[] dilation = conv.dilation ?? Ones(spatial);
        long[] stride = conv.stride ?? Ones(spatial);
        var (begin, end) = Pads(context, conv, dilation, stride);

        var g = context.Graph;
        string x = input.Name;
        bool zeros = conv.padding_mode == PaddingModes.Zeros;
        if (!zeros)
        {
            string mode = conv.padding_mode switch
            {
                PaddingModes.Reflect => "reflect",
                PaddingModes.Replicate => "edge",
                _ => throw context.Error($"padding_mode {conv.padding_mode} is not exportable (ONNX opset 17 has no such padding)."),
            };
            string pads = context.Longs("pads", [0, 0, .. begin, 0, 0, .. end]);
            x = g.AddNode("Pad", [x, pads], context.Name("padded"), OnnxAttribute.String("mode", mode));
        }

        var inputs = new List<string> { x, context.Weight("weight", conv.weight) };
        if (conv.bias is not null)
            inputs.Add(context.Weight("bias", conv.bias));
        string output = g.AddNode("Conv", inputs.ToArray(), context.Name("conv"),
            OnnxAttribute.Ints("kernel_shape", conv.kernel_size),
            OnnxAttribute.Ints("strides", stride),
            OnnxAttribute.Ints("dilations", dilation),
            OnnxAttribute.Ints("pads", zeros ? [.. begin, .. end] : new long[2 * spatial]),
            OnnxAttribute.Int("group", conv.groups));

        var shape = new long[input.Rank];
        shape[0] = input.Shape[0];
        shape[1] = conv.out_channels;
        for (int i = 0; i < spatial; i++)
        {
            long size = input.Shape[i + 2];
            long span = size + begin[i] + end[i] - dilation[i] * (conv.kernel_size[i] - 1) - 1;
            if (size >= 0 && span < 0)
                throw context.Error($"the input's {SpatialNames(spatial).Split(", ")[i]} {size} is smaller than the kernel " +
                    $"({conv.kernel_size[i]}, dilation {dilation[i]}, padding {begin[i]}+{end[i]}); input shape {input.ShapeText}.");
            shape[i + 2] = size < 0 ? -1 : span / stride[i] + 1;
        }

        return input.With(output, shape);
    }

    /// <summary>Padding before and after each spatial dimension, as TorchSharp applies it.</summary>
    private static (long[] Begin, long[] End) Pads(TorchOnnxContext context, Convolution conv, long[] dilation, long[] stride)
    {
        int spatial = conv.kernel_size.Length;
        var begin = new long[spatial];
        var end = new long[spatial];
        if (conv.padding is not null)
        {
            if (conv.padding.Length != spatial)
                throw context.Error($"the padding {TorchOnnxValue.FormatShape(conv.padding)} does not have one value per spatial dimension.");
            conv.padding.CopyTo(begin, 0);
            conv.padding.CopyTo(end, 0);
        }
        else if (conv.padding_type == Padding.Same)
        {
            if (stride.Any(s => s != 1))
                throw context.Error("padding 'same' with a stride other than 1 is not exportable.");
            for (int i = 0; i < spatial; i++)
            {
                long total = dilation[i] * (conv.kernel_size[i] - 1);
                begin[i] = total / 2;
                end[i] = total - begin[i];
            }
        }

        return (begin, end);
    }

    internal static long[] Ones(int count) => Enumerable.Repeat(1L, count).ToArray();

    internal static string SpatialNames(int spatial) => spatial switch
    {
        1 => "L",
        2 => "H, W",
        _ => "D, H, W",
    };
}

using MLExtensions.Onnx;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// The input normalization pretrained weights expect, as the first layer of the network (so that it is saved with it
/// and the ML.NET pipeline stays LoadImages → ResizeImages → ExtractPixels): reorders the channels (RGB → BGR for
/// CNTK's models), scales them and subtracts a per-channel mean or a mean image. Its buffers are constants.
/// </summary>
internal sealed class ImageNormalization : nn.Module<Tensor, Tensor>
{
    private readonly long[]? _order;
    private readonly Tensor scale, offset;

    /// <param name="spec">What the weights expect of 0–255 pixel values.</param>
    /// <param name="shape">The network's input images.</param>
    /// <param name="pixelScale">The factor ExtractPixels applied to the 0–255 values (its <c>scaleImage</c>).</param>
    public ImageNormalization(PixelNormalization spec, ImageShape shape, double pixelScale) : base("ImageNormalization")
    {
        if (spec.ChannelOrder.Length != shape.Channels || spec.Scale.Length != shape.Channels)
            throw new ArgumentException($"The normalization has {spec.ChannelOrder.Length} channels; the images have {shape.Channels}.");
        _order = spec.ChannelOrder.Select((c, i) => c == i).All(same => same) ? null : spec.ChannelOrder.Select(c => (long)c).ToArray();
        scale = tensor(spec.Scale.Select(s => (float)(s / pixelScale)).ToArray(), [1, shape.Channels, 1, 1]);
        using (var image = tensor(spec.Offset, [1, shape.Channels, spec.OffsetHeight, spec.OffsetWidth]))
        {
            bool perPixel = spec.OffsetHeight > 1 || spec.OffsetWidth > 1;
            offset = !perPixel || (spec.OffsetHeight == shape.Height && spec.OffsetWidth == shape.Width)
                ? image.clone()
                : nn.functional.interpolate(image, [shape.Height, shape.Width], mode: InterpolationMode.Bilinear, align_corners: false);
        }
        Description = spec.Description;
        register_buffer("scale", scale);
        register_buffer("offset", offset);
    }

    /// <summary>What the normalization does, for the log.</summary>
    public string Description { get; }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        if (_order is not null)
            x = x.index_select(1, tensor(_order, device: x.device));
        return (x * scale - offset).MoveToOuterDisposeScope();
    }

    public string WriteOnnx(OnnxGraph g, string input)
    {
        string x = input;
        if (_order is not null)
            x = g.AddNode("Gather", [x, g.AddInitializer(g.UniqueName("normalization.channel_order"), _order, _order.Length)],
                g.UniqueName("normalization.reordered"), OnnxAttribute.Int("axis", 1));
        x = g.AddNode("Mul", [x, g.AddInitializer(g.UniqueName("normalization.scale"), OnnxLayers.Values(scale), scale.shape)], g.UniqueName("normalization.scaled"));
        return g.AddNode("Sub", [x, g.AddInitializer(g.UniqueName("normalization.offset"), OnnxLayers.Values(offset), offset.shape)], g.UniqueName("normalization"));
    }
}

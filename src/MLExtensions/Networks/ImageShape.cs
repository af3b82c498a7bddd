using System.Globalization;

namespace MLExtensions.Networks;

/// <summary>Channels × height × width of a feature map, with the output-size arithmetic of convolutions and pooling checked up front.</summary>
internal readonly record struct ImageShape(int Channels, int Height, int Width)
{
    public int Size => Channels * Height * Width;

    public override string ToString() => $"{Channels}×{Height}×{Width}";

    /// <summary>The shape after a convolution or pooling window; throws naming <paramref name="layer"/> when it does not fit.</summary>
    public ImageShape After(string layer, int channels, int kernel, int stride, int padding)
    {
        int height = Output(layer, Height, kernel, stride, padding, "height");
        int width = Output(layer, Width, kernel, stride, padding, "width");
        return new ImageShape(channels, height, width);
    }

    private int Output(string layer, int input, int kernel, int stride, int padding, string axis)
    {
        int numerator = input + 2 * padding - kernel;
        int result = numerator < 0 ? 0 : numerator / stride + 1;
        if (result < 1)
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                "{0} does not fit its input of {1}: along the {2}, (input + 2·padding − kernel)/stride + 1 = ({3} + 2·{4} − {5})/{6} + 1 went below 1. " +
                "Use larger images (ResizeImages), smaller kernels or strides, or fewer pooling layers.",
                layer, this, axis, input, padding, kernel, stride));
        return result;
    }
}

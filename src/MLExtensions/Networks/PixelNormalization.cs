namespace MLExtensions.Networks;

/// <summary>
/// What pretrained weights expect of their input, in terms of pixel values v in 0–255 with channels in ExtractPixels'
/// order (red, green, blue): the network input is <c>v[ChannelOrder] · Scale − Offset</c>, with Scale per channel and
/// Offset per channel (<see cref="OffsetHeight"/> = <see cref="OffsetWidth"/> = 1) or per pixel (a mean image).
/// </summary>
internal sealed record PixelNormalization(int[] ChannelOrder, float[] Scale, float[] Offset, int OffsetHeight, int OffsetWidth, string Description)
{
    /// <summary>torchvision's ImageNet statistics of RGB values in [0, 1].</summary>
    public static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];

    /// <summary>torchvision's ImageNet standard deviations of RGB values in [0, 1].</summary>
    public static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>RGB scaled to [0, 1], then (x − mean) / std per channel: what torchvision's weights expect.</summary>
    public static PixelNormalization MeanStd(float[] mean, float[] std) => new(
        [0, 1, 2],
        std.Select(s => 1f / (255f * s)).ToArray(),
        mean.Zip(std, (m, s) => m / s).ToArray(),
        1, 1,
        $"RGB / 255, mean [{string.Join(", ", mean)}], std [{string.Join(", ", std)}]");

    /// <summary>torchvision's ImageNet normalization.</summary>
    public static PixelNormalization ImageNet => MeanStd(ImageNetMean, ImageNetStd);
}

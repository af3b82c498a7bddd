using SkiaSharp;

namespace MLExtensions.Samples.DataGenerator;

/// <summary>The shapes the image sets draw.</summary>
internal enum ShapeKind
{
    Circle,
    Square,
    Triangle,
    Cross,
}

/// <summary>
/// One shape to draw. <see cref="Size"/> is the half-extent: the radius of a circle, the half side of a square, and the
/// half width (= half height) of the box that holds a triangle or a cross. The shape covers
/// [CenterX − Size, CenterX + Size] × [CenterY − Size, CenterY + Size]; an outline keeps about the same outer edge.
/// </summary>
internal readonly record struct Shape(
    ShapeKind Kind, float CenterX, float CenterY, float Size, SKColor Fill, SKColor Background, float OutlineWidth = 0)
{
    public bool IsOutline => OutlineWidth > 0;
}

/// <summary>
/// Draws one shape on a small opaque RGB image with SkiaSharp (antialiased), adds pixel noise and encodes a PNG.
/// All randomness comes from the caller's seeded <see cref="Random"/>, so a fixed seed gives the same images.
/// </summary>
internal static class ShapePainter
{
    /// <summary>
    /// How much lighter (in luma, 0–255, Rec. 601 weights) a shape is than its background at least. A fixed polarity and
    /// a clear contrast let a small CNN learn the shapes from a few hundred images; the colours themselves vary freely.
    /// </summary>
    public const double MinimumLumaContrast = 120;

    /// <summary>The standard deviation of the Gaussian noise added to every channel of every pixel, in 0–255 units.</summary>
    public const double NoiseStdDev = 3.0;

    /// <summary>
    /// Picks a background colour and a shape colour, each uniform over RGB, until the shape is at least
    /// <see cref="MinimumLumaContrast"/> lighter than the background.
    /// </summary>
    public static (SKColor Fill, SKColor Background) ContrastingColors(Random random)
    {
        while (true)
        {
            var background = RandomColor(random);
            var fill = RandomColor(random);
            if (Luma(fill) - Luma(background) >= MinimumLumaContrast)
                return (fill, background);
        }
    }

    /// <summary>A centre coordinate that keeps a shape of half-extent <paramref name="size"/> at least one pixel inside the image.</summary>
    public static float Center(Random random, int imageSize, float size)
    {
        float low = size + 1, high = imageSize - 1 - size;
        if (high < low)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"A shape of half-extent {size} does not fit in {imageSize} pixels.");
        return low + (float)random.NextDouble() * (high - low);
    }

    /// <summary>Uniform on [low, high).</summary>
    public static float Uniform(Random random, double low, double high) => (float)(low + random.NextDouble() * (high - low));

    /// <summary>Draws <paramref name="shape"/> on a <paramref name="imageSize"/>² image, adds noise and returns the PNG bytes.</summary>
    public static byte[] RenderPng(Shape shape, int imageSize, GaussianSampler noise) => RenderPng([shape], imageSize, noise);

    /// <summary>Draws <paramref name="shapes"/> (on the first one's background) on a <paramref name="imageSize"/>² image, adds noise and returns the PNG bytes.</summary>
    public static byte[] RenderPng(IReadOnlyList<Shape> shapes, int imageSize, GaussianSampler noise)
    {
        var info = new SKImageInfo(imageSize, imageSize, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(shapes[0].Background);
            foreach (var shape in shapes)
                Draw(canvas, shape);
            canvas.Flush();
        }

        AddNoise(bitmap, noise);

        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, zLibLevel: 9))
            ?? throw new InvalidOperationException("SkiaSharp could not encode the PNG.");
        return data.ToArray();
    }

    private static void Draw(SKCanvas canvas, Shape shape)
    {
        using var paint = new SKPaint { Color = shape.Fill, IsAntialias = true };
        // An outline is stroked half a line width inside the filled shape's edge, so both have the same outer size.
        float s = shape.Size;
        if (shape.IsOutline)
        {
            paint.Style = SKPaintStyle.Stroke;
            paint.StrokeWidth = shape.OutlineWidth;
            // Mitred 90° corners end exactly on the outer square; the triangle's sharp corners would overshoot.
            paint.StrokeJoin = shape.Kind == ShapeKind.Triangle ? SKStrokeJoin.Round : SKStrokeJoin.Miter;
            s -= shape.OutlineWidth / 2;
        }
        else
        {
            paint.Style = SKPaintStyle.Fill;
        }

        float x = shape.CenterX, y = shape.CenterY;
        switch (shape.Kind)
        {
            case ShapeKind.Circle:
                canvas.DrawCircle(x, y, s, paint);
                break;
            case ShapeKind.Square:
                canvas.DrawRect(SKRect.Create(x - s, y - s, 2 * s, 2 * s), paint);
                break;
            case ShapeKind.Triangle:
                using (var triangle = Polygon([(x, y - s), (x + s, y + s), (x - s, y + s)]))
                    canvas.DrawPath(triangle, paint);
                break;
            case ShapeKind.Cross:
                // A plus sign whose arms are 0.8·Size wide.
                float a = 0.4f * s;
                using (var cross = Polygon(
                [
                    (x - a, y - s), (x + a, y - s), (x + a, y - a), (x + s, y - a), (x + s, y + a), (x + a, y + a),
                    (x + a, y + s), (x - a, y + s), (x - a, y + a), (x - s, y + a), (x - s, y - a), (x - a, y - a),
                ]))
                    canvas.DrawPath(cross, paint);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape.Kind, "Unknown shape.");
        }
    }

    private static SKPath Polygon(ReadOnlySpan<(float X, float Y)> points)
    {
        var path = new SKPath();
        path.MoveTo(points[0].X, points[0].Y);
        for (int i = 1; i < points.Length; i++)
            path.LineTo(points[i].X, points[i].Y);
        path.Close();
        return path;
    }

    /// <summary>Adds rounded N(0, <see cref="NoiseStdDev"/>²) noise to the red, green and blue bytes, clamped to 0–255.</summary>
    private static void AddNoise(SKBitmap bitmap, GaussianSampler noise)
    {
        byte[] bytes = bitmap.Bytes; // a copy, RGBA row by row
        for (int i = 0; i < bytes.Length; i++)
        {
            if (i % 4 == 3)
                continue; // alpha stays opaque
            bytes[i] = (byte)Math.Clamp(bytes[i] + (int)Math.Round(noise.Next(0, NoiseStdDev)), 0, 255);
        }
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
    }

    private static SKColor RandomColor(Random random) =>
        new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));

    private static double Luma(SKColor c) => 0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue;
}

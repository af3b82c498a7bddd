namespace MLExtensions.Benchmarks.Defaults;

/// <summary>
/// Handwriting-like digits: each of the ten digits is drawn from strokes (lines and arcs, two styles per digit: a 1 with
/// or without a flag and base, an open or closed 4, a 7 with or without a bar, …), and every sample bends its digit
/// with a random affine map (scale 0.8–1.1 per axis, rotation ±14°, shear ±0.25, shift ±8 %), moves each stroke a little
/// and draws it with a random pen width on a 32 × 32 canvas. <see cref="Counts"/> turns the canvas into the 8 × 8
/// features of the UCI optical digits (pixels above ½ counted in each 4 × 4 block, 0 … 16); <see cref="Downsample"/>
/// gives a smaller grayscale image for the convolutional network.
/// </summary>
internal sealed class DigitImages(int seed)
{
    public const int Canvas = 32;
    public const int ClassCount = 10;

    private readonly SeededRandom _random = new(seed);

    /// <summary>The next digit: its class and its 32 × 32 canvas (row-major, values in [0, 1]).</summary>
    public (int Label, float[] Canvas) Next()
    {
        int label = _random.Next(ClassCount);
        var strokes = Strokes(label, _random.Next(2));
        double sx = _random.Uniform(0.8, 1.1), sy = _random.Uniform(0.8, 1.1);
        double angle = _random.Uniform(-0.25, 0.25), shear = _random.Uniform(-0.25, 0.25);
        double tx = _random.Uniform(-0.08, 0.08), ty = _random.Uniform(-0.08, 0.08);
        double width = _random.Uniform(0.035, 0.07) * Canvas;
        var canvas = new float[Canvas * Canvas];
        foreach (var stroke in strokes)
        {
            double ox = _random.Normal(0, 0.025), oy = _random.Normal(0, 0.025);
            foreach (var (px, py) in stroke)
            {
                // Centre, scale, shear, rotate, shift back; then to pixels.
                double x = (px - 0.5) * sx + shear * (py - 0.5) * sy, y = (py - 0.5) * sy;
                double rx = x * Math.Cos(angle) - y * Math.Sin(angle), ry = x * Math.Sin(angle) + y * Math.Cos(angle);
                Stamp(canvas, (rx + 0.5 + tx + ox) * Canvas, (ry + 0.5 + ty + oy) * Canvas, width);
            }
        }
        return (label, canvas);
    }

    /// <summary>The UCI optical-digits encoding: pixels above ½ counted in each 4 × 4 block, 64 values in 0 … 16.</summary>
    public static float[] Counts(float[] canvas)
    {
        var counts = new float[64];
        for (int r = 0; r < Canvas; r++)
            for (int c = 0; c < Canvas; c++)
                if (canvas[r * Canvas + c] > 0.5f)
                    counts[r / 4 * 8 + c / 4]++;
        return counts;
    }

    /// <summary>The canvas averaged over <paramref name="factor"/> × <paramref name="factor"/> blocks.</summary>
    public static float[] Downsample(float[] canvas, int factor)
    {
        int side = Canvas / factor;
        var image = new float[side * side];
        for (int r = 0; r < Canvas; r++)
            for (int c = 0; c < Canvas; c++)
                image[r / factor * side + c / factor] += canvas[r * Canvas + c] / (factor * factor);
        return image;
    }

    private static void Stamp(float[] canvas, double cx, double cy, double width)
    {
        int reach = (int)Math.Ceiling(2.5 * width);
        int r0 = Math.Max(0, (int)cy - reach), r1 = Math.Min(Canvas - 1, (int)cy + reach);
        int c0 = Math.Max(0, (int)cx - reach), c1 = Math.Min(Canvas - 1, (int)cx + reach);
        double twoW2 = 2 * width * width / 4; // width is the pen's diameter; σ = width / 2
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++)
            {
                double dx = c + 0.5 - cx, dy = r + 0.5 - cy;
                float v = (float)Math.Exp(-(dx * dx + dy * dy) / twoW2);
                if (v > canvas[r * Canvas + c])
                    canvas[r * Canvas + c] = v;
            }
    }

    // ---- the digits, in a unit square (x to the right, y down) ----

    private static List<(double X, double Y)[]> Strokes(int digit, int style) => digit switch
    {
        0 => style == 0 ? [Arc(0.5, 0.5, 0.27, 0.4, -180, 180)] : [Arc(0.5, 0.5, 0.19, 0.4, -180, 180)],
        1 => style == 0 ? [Line(0.5, 0.1, 0.5, 0.9)] : [Line(0.32, 0.28, 0.52, 0.1), Line(0.52, 0.1, 0.52, 0.9), Line(0.34, 0.9, 0.7, 0.9)],
        2 => style == 0
            ? [Arc(0.5, 0.32, 0.23, 0.21, -180, 30), Line(0.7, 0.43, 0.24, 0.9), Line(0.24, 0.9, 0.8, 0.9)]
            : [Arc(0.5, 0.3, 0.22, 0.2, -170, 40), Line(0.67, 0.43, 0.3, 0.8), Arc(0.34, 0.84, 0.07, 0.06, 200, 360), Line(0.41, 0.84, 0.8, 0.88)],
        3 => style == 0
            ? [Arc(0.48, 0.3, 0.2, 0.18, -150, 90), Arc(0.48, 0.69, 0.22, 0.21, -90, 150)]
            : [Line(0.25, 0.1, 0.72, 0.1), Line(0.72, 0.1, 0.45, 0.45), Arc(0.48, 0.68, 0.22, 0.22, -110, 150)],
        4 => style == 0
            ? [Line(0.62, 0.1, 0.2, 0.65), Line(0.2, 0.65, 0.82, 0.65), Line(0.62, 0.35, 0.62, 0.92)]
            : [Line(0.25, 0.1, 0.25, 0.55), Line(0.25, 0.55, 0.78, 0.55), Line(0.7, 0.1, 0.7, 0.92)],
        5 => style == 0
            ? [Line(0.74, 0.1, 0.3, 0.1), Line(0.3, 0.1, 0.28, 0.47), Arc(0.48, 0.66, 0.23, 0.23, -125, 150)]
            : [Line(0.74, 0.12, 0.33, 0.1), Line(0.33, 0.1, 0.3, 0.44), Arc(0.5, 0.65, 0.21, 0.24, -135, 120)],
        6 => style == 0
            ? [Line(0.66, 0.1, 0.33, 0.58), Arc(0.5, 0.7, 0.19, 0.19, -180, 180)]
            : [Arc(0.64, 0.62, 0.34, 0.52, -100, -180), Arc(0.5, 0.72, 0.18, 0.17, -180, 180)],
        7 => style == 0
            ? [Line(0.2, 0.1, 0.8, 0.1), Line(0.8, 0.1, 0.4, 0.9)]
            : [Line(0.2, 0.1, 0.8, 0.1), Line(0.8, 0.1, 0.42, 0.9), Line(0.4, 0.5, 0.76, 0.5)],
        8 => style == 0
            ? [Arc(0.5, 0.3, 0.17, 0.18, -180, 180), Arc(0.5, 0.7, 0.21, 0.21, -180, 180)]
            : [Arc(0.5, 0.29, 0.2, 0.17, -180, 180), Arc(0.5, 0.69, 0.18, 0.22, -180, 180)],
        _ => style == 0
            ? [Arc(0.5, 0.3, 0.19, 0.17, -180, 180), Line(0.69, 0.3, 0.62, 0.9)]
            : [Arc(0.48, 0.3, 0.2, 0.19, -180, 180), Line(0.68, 0.3, 0.68, 0.9)],
    };

    private static (double, double)[] Line(double x0, double y0, double x1, double y1)
    {
        int steps = Math.Max(2, (int)(Math.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)) / 0.02));
        return Enumerable.Range(0, steps + 1).Select(i => (x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps)).ToArray();
    }

    /// <summary>An elliptic arc from <paramref name="from"/>° to <paramref name="to"/>° (0° to the right, 90° down).</summary>
    private static (double, double)[] Arc(double cx, double cy, double rx, double ry, double from, double to)
    {
        double length = Math.Abs(to - from) / 180 * Math.PI * Math.Max(rx, ry);
        int steps = Math.Max(4, (int)(length / 0.02));
        return Enumerable.Range(0, steps + 1).Select(i =>
        {
            double a = (from + (to - from) * i / steps) * Math.PI / 180;
            return (cx + rx * Math.Cos(a), cy + ry * Math.Sin(a));
        }).ToArray();
    }
}

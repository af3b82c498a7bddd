namespace MLExtensions.Benchmarks;

/// <summary>
/// MNIST-shaped synthetic data: 28 × 28 = 784 floats in [0, 1] and 10 classes. Each class has a prototype image made
/// of a few Gaussian "strokes"; a sample is its class prototype shifted by up to two pixels, blended with a random
/// other prototype (weight up to <see cref="MaxBlend"/>), plus Gaussian pixel noise, clipped to [0, 1]. The blending
/// makes some samples genuinely ambiguous, so accuracy stays below 100 % and differences between trainers would show.
/// </summary>
internal sealed class SyntheticDigits
{
    public const int Side = 28;
    public const int FeatureCount = Side * Side;
    public const int ClassCount = 10;
    private const double MaxBlend = 0.45;
    private const double NoiseSigma = 0.3;
    private const int MaxShift = 2;

    private readonly float[][] _prototypes;
    private readonly SeededRandom _random;

    public SyntheticDigits(int seed)
    {
        _random = new SeededRandom(seed);
        _prototypes = new float[ClassCount][];
        for (int c = 0; c < ClassCount; c++)
            _prototypes[c] = Prototype();
    }

    /// <summary>
    /// The next <paramref name="rows"/> samples: features row-major in one array (rows × 784) and the class of each row
    /// (0 … 9). Successive calls continue the same random stream, so a training set and a held-out set drawn one after
    /// the other never share rows.
    /// </summary>
    public (float[] Features, int[] Labels) Next(int rows)
    {
        var features = new float[(long)rows * FeatureCount];
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            int label = _random.Next(ClassCount);
            int other = (label + 1 + _random.Next(ClassCount - 1)) % ClassCount;
            float blend = (float)(_random.Uniform() * MaxBlend);
            int dx = _random.Next(-MaxShift, MaxShift + 1);
            int dy = _random.Next(-MaxShift, MaxShift + 1);
            var own = _prototypes[label];
            var mixed = _prototypes[other];
            var row = features.AsSpan(i * FeatureCount, FeatureCount);
            for (int r = 0; r < Side; r++)
            {
                int sr = r - dy;
                for (int c = 0; c < Side; c++)
                {
                    int sc = c - dx;
                    float ownValue = sr is >= 0 and < Side && sc is >= 0 and < Side ? own[sr * Side + sc] : 0f;
                    float value = (1 - blend) * ownValue + blend * mixed[r * Side + c] + (float)(NoiseSigma * _random.Normal());
                    row[r * Side + c] = Math.Clamp(value, 0f, 1f);
                }
            }
            labels[i] = label;
        }
        return (features, labels);
    }

    private float[] Prototype()
    {
        var image = new float[FeatureCount];
        int strokes = 4 + _random.Next(3);
        for (int s = 0; s < strokes; s++)
        {
            // A stroke: a short line segment of Gaussian blobs.
            double x0 = 6 + 16 * _random.Uniform(), y0 = 6 + 16 * _random.Uniform();
            double angle = Math.PI * _random.Uniform(), length = 4 + 8 * _random.Uniform();
            double width = 1.0 + 0.8 * _random.Uniform();
            for (double t = -length / 2; t <= length / 2; t += 0.5)
            {
                double cx = x0 + t * Math.Cos(angle), cy = y0 + t * Math.Sin(angle);
                for (int r = 0; r < Side; r++)
                    for (int c = 0; c < Side; c++)
                    {
                        double d2 = (c - cx) * (c - cx) + (r - cy) * (r - cy);
                        image[r * Side + c] = (float)Math.Max(image[r * Side + c], Math.Exp(-d2 / (2 * width * width)));
                    }
            }
        }
        return image;
    }
}

namespace MLExtensions.Benchmarks;

/// <summary>
/// 8 × 8 digit-like images (64 features in [0, 16], 10 classes), the shape of scikit-learn's digits set: each class
/// has a prototype of a few bright strokes; a sample scales its prototype by 0.7–1.3 and adds Gaussian noise (σ 6),
/// clipped to [0, 16].
/// </summary>
internal sealed class SmallDigits
{
    public const int FeatureCount = 64, ClassCount = 10;

    private readonly Random _random;
    private readonly float[][] _prototypes;

    public SmallDigits(int seed)
    {
        _random = new Random(seed);
        _prototypes = Enumerable.Range(0, ClassCount).Select(_ => Prototype()).ToArray();
    }

    public (float[][] Features, uint[] Labels) Next(int rows)
    {
        var features = new float[rows][];
        var labels = new uint[rows];
        for (int i = 0; i < rows; i++)
        {
            int label = _random.Next(ClassCount);
            float scale = 0.7f + 0.6f * (float)_random.NextDouble();
            features[i] = _prototypes[label].Select(v => Math.Clamp(scale * v + 6f * Gaussian(), 0f, 16f)).ToArray();
            labels[i] = (uint)label;
        }
        return (features, labels);
    }

    private float[] Prototype()
    {
        var image = new float[FeatureCount];
        for (int stroke = 0; stroke < 3; stroke++)
        {
            int r = _random.Next(8), c = _random.Next(8), dr = _random.Next(-1, 2), dc = _random.Next(-1, 2);
            for (int k = 0; k < 5; k++, r += dr, c += dc)
                if (r is >= 0 and < 8 && c is >= 0 and < 8)
                    image[r * 8 + c] = 16;
        }
        return image;
    }

    private float Gaussian()
    {
        double u1 = 1.0 - _random.NextDouble(), u2 = _random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}

namespace MLExtensions.Samples.DataGenerator;

/// <summary>
/// Draws standard normal values from a seeded <see cref="Random"/> with the Box–Muller transform.
/// Each pair of uniforms yields two independent normals; the second one is kept for the next call.
/// </summary>
internal sealed class GaussianSampler
{
    private readonly Random _random;
    private double _spare;
    private bool _hasSpare;

    public GaussianSampler(Random random) => _random = random;

    /// <summary>A draw from N(0, 1).</summary>
    public double Next()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        // 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
        double u1 = 1.0 - _random.NextDouble();
        double u2 = _random.NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spare = radius * Math.Sin(angle);
        _hasSpare = true;
        return radius * Math.Cos(angle);
    }

    /// <summary>A draw from N(mean, standardDeviation²).</summary>
    public double Next(double mean, double standardDeviation) => mean + standardDeviation * Next();
}

namespace MLExtensions.Benchmarks;

/// <summary>A seeded random stream with the uniform, normal and log-normal deviates the data generators need.</summary>
internal sealed class SeededRandom(int seed)
{
    private readonly Random _random = new(seed);
    private double? _spare;

    public double Uniform() => _random.NextDouble();

    public double Uniform(double low, double high) => low + (high - low) * _random.NextDouble();

    public int Next(int exclusiveMax) => _random.Next(exclusiveMax);

    public int Next(int low, int exclusiveMax) => _random.Next(low, exclusiveMax);

    public bool Bernoulli(double p) => _random.NextDouble() < p;

    /// <summary>A standard normal deviate (Box–Muller, both values used).</summary>
    public double Normal()
    {
        if (_spare is double spare)
        {
            _spare = null;
            return spare;
        }
        double u1 = 1.0 - _random.NextDouble(), u2 = _random.NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spare = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }

    public double Normal(double mean, double sigma) => mean + sigma * Normal();

    /// <summary>An index drawn with probabilities proportional to <paramref name="weights"/>.</summary>
    public int Pick(IReadOnlyList<double> weights)
    {
        double total = weights.Sum(), u = _random.NextDouble() * total;
        for (int i = 0; i < weights.Count; i++)
        {
            u -= weights[i];
            if (u < 0)
                return i;
        }
        return weights.Count - 1;
    }
}

namespace MLExtensions.Training;

/// <summary>
/// The validation split of streamed data, which cannot be permuted as a whole: each row is held out with probability
/// <c>fraction</c>, decided by a seeded hash of its 0-based row number (SplitMix64), so every epoch and every run
/// with the same seed holds out the same rows.
/// </summary>
internal sealed class RowSplit(int seed, double fraction)
{
    private readonly ulong _salt = Mix(0x5DEECE66DUL ^ (ulong)(uint)seed);

    public double Fraction { get; } = fraction;

    public bool HeldOut(long row) => (Mix(_salt + (ulong)row) >> 11) * (1.0 / (1UL << 53)) < Fraction;

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

using System.Text;

namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// A made-up language's names as an order-2 character Markov chain: the next letter depends on the last two.
/// Letter weights are written as repeats (<c>"aaeio"</c>: a twice as likely as e); vowels and consonants alternate
/// with the probabilities below, favoured letter pairs are <see cref="PairBoost"/> times as likely, and a name
/// stops, once it has <see cref="MinLength"/> letters, with probability <see cref="EndAfterEnding"/> right after one of
/// its <see cref="Endings"/> and <see cref="EndElsewhere"/> anywhere else. The start counts as a consonant, and a
/// letter right after itself is <see cref="RepeatFactor"/> times as likely unless the pair is a favoured one.
/// </summary>
internal sealed class NameLanguage
{
    public const int MinLength = 3;
    public const int MaxLength = 12;
    public const double PairBoost = 6;
    public const double EndAfterEnding = 0.6;
    public const double EndElsewhere = 0.02;
    public const double RepeatFactor = 0.1;

    public required string Name { get; init; }

    /// <summary>Letter weights of the first letter.</summary>
    public required string Initials { get; init; }

    /// <summary>Weights of the vowels inside a name.</summary>
    public required string Vowels { get; init; }

    /// <summary>Weights of the consonants inside a name.</summary>
    public required string Consonants { get; init; }

    /// <summary>P(vowel) after a single consonant (one that follows a vowel).</summary>
    public required double VowelAfterConsonant { get; init; }

    /// <summary>P(vowel) after two consonants, or after a first consonant (the start counts as a consonant).</summary>
    public required double VowelAfterTwoConsonants { get; init; }

    /// <summary>P(vowel) after a single vowel (never after two).</summary>
    public required double VowelAfterVowel { get; init; }

    /// <summary>Favoured letter pairs, e.g. <c>"th"</c>.</summary>
    public required string[] Pairs { get; init; }

    /// <summary>Endings (one or two letters) after which a name often stops.</summary>
    public required string[] Endings { get; init; }

    /// <summary>One capitalised name of <see cref="MinLength"/>–<see cref="MaxLength"/> letters.</summary>
    public string NextName(Random random)
    {
        while (true)
        {
            var name = new StringBuilder();
            name.Append(Pick(random, Initials.Select(c => (c, 1.0))));
            while (name.Length < MaxLength)
            {
                name.Append(Pick(random, NextLetterWeights(name)));
                if (name.Length >= MinLength && random.NextDouble() < (Endings.Any(e => EndsWith(name, e)) ? EndAfterEnding : EndElsewhere))
                    return char.ToUpperInvariant(name[0]) + name.ToString(1, name.Length - 1);
            }
            // Reached MaxLength without stopping: draw again, so lengths stay within the range.
        }
    }

    /// <summary>Unnormalised weights of the next letter given the last two.</summary>
    private IEnumerable<(char Letter, double Weight)> NextLetterWeights(StringBuilder name)
    {
        char last = name[^1];
        bool lastVowel = IsVowel(last);
        bool previousVowel = name.Length >= 2 && IsVowel(name[^2]);
        double vowel = (lastVowel, previousVowel) switch
        {
            (true, true) => 0,
            (true, false) => VowelAfterVowel,
            (false, false) => VowelAfterTwoConsonants,
            (false, true) => VowelAfterConsonant,
        };
        foreach (var (letters, classWeight) in new[] { (Vowels, vowel), (Consonants, 1 - vowel) })
        {
            foreach (var group in letters.GroupBy(c => c))
            {
                double weight = classWeight * group.Count() / letters.Length;
                if (Pairs.Contains(string.Concat(last, group.Key)))
                    weight *= PairBoost;
                else if (group.Key == last)
                    weight *= RepeatFactor;
                yield return (group.Key, weight);
            }
        }
    }

    private bool IsVowel(char c) => Vowels.Contains(char.ToLowerInvariant(c));

    private static bool EndsWith(StringBuilder name, string ending) =>
        name.Length >= ending.Length && name.ToString(name.Length - ending.Length, ending.Length) == ending;

    private static char Pick(Random random, IEnumerable<(char Letter, double Weight)> weights)
    {
        var options = weights.Where(w => w.Weight > 0).ToArray();
        double u = random.NextDouble() * options.Sum(o => o.Weight);
        foreach (var (letter, weight) in options)
        {
            u -= weight;
            if (u < 0)
                return letter;
        }
        return options[^1].Letter;
    }
}

using System.Text;

namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// names/&lt;language&gt;.txt — <see cref="NamesPerLanguage"/> unique capitalised names of 3–12 letters per made-up
/// language, one per line, each language an order-2 character Markov chain (<see cref="NameLanguage"/>) with its own
/// letters, letter pairs and endings. No name occurs in two languages. The label is the file name.
/// </summary>
internal sealed class NamesDataset : ITextFolderDataset
{
    public const int Seed = 1009;
    public const int NamesPerLanguage = 400;

    // Aurish and Elvaric share their letters, and so do Brevian and Dornese: within each pair the languages differ
    // mostly in letter order (pairs, clusters, doubled vowels) and endings, which a bag of characters does not see.
    public static readonly NameLanguage[] Languages =
    [
        // Soft, mostly consonant-vowel alternation; ia, ss, ri, li, ma; names end in -a, -ia, -is.
        new()
        {
            Name = "Aurish", Initials = "aeilmnrrstv", Vowels = "aaaeeeiiou", Consonants = "lllrrrnnnsssmmvvtd",
            VowelAfterConsonant = 0.85, VowelAfterTwoConsonants = 1.0, VowelAfterVowel = 0.25,
            Pairs = ["ia", "ss", "ri", "li", "ma"], Endings = ["a", "ia", "is"],
        },
        // Aurish's letters with more vowel pairs (ae, ie, io) and nd; names end in -el, -ar, -on, -or.
        new()
        {
            Name = "Elvaric", Initials = "aeilmnrrstv", Vowels = "aaaeeeiiou", Consonants = "lllrrrnnnsssmmvvtd",
            VowelAfterConsonant = 0.85, VowelAfterTwoConsonants = 1.0, VowelAfterVowel = 0.25,
            Pairs = ["ae", "ie", "io", "el", "ar", "nd"], Endings = ["el", "ar", "on", "or"],
        },
        // Consonant clusters with k, v, z: kr, vr, st, sk, zv, tr; names end in -ov, -ek, -sk, -ik.
        new()
        {
            Name = "Brevian", Initials = "bdkkprsstvvz", Vowels = "aaeeiooou", Consonants = "kkkvvvrrrzzsssttbbddn",
            VowelAfterConsonant = 0.5, VowelAfterTwoConsonants = 0.9, VowelAfterVowel = 0.05,
            Pairs = ["kr", "vr", "st", "sk", "zv", "tr", "ov", "ek"], Endings = ["ov", "ek", "sk", "ik"],
        },
        // Brevian's letters mostly in consonant-vowel order, with oo, ee, nd; names end in -o, -on, -de.
        new()
        {
            Name = "Dornese", Initials = "bdkkprsstvvz", Vowels = "aaeeiooou", Consonants = "kkkvvvrrrzzsssttbbddn",
            VowelAfterConsonant = 0.9, VowelAfterTwoConsonants = 1.0, VowelAfterVowel = 0.15,
            Pairs = ["oo", "ee", "nd", "do", "ro", "zo"], Endings = ["o", "on", "de"],
        },
        // y and w as vowels, ll, dd, th, gw, ch; names end in -yn, -th, -dd, -en.
        new()
        {
            Name = "Calthic", Initials = "bcddghllmrrty", Vowels = "aaeeyyyiow", Consonants = "lllldddrrrnnnggcchth",
            VowelAfterConsonant = 0.6, VowelAfterTwoConsonants = 0.9, VowelAfterVowel = 0.2,
            Pairs = ["ll", "dd", "th", "gw", "wy", "ch", "yn", "dy"], Endings = ["yn", "th", "dd", "en"],
        },
    ];

    public string FolderName => "names";

    public TextFolderSummary Write(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (string stale in Directory.GetFiles(folder, "*.txt"))
            File.Delete(stale);

        var random = new Random(Seed);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        long bytes = 0;
        foreach (var language in Languages)
        {
            var names = new List<string>();
            while (names.Count < NamesPerLanguage)
            {
                string name = language.NextName(random);
                if (taken.Add(name))
                    names.Add(name);
            }
            string path = Path.Combine(folder, language.Name + ".txt");
            File.WriteAllText(path, string.Concat(names.Select(n => n + "\n")), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            bytes += new FileInfo(path).Length;
        }
        return new TextFolderSummary(Languages.Length, Languages.Length * NamesPerLanguage, bytes);
    }
}

using Microsoft.ML;

namespace MLExtensions.Benchmarks.Defaults;

/// <summary>
/// (f) Short-text classification: sentences of 6–16 made-up words in four topics. A sentence mixes function words
/// (40 %), neutral content words (25 %), words of its own topic (15 %, Zipf-distributed, so many are rare), words shared
/// by its topic and another (8 %) and words of another topic (7 %, the ambiguity), plus up to two two-word phrases of
/// its topic made of neutral words, which only word pairs reveal; 5 % of the labels are wrong. The words are random
/// syllable strings, so their spelling says nothing about the topic. A word n-gram linear model is the strong baseline.
/// </summary>
internal sealed class TopicSentencesSet
{
    public const int Topics = 4;
    private const int FunctionWords = 30, NeutralWords = 100, TopicWords = 80, SharedWords = 40, PhrasesPerTopic = 12;
    private const double LabelNoise = 0.05;

    private readonly string[] _function, _neutral;
    private readonly string[][] _topic;
    private readonly (string Word, int A, int B)[] _shared;
    private readonly (string First, string Second)[][] _phrases;
    private readonly double[] _functionWeights, _topicWeights;

    private TopicSentencesSet()
    {
        var words = new SeededRandom(20240);
        var used = new HashSet<string>();
        string Word()
        {
            string[] onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st", "kl", "tr"];
            string[] vowels = ["a", "e", "i", "o", "u", "ai", "ou"];
            while (true)
            {
                int syllables = 1 + words.Next(3);
                string w = string.Concat(Enumerable.Range(0, syllables).Select(_ => onsets[words.Next(onsets.Length)] + vowels[words.Next(vowels.Length)]));
                if (words.Bernoulli(0.3))
                    w += "n";
                if (used.Add(w))
                    return w;
            }
        }
        _function = Enumerable.Range(0, FunctionWords).Select(_ => Word()).ToArray();
        _neutral = Enumerable.Range(0, NeutralWords).Select(_ => Word()).ToArray();
        _topic = Enumerable.Range(0, Topics).Select(_ => Enumerable.Range(0, TopicWords).Select(_ => Word()).ToArray()).ToArray();
        _shared = Enumerable.Range(0, SharedWords).Select(i =>
        {
            int a = i % Topics, b = (a + 1 + words.Next(Topics - 1)) % Topics;
            return (Word(), a, b);
        }).ToArray();
        var pairs = new HashSet<(int, int)>();
        _phrases = Enumerable.Range(0, Topics).Select(_ => Enumerable.Range(0, PhrasesPerTopic).Select(_ =>
        {
            (int, int) pair;
            do pair = (words.Next(NeutralWords), words.Next(NeutralWords));
            while (pair.Item1 == pair.Item2 || !pairs.Add(pair));
            return (_neutral[pair.Item1], _neutral[pair.Item2]);
        }).ToArray()).ToArray();
        _functionWeights = Enumerable.Range(1, FunctionWords).Select(r => 1.0 / r).ToArray();
        _topicWeights = Enumerable.Range(1, TopicWords).Select(r => 1.0 / r).ToArray();
    }

    public static StudySet Create(MLContext ml, int trainRows, int testRows, int replicates, int seed)
    {
        var set = new TopicSentencesSet();
        var splits = StudySplit.Replicates(trainRows, testRows, replicates, seed, (random, n) =>
        {
            var (sentences, labels) = set.Sentences(random, n);
            return StudyRows.View(ml, sentences, labels, Topics);
        });
        return new StudySet("topics-text", "short-text topics",
            "sentences of 6–16 made-up words in 4 topics: topic words (Zipf), shared and off-topic words, topic phrases of neutral words, 5 % wrong labels",
            StudyTask.Multiclass, StudyInput.Text, 0, Topics, splits);
    }

    private (string[] Sentences, int[] Labels) Sentences(SeededRandom random, int count)
    {
        var sentences = new string[count];
        var labels = new int[count];
        var sharedOf = Enumerable.Range(0, Topics).Select(t => _shared.Where(s => s.A == t || s.B == t).Select(s => s.Word).ToArray()).ToArray();
        for (int i = 0; i < count; i++)
        {
            int topic = random.Next(Topics);
            int length = 6 + random.Next(11);
            var tokens = new List<string>(length + 4);
            for (int k = 0; k < length; k++)
            {
                double u = random.Uniform();
                tokens.Add(u switch
                {
                    < 0.40 => _function[random.Pick(_functionWeights)],
                    < 0.65 => _neutral[random.Next(NeutralWords)],
                    < 0.80 => _topic[topic][random.Pick(_topicWeights)],
                    < 0.88 => sharedOf[topic][random.Next(sharedOf[topic].Length)],
                    _ => _topic[(topic + 1 + random.Next(Topics - 1)) % Topics][random.Pick(_topicWeights)],
                });
            }
            int phrases = random.Uniform() switch { < 0.2 => 0, < 0.8 => 1, _ => 2 };
            for (int p = 0; p < phrases; p++)
            {
                var (first, second) = _phrases[topic][random.Next(PhrasesPerTopic)];
                int at = random.Next(tokens.Count + 1);
                tokens.Insert(at, second);
                tokens.Insert(at, first);
            }
            sentences[i] = string.Join(' ', tokens);
            labels[i] = random.Bernoulli(LabelNoise) ? (topic + 1 + random.Next(Topics - 1)) % Topics : topic;
        }
        return (sentences, labels);
    }
}

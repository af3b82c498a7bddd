using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

/// <summary>
/// The shipped sequence-labeling sets: their columns become one tag key per word key, and they have the properties
/// data/README.md describes (well-formed IOB2 tags, slots that only the following words decide, exact memorisation
/// for the character task, tags that depend on position only).
/// </summary>
[TestClass]
public sealed class SequenceLabelingDataTests
{
    private static readonly string[] SlotTypes = ["airline", "date", "from_city", "time", "to_city"];

    private static readonly string[] Files = ["slot-filling.tsv", "char-hello.tsv", "position-parity.tsv"];

    internal static IDataView LoadTsv(MLContext ml, string file) =>
        ml.Data.LoadFromTextFile(Path.Combine(TestData.DataDirectory, file),
            [new TextLoader.Column("Text", DataKind.String, 0), new TextLoader.Column("Tags", DataKind.String, 1)],
            separatorChar: '\t', hasHeader: true);

    /// <summary>The rows as word and tag arrays, read without ML.NET.</summary>
    internal static (string[] Words, string[] Tags)[] ReadRows(string file) =>
        File.ReadLines(Path.Combine(TestData.DataDirectory, file)).Skip(1)
            .Select(line => line.Split('\t'))
            .Select(cells => (cells[0].Split(' '), cells[1].Split(' ')))
            .ToArray();

    [TestMethod]
    public void TaggedTextBecomesOneTagKeyPerWordKey()
    {
        var ml = new MLContext(seed: 1);
        foreach (string file in Files)
        {
            var rows = ReadRows(file);
            var data = LoadTsv(ml, file);
            var keyed = ml.Transforms.TokenizeTaggedWordsAsKeys().Fit(data).Transform(data);

            foreach (string name in new[] { "Features", "Label" })
            {
                var column = keyed.Schema[name];
                Assert.IsInstanceOfType<VectorDataViewType>(column.Type, $"{file}: {name}");
                var vector = (VectorDataViewType)column.Type;
                Assert.IsFalse(vector.IsKnownSize, $"{file}: {name} has a variable size");
                Assert.IsInstanceOfType<KeyDataViewType>(vector.ItemType, $"{file}: {name} holds keys");
                Assert.IsNotNull(column.Annotations.Schema.GetColumnOrNull("KeyValues"), $"{file}: {name} has KeyValues");
            }

            // The label's keys are the file's tags in ordinal order.
            VBuffer<ReadOnlyMemory<char>> values = default;
            keyed.Schema["Label"].GetKeyValues(ref values);
            string[] tags = values.DenseValues().Select(v => v.ToString()).ToArray();
            CollectionAssert.AreEqual(rows.SelectMany(r => r.Tags).Distinct().Order(StringComparer.Ordinal).ToArray(), tags, file);

            using var cursor = keyed.GetRowCursor([keyed.Schema["Features"], keyed.Schema["Label"]]);
            var getFeatures = cursor.GetGetter<VBuffer<uint>>(keyed.Schema["Features"]);
            var getLabel = cursor.GetGetter<VBuffer<uint>>(keyed.Schema["Label"]);
            VBuffer<uint> featureKeys = default, labelKeys = default;
            int i = 0;
            for (; cursor.MoveNext(); i++)
            {
                getFeatures(ref featureKeys);
                getLabel(ref labelKeys);
                uint[] words = featureKeys.DenseValues().ToArray();
                uint[] label = labelKeys.DenseValues().ToArray();
                Assert.AreEqual(rows[i].Words.Length, words.Length, $"{file} row {i}: one word key per word");
                Assert.AreEqual(words.Length, label.Length, $"{file} row {i}: one tag key per word key");
                Assert.IsFalse(words.Contains(0u) || label.Contains(0u), $"{file} row {i}: no missing keys");
                Assert.AreEqual(string.Join(' ', rows[i].Tags), string.Join(' ', label.Select(k => tags[k - 1])), $"{file} row {i}");
            }
            Assert.AreEqual(rows.Length, i, file);
        }
    }

    [TestMethod]
    public void TaggedTextColumnsMustDiffer()
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.TokenizeTaggedWordsAsKeys(featureColumnName: "Tokens", labelColumnName: "Tokens"));
        StringAssert.Contains(e.Message, "'Tokens'");
        e = Assert.Throws<ArgumentException>(() => ml.Transforms.TokenizeTaggedWordsAsKeys(textColumnName: "Line", tagsColumnName: "Line"));
        StringAssert.Contains(e.Message, "'Line'");
    }

    [TestMethod]
    public void SlotFillingTagsAreWellFormedIob2()
    {
        var rows = ReadRows("slot-filling.tsv");
        Assert.IsTrue(rows.Length >= 3000, "several thousand sentences");
        Assert.AreEqual(rows.Length, rows.Select(r => string.Join(' ', r.Words)).Distinct().Count(), "sentences are unique");
        var typesSeen = new HashSet<string>();
        foreach (var (words, tags) in rows)
        {
            Assert.AreEqual(words.Length, tags.Length);
            for (int i = 0; i < tags.Length; i++)
            {
                if (tags[i] == "O")
                    continue;
                string prefix = tags[i][..2], type = tags[i][2..];
                CollectionAssert.Contains(SlotTypes, type, tags[i]);
                Assert.IsTrue(prefix is "B-" or "I-", tags[i]);
                if (prefix == "I-")
                    Assert.IsTrue(i > 0 && tags[i - 1][2..] == type && tags[i - 1] != "O", $"I-{type} continues a {type} span: {string.Join(' ', words)}");
                typesSeen.Add(type);
            }
        }
        CollectionAssert.AreEquivalent(SlotTypes, typesSeen.ToArray());
    }

    /// <summary>
    /// The slots of the following-word templates: the first word of a sentence-initial city, of a city after
    /// "show me the", and of a number after "departing" or "by" that is followed by a month or by am/pm.
    /// </summary>
    internal static IEnumerable<(int Row, int Step)> FollowingWordSlots((string[] Words, string[] Tags)[] rows)
    {
        for (int r = 0; r < rows.Length; r++)
        {
            var (w, t) = rows[r];
            if (t[0].StartsWith("B-", StringComparison.Ordinal))
                yield return (r, 0);
            for (int i = 1; i < w.Length; i++)
            {
                if (i >= 3 && w[i - 3] == "show" && w[i - 2] == "me" && w[i - 1] == "the" && t[i].StartsWith("B-", StringComparison.Ordinal))
                    yield return (r, i);
                else if (w[i - 1] is "departing" or "by" && i + 1 < w.Length && int.TryParse(w[i], out _)
                    && (w[i + 1] is "am" or "pm" || Array.IndexOf(Months, w[i + 1]) >= 0) && i + 2 == w.Length)
                    yield return (r, i);
            }
        }
    }

    private static readonly string[] Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    [TestMethod]
    public void FollowingWordSlotsAreDecidedOnlyByWhatFollows()
    {
        var rows = ReadRows("slot-filling.tsv");
        int trainRows = (int)(rows.Length * 0.8);
        var train = rows[..trainRows];
        var test = rows[trainRows..];

        // A tagger that sees the previous word and the word, and one that sees the word and the two after it,
        // each the majority tag of its context on the first 80 % (backing off to shorter contexts).
        var left = new MajorityTagger(train, (w, i) => $"{Word(w, i - 1)} {w[i]}", (w, i) => w[i]);
        var right = new MajorityTagger(train,
            (w, i) => $"{w[i]} {Word(w, i + 1)} {Word(w, i + 2)}", (w, i) => $"{w[i]} {Word(w, i + 1)}", (w, i) => w[i]);

        var slots = FollowingWordSlots(test).ToArray();
        Assert.IsTrue(slots.Length >= 100, $"the test split holds {slots.Length} following-word slots");
        double leftAccuracy = slots.Average(s => left.Tag(test[s.Row].Words, s.Step) == test[s.Row].Tags[s.Step] ? 1.0 : 0.0);
        double rightAccuracy = slots.Average(s => right.Tag(test[s.Row].Words, s.Step) == test[s.Row].Tags[s.Step] ? 1.0 : 0.0);
        Console.WriteLine($"following-word slots in the test split: {slots.Length}; previous word + word: {leftAccuracy:F3}; word + two following words: {rightAccuracy:F3}");
        // Both tags of each pair are equally likely after the same words: reading to the left is a coin toss.
        Assert.IsTrue(leftAccuracy < 0.7, $"previous word + word: {leftAccuracy:F3}");
        Assert.IsTrue(rightAccuracy > 0.9, $"word + following words: {rightAccuracy:F3}");

        // Over the whole test split, for the README's baselines.
        var allO = SequenceMetrics.Compute(test.Select(r => (r.Tags, (string?[])r.Tags.Select(_ => "O").ToArray())));
        var unigram = new MajorityTagger(train, (w, i) => w[i]);
        var scores = new[]
        {
            ("all O", allO), ("word", Score(unigram, test)), ("previous word + word", Score(left, test)),
            ("word + two following words", Score(right, test)),
        };
        foreach (var (name, m) in scores)
            Console.WriteLine($"{name}: token accuracy {m.TokenAccuracy:F3}, span F1 {m.Spans.F1:F3}, micro F1 {m.MicroF1:F3}, macro F1 {m.MacroF1:F3}");
        Assert.AreEqual(0.0, allO.Spans.F1, "no predicted span, F1 0");
        // A lookup table of two-word contexts falls short of the span F1 a tagger is asked to reach (0.95).
        Assert.IsTrue(scores[2].Item2.Spans.F1 < 0.95, $"previous word + word: span F1 {scores[2].Item2.Spans.F1:F3}");
    }

    private static SequenceMetrics Score(MajorityTagger tagger, (string[] Words, string[] Tags)[] rows) =>
        SequenceMetrics.Compute(rows.Select(r => (r.Tags, (string?[])Enumerable.Range(0, r.Words.Length).Select(i => tagger.Tag(r.Words, i)).ToArray())));

    private static string Word(string[] words, int i) => i < 0 ? "<s>" : i >= words.Length ? "</s>" : words[i];

    [TestMethod]
    public void CharHelloIsMemorisableLeftToRight()
    {
        var rows = ReadRows("char-hello.tsv");
        Assert.IsTrue(rows.Any(r => string.Concat(r.Words) == "hello" && string.Concat(r.Tags) == "ohlol"), "the hello → ohlol row");
        // Every prefix of inputs has one target: a network that reads left to right can reproduce each row.
        var targetOfPrefix = new Dictionary<string, string>();
        foreach (var (words, tags) in rows)
        {
            Assert.AreEqual(words.Length, tags.Length);
            for (int i = 0; i < words.Length; i++)
            {
                string prefix = string.Concat(words[..(i + 1)]);
                Assert.AreEqual(tags[i], targetOfPrefix.GetValueOrDefault(prefix, tags[i]), $"prefix '{prefix}'");
                targetOfPrefix[prefix] = tags[i];
            }
        }
        // The same character needs different targets (the l's of hello): one target per character is not enough.
        var perCharacter = new MajorityTagger(rows, (w, i) => w[i]);
        var m = Score(perCharacter, rows);
        Console.WriteLine($"char-hello: one target per character, token accuracy {m.TokenAccuracy:F3} ({m.CorrectTokens} of {m.Tokens})");
        Assert.IsTrue(m.TokenAccuracy < 1.0);
    }

    [TestMethod]
    public void PositionParityTagsDependOnPositionOnly()
    {
        var rows = ReadRows("position-parity.tsv");
        foreach (var (words, tags) in rows)
            for (int i = 0; i < words.Length; i++)
                Assert.AreEqual(i % 2 == 0 ? "odd" : "even", tags[i]);

        int trainRows = (int)(rows.Length * 0.8);
        var train = rows[..trainRows];
        var test = rows[trainRows..];
        var majority = new MajorityTagger(train, (w, i) => "");
        var perToken = new MajorityTagger(train, (w, i) => w[i]);
        double majorityAccuracy = Score(majority, test).TokenAccuracy, tokenAccuracy = Score(perToken, test).TokenAccuracy;
        Console.WriteLine($"position-parity: majority tag {majorityAccuracy:F3}, majority tag per token {tokenAccuracy:F3}; spans: {Score(majority, test).Spans.GoldSpans}");
        // The token says nothing about its position.
        Assert.IsTrue(tokenAccuracy < 0.56, $"majority tag per token: {tokenAccuracy:F3}");
    }

    /// <summary>The majority tag of a context in training rows, trying the contexts in order, O when none was seen.</summary>
    private sealed class MajorityTagger
    {
        private readonly Func<string[], int, string>[] _contexts;
        private readonly Dictionary<string, string>[] _best;

        public MajorityTagger((string[] Words, string[] Tags)[] rows, params Func<string[], int, string>[] contexts)
        {
            _contexts = contexts;
            _best = contexts.Select(context =>
            {
                var counts = new Dictionary<string, Dictionary<string, int>>();
                foreach (var (words, tags) in rows)
                    for (int i = 0; i < words.Length; i++)
                    {
                        var key = context(words, i);
                        if (!counts.TryGetValue(key, out var perTag))
                            counts[key] = perTag = new Dictionary<string, int>();
                        perTag[tags[i]] = perTag.GetValueOrDefault(tags[i]) + 1;
                    }
                return counts.ToDictionary(c => c.Key,
                    c => c.Value.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).First().Key);
            }).ToArray();
        }

        public string Tag(string[] words, int i)
        {
            for (int c = 0; c < _contexts.Length; c++)
                if (_best[c].TryGetValue(_contexts[c](words, i), out var tag))
                    return tag;
            return "O";
        }
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

[TestClass]
public sealed class SequenceEvaluationTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static readonly string[] Tags = ["B-LOC", "B-PER", "I-LOC", "O"];

    private sealed class TagRow
    {
        public string Gold { get; set; } = "";
        public string Guess { get; set; } = "";
    }

    private sealed class TagValue
    {
        public string Tag { get; set; } = "";
    }

    /// <summary>Tokenizes both columns and maps them to keys of the same tag set (a tag outside it becomes key 0).</summary>
    private static IDataView Scored(params (string Gold, string Guess)[] rows)
    {
        var data = Ml.Data.LoadFromEnumerable(rows.Select(r => new TagRow { Gold = r.Gold, Guess = r.Guess }));
        var keys = Ml.Data.LoadFromEnumerable(Tags.Select(t => new TagValue { Tag = t }));
        var pipeline = Ml.Transforms.Text.TokenizeIntoWords("Label", "Gold")
            .Append(Ml.Transforms.Text.TokenizeIntoWords("PredictedLabel", "Guess"))
            .Append(Ml.Transforms.Conversion.MapValueToKey("Label", keyData: keys))
            .Append(Ml.Transforms.Conversion.MapValueToKey("PredictedLabel", keyData: keys));
        return pipeline.Fit(data).Transform(data);
    }

    [TestMethod]
    public void ScoresKeyVectorsLikeTheStringFunction()
    {
        // The hand-worked example of SpanMetricsTests.TokenScoresPerTagAndAverages; "X" is not a tag, so the second
        // sentence's last prediction is the missing key and counts as wrong.
        var m = Ml.MulticlassClassification.EvaluateSequence(Scored(("B-LOC I-LOC O O", "B-LOC O O B-PER"), ("O B-PER", "O X")));
        Assert.AreEqual(2, m.Sequences);
        Assert.AreEqual(6, m.Tokens);
        Assert.AreEqual(1, m.MissingPredictions);
        Assert.AreEqual(0.5, m.TokenAccuracy, 1e-12);
        CollectionAssert.AreEqual(Tags, m.PerTag.Select(t => t.Name).ToArray());
        Assert.AreEqual(0.4, m.MicroF1, 1e-12);
        Assert.AreEqual(1.0 / 3, m.MacroF1, 1e-12);
        Assert.AreEqual((2L, 2L, 0L), (m.Spans.GoldSpans, m.Spans.PredictedSpans, m.Spans.CorrectSpans));

        // Gold LOC[0..1] and PER[1..1], both predicted: span F1 1, every token right.
        m = Ml.MulticlassClassification.EvaluateSequence(Scored(("B-LOC I-LOC O O", "B-LOC I-LOC O O"), ("O B-PER", "O B-PER")));
        Assert.AreEqual(1.0, m.TokenAccuracy);
        Assert.AreEqual(1.0, m.Spans.F1);
    }

    [TestMethod]
    public void KnownSizeKeyVectorsWithMissingPredictedKeys()
    {
        // Three tokens per row as a known-size vector of keys; key 0 in the prediction is a missing prediction.
        var definition = SchemaDefinition.Create(typeof(KeyRow));
        foreach (string name in new[] { nameof(KeyRow.Label), nameof(KeyRow.PredictedLabel) })
        {
            definition[name].ColumnType = new VectorDataViewType(new KeyDataViewType(typeof(uint), Tags.Length), 3);
            var values = new VBuffer<ReadOnlyMemory<char>>(Tags.Length, Tags.Select(t => t.AsMemory()).ToArray());
            definition[name].AddAnnotation("KeyValues", values, new VectorDataViewType(TextDataViewType.Instance, Tags.Length));
        }
        // Keys: 1 B-LOC, 2 B-PER, 3 I-LOC, 4 O. Row 0: gold B-LOC I-LOC O, predicted B-LOC I-LOC (missing).
        // Row 1: gold O O B-PER, predicted O O B-PER.
        var data = Ml.Data.LoadFromEnumerable(
            [new KeyRow { Label = [1, 3, 4], PredictedLabel = [1, 3, 0] }, new KeyRow { Label = [4, 4, 2], PredictedLabel = [4, 4, 2] }],
            definition);
        var m = Ml.MulticlassClassification.EvaluateSequence(data);
        // 5 of 6 tokens right; the LOC span still ends before the third token in both: 2 of 2 spans right.
        Assert.AreEqual(5.0 / 6, m.TokenAccuracy, 1e-12);
        Assert.AreEqual(1, m.MissingPredictions);
        Assert.AreEqual((2L, 2L, 2L), (m.Spans.GoldSpans, m.Spans.PredictedSpans, m.Spans.CorrectSpans));
        // O: gold 3 times, predicted twice (the missing key is no prediction), right twice.
        var o = m.PerTag[3];
        Assert.AreEqual((3L, 2L, 2L), (o.GoldCount, o.PredictedCount, o.CorrectCount));
    }

    private sealed class KeyRow
    {
        public uint[] Label { get; set; } = [];
        public uint[] PredictedLabel { get; set; } = [];
    }

    [TestMethod]
    public void RowsOfDifferentLengthsAreNamed()
    {
        var data = Scored(("O O", "O O"), ("B-LOC I-LOC O", "B-LOC O"));
        var e = Assert.Throws<InvalidDataException>(() => Ml.MulticlassClassification.EvaluateSequence(data));
        StringAssert.Contains(e.Message, "Row 1");
        StringAssert.Contains(e.Message, "3 tags in the label column 'Label'");
        StringAssert.Contains(e.Message, "2 in the predicted label column 'PredictedLabel'");
    }

    [TestMethod]
    public void MissingGoldKeysAreAnError()
    {
        var data = Scored(("O O", "O O"), ("O B-ORG", "O O"));
        var e = Assert.Throws<InvalidDataException>(() => Ml.MulticlassClassification.EvaluateSequence(data));
        StringAssert.Contains(e.Message, "Row 1");
        StringAssert.Contains(e.Message, "step 1");
        StringAssert.Contains(e.Message, "'Label'");
    }

    [TestMethod]
    public void ColumnsMustBeKeyVectorsWithTheSameKeys()
    {
        var data = Scored(("O B-LOC", "O B-LOC"));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ml.MulticlassClassification.EvaluateSequence(data, labelColumnName: "Tags"));
        StringAssert.Contains(e.Message, "'Tags'");
        StringAssert.Contains(e.Message, "'PredictedLabel'");

        // The tokenized text before MapValueToKey: a vector of text, not of keys.
        var text = Ml.Transforms.Text.TokenizeIntoWords("Words", "Gold").Fit(data).Transform(data);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Ml.MulticlassClassification.EvaluateSequence(text, labelColumnName: "Words"));
        StringAssert.Contains(e.Message, "'Words'");
        StringAssert.Contains(e.Message, "vector of keys");

        // Keys mapped independently (by first occurrence) differ from the label's keys.
        var raw = Ml.Data.LoadFromEnumerable([new TagRow { Gold = "O B-LOC", Guess = "B-LOC O" }]);
        var separate = Ml.Transforms.Text.TokenizeIntoWords("Label", "Gold")
            .Append(Ml.Transforms.Text.TokenizeIntoWords("PredictedLabel", "Guess"))
            .Append(Ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(Ml.Transforms.Conversion.MapValueToKey("PredictedLabel"));
        var mismatched = separate.Fit(raw).Transform(raw);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Ml.MulticlassClassification.EvaluateSequence(mismatched));
        StringAssert.Contains(e.Message, "Key 1 is 'O'");
        StringAssert.Contains(e.Message, "'B-LOC'");
    }
}

namespace MLExtensions.Tests;

/// <summary>
/// Span precision, recall and F1 against values worked out by hand from the CoNLL evaluation script's rules: a span
/// counts only when type, first and last token all match; I- after O or after another type opens a span; B- after
/// B-/I- of the same type closes one span and opens the next; every sequence ends its spans.
/// </summary>
[TestClass]
public sealed class SpanMetricsTests
{
    private static string[] T(string tags) => tags.Split(' ');

    private static string?[] P(string tags) => tags.Split(' ').Select(t => t == "-" ? null : t).ToArray();

    // Each case: gold tags, predicted tags ("-" is a missing prediction), and the spans counted by hand as
    // (gold spans, predicted spans, correct spans).
    private static readonly (string Name, string Gold, string Predicted, int GoldSpans, int PredictedSpans, int Correct)[] Cases =
    [
        // PER[0..1] and LOC[3] in both: 2 correct.
        ("exact match", "B-PER I-PER O B-LOC", "B-PER I-PER O B-LOC", 2, 2, 2),
        // Gold PER[0..1], predicted PER[0..0]: same start, different end.
        ("prediction too short", "B-PER I-PER O", "B-PER O O", 1, 1, 0),
        // Gold LOC[0..0], predicted LOC[0..1]: same start, different end.
        ("prediction too long", "B-LOC O O", "B-LOC I-LOC O", 1, 1, 0),
        // Gold PER[1..2], predicted PER[0..1]: overlapping, neither end matches.
        ("shifted overlap", "O B-PER I-PER", "B-PER I-PER O", 1, 1, 0),
        // Same boundaries, wrong type.
        ("type mismatch", "B-PER I-PER", "B-ORG I-ORG", 1, 1, 0),
        // Predicted I-PER after O opens PER[0..1], which matches the gold B-PER I-PER span.
        ("I- without B- in the prediction", "B-PER I-PER O", "I-PER I-PER O", 1, 1, 1),
        // Gold I-LOC after O opens LOC[1..2]; the prediction writes it in IOB2.
        ("I- without B- in the gold tags", "O I-LOC I-LOC", "O B-LOC I-LOC", 1, 1, 1),
        // Gold: I-LOC after B-PER changes type, so PER[0..0] and LOC[1..1]; predicted PER[0..1]. The prediction's
        // PER starts with the gold PER but ends one token later: nothing correct.
        ("I- of another type after B-", "B-PER I-LOC", "B-PER I-PER", 2, 1, 0),
        // Gold B-LOC B-LOC is two one-token spans; predicted B-LOC I-LOC is one span of two tokens.
        ("B- after B- of the same type", "B-LOC B-LOC", "B-LOC I-LOC", 2, 1, 0),
        // DATE[1..2] runs to the last token; the end of the sequence closes it: correct.
        ("span at the end of the sentence", "O B-DATE I-DATE", "O B-DATE I-DATE", 1, 1, 1),
        // Gold TIME[2..2] at the end, predicted one token too early.
        ("span at the end, predicted too early", "O O B-TIME", "O B-TIME O", 1, 1, 0),
        // No spans at all.
        ("all O", "O O O", "O O O", 0, 0, 0),
        // A spurious span where the gold sentence is all O.
        ("spurious span in an all-O sentence", "O O", "B-LOC O", 0, 1, 0),
        // IOB1 (I- opens a span, B- only right after a span of the same type) against IOB2: PER[0..1] and PER[2..2]
        // in both readings.
        ("IOB1 prediction against IOB2 gold", "B-PER I-PER B-PER", "I-PER I-PER B-PER", 2, 2, 2),
        // A missing prediction counts as O: predicted PER[0..0] against gold PER[0..1].
        ("missing prediction inside a span", "B-PER I-PER", "B-PER -", 1, 1, 0),
        // Predicted ORG[0..0], PER[1..1], ORG[2..2]: three spans against gold ORG[0..2].
        ("type change inside a span", "B-ORG I-ORG I-ORG", "B-ORG I-PER I-ORG", 1, 3, 0),
    ];

    [TestMethod]
    public void EachCaseCountsTheSpansWorkedOutByHand()
    {
        foreach (var c in Cases)
        {
            var m = SequenceMetrics.Compute([(T(c.Gold), P(c.Predicted))]).Spans;
            Assert.AreEqual(c.GoldSpans, m.GoldSpans, $"{c.Name}: gold spans");
            Assert.AreEqual(c.PredictedSpans, m.PredictedSpans, $"{c.Name}: predicted spans");
            Assert.AreEqual(c.Correct, m.CorrectSpans, $"{c.Name}: correct spans");
            // With one sequence the ratios follow from the counts; 0 when a denominator is 0, as conlleval prints.
            double precision = c.PredictedSpans == 0 ? 0 : (double)c.Correct / c.PredictedSpans;
            double recall = c.GoldSpans == 0 ? 0 : (double)c.Correct / c.GoldSpans;
            Assert.AreEqual(precision, m.Precision, 1e-12, $"{c.Name}: precision");
            Assert.AreEqual(recall, m.Recall, 1e-12, $"{c.Name}: recall");
        }
    }

    [TestMethod]
    public void TheWholeTableScoresAsOneCorpus()
    {
        var m = SequenceMetrics.Compute(Cases.Select(c => (T(c.Gold), P(c.Predicted)))).Spans;
        // Gold spans: 2+1+1+1+1+1+1+2+2+1+1+0+0+2+1+1 = 18.
        // Predicted:  2+1+1+1+1+1+1+1+1+1+1+0+1+2+1+3 = 19.
        // Correct:    2+0+0+0+0+1+1+0+0+1+0+0+0+2+0+0 = 7.
        Assert.AreEqual(18, m.GoldSpans);
        Assert.AreEqual(19, m.PredictedSpans);
        Assert.AreEqual(7, m.CorrectSpans);
        Assert.AreEqual(7.0 / 19, m.Precision, 1e-12);     // 0.368421…
        Assert.AreEqual(7.0 / 18, m.Recall, 1e-12);        // 0.388889…
        // F1 = 2PR/(P+R) = 2·7/(19+18) = 14/37 = 0.378378…
        Assert.AreEqual(14.0 / 37, m.F1, 1e-12);
    }

    [TestMethod]
    public void SpansDoNotRunAcrossSequences()
    {
        // LOC at the end of the first sentence and I-LOC at the start of the second: two spans, not one.
        var m = SequenceMetrics.Compute([(T("O B-LOC"), P("O B-LOC")), (T("I-LOC O"), P("I-LOC O"))]).Spans;
        Assert.AreEqual(2, m.GoldSpans);
        Assert.AreEqual(2, m.CorrectSpans);
        Assert.AreEqual(1.0, m.F1, 1e-12);

        // Predicting the second sentence's span as B-LOC changes nothing: it starts a span either way.
        m = SequenceMetrics.Compute([(T("O B-LOC"), P("O B-LOC")), (T("I-LOC O"), P("B-LOC O"))]).Spans;
        Assert.AreEqual(2, m.CorrectSpans);
    }

    [TestMethod]
    public void SpanTypesAreScoredSeparately()
    {
        // Gold: PER[0..1], LOC[3..3], LOC[5..6]. Predicted: PER[0..1], ORG[3..3], LOC[5..5].
        var m = SequenceMetrics.Compute([(T("B-PER I-PER O B-LOC O B-LOC I-LOC"), P("B-PER I-PER O B-ORG O B-LOC O"))]).Spans;
        CollectionAssert.AreEqual(new[] { "LOC", "ORG", "PER" }, m.PerType.Select(t => t.Name).ToArray());
        var loc = m.PerType[0];
        var org = m.PerType[1];
        var per = m.PerType[2];
        // LOC: gold 2, predicted 1 (LOC[5..5]), correct 0.
        Assert.AreEqual((2L, 1L, 0L), (loc.GoldCount, loc.PredictedCount, loc.CorrectCount));
        Assert.AreEqual(0.0, loc.F1);
        // ORG: gold 0, predicted 1, correct 0: precision 0, recall 0 (no gold ORG).
        Assert.AreEqual((0L, 1L, 0L), (org.GoldCount, org.PredictedCount, org.CorrectCount));
        // PER: 1 of 1 both ways.
        Assert.AreEqual((1L, 1L, 1L), (per.GoldCount, per.PredictedCount, per.CorrectCount));
        Assert.AreEqual(1.0, per.F1, 1e-12);
        // Overall: correct 1 of 3 predicted and of 3 gold: P = R = F1 = 1/3.
        Assert.AreEqual(1.0 / 3, m.F1, 1e-12);
    }

    [TestMethod]
    public void EndTagsAndBracketsFollowTheScript()
    {
        // IOE: E-NP closes a span, I-NP after E-NP opens one. Gold NP[0..1], NP[2..2]; predicted NP[0..2] (no E- to
        // close it before the last token).
        var m = SequenceMetrics.Compute([(T("I-NP E-NP E-NP"), P("I-NP I-NP E-NP"))]).Spans;
        Assert.AreEqual((2L, 1L, 0L), (m.GoldSpans, m.PredictedSpans, m.CorrectSpans));

        // Brackets: [ and ] make one-token spans. Gold [-NP ]-NP is two spans, predicted the same: 2 correct.
        m = SequenceMetrics.Compute([(T("[-NP ]-NP O"), P("[-NP ]-NP O"))]).Spans;
        Assert.AreEqual((2L, 2L, 2L), (m.GoldSpans, m.PredictedSpans, m.CorrectSpans));
    }

    [TestMethod]
    public void TokenScoresPerTagAndAverages()
    {
        // Sentence 1: gold B-LOC I-LOC O O, predicted B-LOC O O B-PER.
        // Sentence 2: gold O B-PER, predicted O and a missing prediction.
        var data = new (string[], string?[])[] { (T("B-LOC I-LOC O O"), P("B-LOC O O B-PER")), (T("O B-PER"), P("O -")) };
        var m = SequenceMetrics.Compute(data);

        // Right: B-LOC, the first O of sentence 1, the O of sentence 2: 3 of 6 tokens.
        Assert.AreEqual(6, m.Tokens);
        Assert.AreEqual(2, m.Sequences);
        Assert.AreEqual(1, m.MissingPredictions);
        Assert.AreEqual(0.5, m.TokenAccuracy, 1e-12);

        // Tags in ordinal order. B-LOC: 1/1. B-PER: predicted once (wrongly), gold once (missed). I-LOC: never
        // predicted. O: predicted 3 times (2 right), gold 3 times (2 found): 2/3 both ways.
        CollectionAssert.AreEqual(new[] { "B-LOC", "B-PER", "I-LOC", "O" }, m.PerTag.Select(t => t.Name).ToArray());
        Assert.AreEqual((1.0, 1.0, 1.0), (m.PerTag[0].Precision, m.PerTag[0].Recall, m.PerTag[0].F1));
        Assert.AreEqual((0.0, 0.0, 0.0), (m.PerTag[1].Precision, m.PerTag[1].Recall, m.PerTag[1].F1));
        Assert.AreEqual((0L, 1L), (m.PerTag[2].PredictedCount, m.PerTag[2].GoldCount));
        Assert.AreEqual(2.0 / 3, m.PerTag[3].Precision, 1e-12);
        Assert.AreEqual(2.0 / 3, m.PerTag[3].Recall, 1e-12);

        // Micro without O: gold 3 (B-LOC, I-LOC, B-PER), predicted 2 (B-LOC, B-PER), correct 1.
        // P = 1/2, R = 1/3, F1 = 2·1/(3+2) = 2/5.
        Assert.AreEqual(0.5, m.MicroPrecision, 1e-12);
        Assert.AreEqual(1.0 / 3, m.MicroRecall, 1e-12);
        Assert.AreEqual(0.4, m.MicroF1, 1e-12);
        // Macro without O over B-LOC, B-PER, I-LOC: P = (1+0+0)/3, R = (1+0+0)/3, F1 = (1+0+0)/3.
        Assert.AreEqual(1.0 / 3, m.MacroPrecision, 1e-12);
        Assert.AreEqual(1.0 / 3, m.MacroRecall, 1e-12);
        Assert.AreEqual(1.0 / 3, m.MacroF1, 1e-12);

        // Spans: gold LOC[0..1] and PER[1..1] of sentence 2; predicted LOC[0..0] and PER[3..3]: none correct.
        Assert.AreEqual((2L, 2L, 0L), (m.Spans.GoldSpans, m.Spans.PredictedSpans, m.Spans.CorrectSpans));

        // A given tag set fixes the order; a tag that never occurs (I-PER) is listed but left out of the macro mean.
        m = SequenceMetrics.Compute(data, ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"]);
        CollectionAssert.AreEqual(new[] { "O", "B-LOC", "I-LOC", "B-PER", "I-PER" }, m.PerTag.Select(t => t.Name).ToArray());
        Assert.AreEqual((0L, 0L), (m.PerTag[4].GoldCount, m.PerTag[4].PredictedCount));
        Assert.AreEqual(1.0 / 3, m.MacroF1, 1e-12);
    }

    [TestMethod]
    public void BadSequencesAreNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => SequenceMetrics.Compute([(T("O O"), P("O O")), (T("B-LOC I-LOC O"), P("B-LOC O"))]));
        StringAssert.Contains(e.Message, "Sequence 1");
        StringAssert.Contains(e.Message, "3 gold tags");
        StringAssert.Contains(e.Message, "2 predicted tags");

        e = Assert.Throws<ArgumentException>(() => SequenceMetrics.Compute([(T("O B-LOC"), P("O B-LCO"))], ["O", "B-LOC", "I-LOC"]));
        StringAssert.Contains(e.Message, "'B-LCO'");
        StringAssert.Contains(e.Message, "step 1");

        e = Assert.Throws<ArgumentException>(() => SequenceMetrics.Compute([(T("O"), (string?[])null!)]));
        StringAssert.Contains(e.Message, "Sequence 0");
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

[TestClass]
public sealed class RnnTrainerTests
{
    public sealed class TextRow
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }

    /// <summary>Words from two character Markov chains ("lang-a" alternates consonant-vowel, "lang-b" clusters consonants), lengths 3–12.</summary>
    internal static TextRow[] Words(int count, int seed)
    {
        var random = new Random(seed);
        const string vowels = "aeiou", consonants = "bcdfghklmnprstvz";
        var rows = new TextRow[count];
        for (int i = 0; i < count; i++)
        {
            bool a = random.Next(2) == 0;
            int length = random.Next(3, 13);
            var chars = new char[length];
            for (int j = 0; j < length; j++)
            {
                bool vowel = a ? (j % 2 == 1) ^ (random.NextDouble() < 0.15) : random.NextDouble() < 0.25;
                chars[j] = vowel ? vowels[random.Next(vowels.Length)] : consonants[random.Next(a ? 8 : consonants.Length)];
            }
            rows[i] = new TextRow { Text = new string(chars), Label = a ? "lang-a" : "lang-b" };
        }
        return rows;
    }

    private static IEstimator<ITransformer> Featurize(MLContext ml) =>
        ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Features", "Text", useMarkerCharacters: false)
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"));

    [TestMethod]
    [DataRow(RnnCell.Lstm)]
    [DataRow(RnnCell.Gru)]
    [DataRow(RnnCell.Rnn)]
    public void RecurrentCellsLearnWhichLanguageAWordComesFrom(RnnCell cell)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Words(1500, 1));
        var test = ml.Data.LoadFromEnumerable(Words(500, 2));
        var featurizer = Featurize(ml).Fit(train);
        using var model = ml.MulticlassClassification.Trainers.TorchRnn(new RnnOptions
        {
            Cell = cell, HiddenSize = 32, EmbeddingSize = 16, Epochs = 8, LearningRate = 5e-3, Device = TorchDevice.Cpu,
        }).Fit(featurizer.Transform(train));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(featurizer.Transform(test)));
        Assert.IsTrue(metrics.MicroAccuracy >= 0.9, $"{cell}: held-out accuracy {metrics.MicroAccuracy:F4} (chance 0.5)");
    }

    /// <summary>The shipped names set (data/names/&lt;language&gt;.txt): characters as a compact key vocabulary.</summary>
    [TestMethod]
    [DataRow(RnnCell.Lstm)]
    [DataRow(RnnCell.Gru)]
    public void NamesByLanguageBeatChanceAndABagOfCharacters(RnnCell cell)
    {
        var ml = new MLContext(seed: 1);
        var names = ml.Data.LoadFromTextFolder(Path.Combine(TestData.DataDirectory, "names"));
        var featurize = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Text.TokenizeIntoCharactersAsKeys("CharacterCodes", "Text", useMarkerCharacters: false))
            .Append(ml.Transforms.Conversion.MapKeyToValue("Characters", "CharacterCodes"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Characters"))
            .Append(ml.Transforms.Text.ProduceNgrams("BagOfCharacters", "Features", ngramLength: 1, useAllLengths: false));
        var split = ml.Data.TrainTestSplit(ml.Data.Cache(featurize.Fit(names).Transform(names)), 0.2, seed: 1);
        using var rnn = ml.MulticlassClassification.Trainers.TorchRnn(new RnnOptions
        {
            Cell = cell, HiddenSize = 32, EmbeddingSize = 16, Epochs = 12, LearningRate = 5e-3, Device = TorchDevice.Cpu,
        }).Fit(split.TrainSet);
        using var bag = ml.MulticlassClassification.Trainers.TorchSoftmaxRegression(new LinearOptions
        {
            FeatureColumnName = "BagOfCharacters", Epochs = 30, Device = TorchDevice.Cpu,
        }).Fit(split.TrainSet);
        var sequence = ml.MulticlassClassification.Evaluate(rnn.Transform(split.TestSet));
        var counts = ml.MulticlassClassification.Evaluate(bag.Transform(split.TestSet));
        Assert.IsTrue(sequence.MicroAccuracy >= 0.85, $"{cell}: held-out accuracy {sequence.MicroAccuracy:F4} (chance 0.2)");
        Assert.IsTrue(sequence.MicroAccuracy > counts.MicroAccuracy + 0.02, $"{cell} {sequence.MicroAccuracy:F4} vs bag of characters {counts.MicroAccuracy:F4}");
    }

    [TestMethod]
    public void TokenModelSavesAndLoadsWithIdenticalPredictions()
    {
        var ml = new MLContext(seed: 1);
        var rows = Words(300, 3);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = Featurize(ml).Append(ml.MulticlassClassification.Trainers.TorchRnn(new RnnOptions
        {
            Cell = RnnCell.Gru, Bidirectional = true, Layers = 2, HiddenSize = 8, Epochs = 2, Readout = SequenceReadout.Mean, Device = TorchDevice.Cpu,
        }));
        var model = pipeline.Fit(data);
        // Unseen characters (missing keys) and lengths never seen in training must work too.
        var probe = ml.Data.LoadFromEnumerable(rows.Take(20).Append(new TextRow { Text = "qqqxxyyjjwwqqqxxyyjjww", Label = "lang-a" }).ToArray());
        string zip = Path.Combine(Path.GetTempPath(), $"mlext-rnn-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, zip);
            var loaded = new MLContext().Model.Load(zip, out _);
            var before = model.Transform(probe).GetColumn<float[]>("Score").ToArray();
            var after = loaded.Transform(probe).GetColumn<float[]>("Score").ToArray();
            Assert.AreEqual(21, after.Length);
            for (int i = 0; i < before.Length; i++)
                CollectionAssert.AreEqual(before[i], after[i], $"row {i}");
            (loaded as IDisposable)?.Dispose();
        }
        finally
        {
            (model as IDisposable)?.Dispose();
            File.Delete(zip);
        }
    }

    public sealed class WindowRow
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    [TestMethod]
    public void ForecasterBeatsTheSeasonalNaiveBaseline()
    {
        // A noisy seasonal series (period 12) with a slow trend; predict the next value from the previous 24.
        var random = new Random(4);
        var series = Enumerable.Range(0, 1400).Select(t => (float)(Math.Sin(2 * Math.PI * t / 12) + 0.3 * Math.Sin(2 * Math.PI * t / 5) + t * 0.001 + 0.1 * (random.NextDouble() - 0.5))).ToArray();
        const int window = 24;
        var rows = Enumerable.Range(0, series.Length - window).Select(t => new WindowRow { Features = series[t..(t + window)], Label = series[t + window] }).ToArray();
        var ml = new MLContext(seed: 1);
        var definition = SchemaDefinition.Create(typeof(WindowRow));
        definition[nameof(WindowRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, window);
        var train = ml.Data.LoadFromEnumerable(rows[..1100], definition);
        var test = ml.Data.LoadFromEnumerable(rows[1100..], definition);
        using var model = ml.Regression.Trainers.TorchRnn(new RnnOptions
        {
            Cell = RnnCell.Lstm, HiddenSize = 32, StepSize = 1, Epochs = 15, LearningRate = 5e-3, Device = TorchDevice.Cpu,
        }).Fit(train);
        var metrics = ml.Regression.Evaluate(model.Transform(test));
        double naive = Math.Sqrt(rows[1100..].Average(r => Math.Pow(r.Label - r.Features[window - 12], 2)));
        Assert.IsTrue(metrics.RootMeanSquaredError < naive, $"LSTM RMSE {metrics.RootMeanSquaredError:F4} vs seasonal naive {naive:F4}");
    }

    [TestMethod]
    public void BadSequencesAreRejectedClearly()
    {
        var ml = new MLContext(seed: 1);
        var rows = Words(50, 5).Append(new TextRow { Text = "abcdefghijklmnopqrstuvwxyz", Label = "lang-a" }).ToArray();
        var data = Featurize(ml).Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        var e = Assert.Throws<InvalidDataException>(() => ml.MulticlassClassification.Trainers.TorchRnn(new RnnOptions { MaxSequenceLength = 20, Epochs = 1, Device = TorchDevice.Cpu }).Fit(data));
        StringAssert.Contains(e.Message, "row 50");
        StringAssert.Contains(e.Message, "MaxSequenceLength = 20");
        using var truncated = ml.MulticlassClassification.Trainers.TorchRnn(new RnnOptions { MaxSequenceLength = 20, TruncateLongSequences = true, Epochs = 1, Device = TorchDevice.Cpu }).Fit(data);

        var empty = rows.Append(new TextRow { Text = "", Label = "lang-b" }).ToArray();
        var emptyData = Featurize(ml).Fit(ml.Data.LoadFromEnumerable(empty)).Transform(ml.Data.LoadFromEnumerable(empty));
        e = Assert.Throws<InvalidDataException>(() => ml.MulticlassClassification.Trainers.TorchRnn(new RnnOptions { Epochs = 1, Device = TorchDevice.Cpu }).Fit(emptyData));
        StringAssert.Contains(e.Message, "empty sequence at row 51");

        var windows = ml.Data.LoadFromEnumerable([new WindowRow { Features = [1, 2, 3, 4, 5], Label = 1 }]);
        var ex = Assert.Throws<Exception>(() => ml.Regression.Trainers.TorchRnn(new RnnOptions { StepSize = 2, Epochs = 1, Device = TorchDevice.Cpu }).Fit(windows));
        StringAssert.Contains(ex.Message, "StepSize = 2");
    }
}

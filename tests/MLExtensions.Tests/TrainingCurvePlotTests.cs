using System.Xml.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Plots;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Series;

namespace MLExtensions.Tests;

[TestClass]
public sealed class TrainingCurvePlotTests
{
    /// <summary>12 epochs: the train loss falls, the validation loss is lowest at epoch 7, a warm-up then cosine learning rate.</summary>
    private static List<TorchEpochRecord> KnownHistory()
    {
        var history = new List<TorchEpochRecord>();
        for (int e = 1; e <= 12; e++)
        {
            double train = 2.0 * Math.Exp(-e / 4.0) + 0.1;
            double validation = 0.4 + 0.02 * (e - 7) * (e - 7);
            double accuracy = 0.5 + 0.04 * e;
            double rate = e <= 2 ? 0.005 * e : 0.005 * (1 + Math.Cos(Math.PI * (e - 2) / 10));
            history.Add(new TorchEpochRecord(e, train, validation, accuracy, "Accuracy", rate, 0.25));
        }
        return history;
    }

    [TestMethod]
    public void SeriesHoldTheHistoryAndTheBestEpochIsMarked()
    {
        var history = KnownHistory();
        var model = TrainingCurvePlot.Create(history, new TrainingCurveOptions { Title = "Known run" });

        Assert.AreEqual("Known run", model.Title);
        var series = model.Series.OfType<LineSeries>().ToDictionary(s => s.Title);
        CollectionAssert.AreEquivalent(new[] { "train loss", "validation loss", "validation accuracy", "learning rate" }, series.Keys.ToArray());
        CollectionAssert.AreEqual(history.Select(h => new DataPoint(h.Epoch, h.TrainLoss)).ToArray(), series["train loss"].Points.ToArray());
        CollectionAssert.AreEqual(history.Select(h => new DataPoint(h.Epoch, h.ValidationLoss!.Value)).ToArray(), series["validation loss"].Points.ToArray());
        CollectionAssert.AreEqual(history.Select(h => new DataPoint(h.Epoch, h.ValidationMetric!.Value)).ToArray(), series["validation accuracy"].Points.ToArray());
        CollectionAssert.AreEqual(history.Select(h => new DataPoint(h.Epoch, h.LearningRate)).ToArray(), series["learning rate"].Points.ToArray());
        Assert.AreEqual(TrainingCurvePlot.MetricAxisKey, series["validation accuracy"].YAxisKey, "the metric has its own axis");
        Assert.AreEqual(TrainingCurvePlot.LearningRateAxisKey, series["learning rate"].YAxisKey, "the learning rate has its own panel");

        Assert.AreEqual(7, TrainingCurvePlot.BestEpoch(history));
        var line = model.Annotations.OfType<LineAnnotation>().Single();
        Assert.AreEqual(7, line.X);
        StringAssert.Contains(line.Text, "best epoch 7");
        StringAssert.Contains(model.Subtitle, "epoch 7");
        var axisTitles = model.Axes.Select(a => a.Title).ToArray();
        CollectionAssert.IsSubsetOf(new[] { "epoch", "loss", "validation accuracy", "learning rate" }, axisTitles);
    }

    [TestMethod]
    public void PngHasTheStatedSizeAndTheLinesWhereTheHistorySays()
    {
        var history = KnownHistory();
        var model = TrainingCurvePlot.Create(history);
        string path = PlotPixels.TempFile(".png");
        PlotFile.Save(model, path, 800, 560);
        using var bitmap = PlotPixels.Decode(path);
        Assert.AreEqual(800, bitmap.Width);
        Assert.AreEqual(560, bitmap.Height);

        var train = model.Series.OfType<LineSeries>().Single(s => s.Title == "train loss");
        var validation = model.Series.OfType<LineSeries>().Single(s => s.Title == "validation loss");
        var rate = model.Series.OfType<LineSeries>().Single(s => s.Title == "learning rate");
        foreach (var h in history)
        {
            var (x, y) = PlotPixels.ScreenPosition(model, TrainingCurvePlot.EpochAxisKey, TrainingCurvePlot.LossAxisKey, h.Epoch, h.TrainLoss);
            Assert.IsTrue(PlotPixels.HasColorNear(bitmap, x, y, train.Color), $"train loss of epoch {h.Epoch} not drawn at ({x}, {y})");
            (x, y) = PlotPixels.ScreenPosition(model, TrainingCurvePlot.EpochAxisKey, TrainingCurvePlot.LossAxisKey, h.Epoch, h.ValidationLoss!.Value);
            Assert.IsTrue(PlotPixels.HasColorNear(bitmap, x, y, validation.Color), $"validation loss of epoch {h.Epoch} not drawn at ({x}, {y})");
            (x, y) = PlotPixels.ScreenPosition(model, TrainingCurvePlot.EpochAxisKey, TrainingCurvePlot.LearningRateAxisKey, h.Epoch, h.LearningRate);
            Assert.IsTrue(PlotPixels.HasColorNear(bitmap, x, y, rate.Color), $"learning rate of epoch {h.Epoch} not drawn at ({x}, {y})");
        }

        // Where no series passes (the last epoch at the first epoch's train loss) the picture is not the train colour.
        var (ex, ey) = PlotPixels.ScreenPosition(model, TrainingCurvePlot.EpochAxisKey, TrainingCurvePlot.LossAxisKey, 12, history[0].TrainLoss);
        Assert.IsFalse(PlotPixels.HasColorNear(bitmap, ex, ey, train.Color, radius: 3), "train colour where the train loss is not");
        // The loss panel lies above the learning-rate panel.
        var (_, lossY) = PlotPixels.ScreenPosition(model, TrainingCurvePlot.EpochAxisKey, TrainingCurvePlot.LossAxisKey, 1, history.Min(h => h.TrainLoss));
        var (_, rateY) = PlotPixels.ScreenPosition(model, TrainingCurvePlot.EpochAxisKey, TrainingCurvePlot.LearningRateAxisKey, 1, history.Max(h => h.LearningRate));
        Assert.IsTrue(lossY < rateY, $"loss panel bottom {lossY} is below the learning-rate panel top {rateY}");
    }

    [TestMethod]
    public void SvgIsAnSvgDocumentWithTheTitleAndAxisLabels()
    {
        string path = PlotPixels.TempFile(".svg");
        KnownHistory().SavePlot(path, new TrainingCurveOptions { Title = "Known run", Width = 700, Height = 500 });
        var svg = XDocument.Load(path).Root!;
        Assert.AreEqual("svg", svg.Name.LocalName);
        Assert.AreEqual("700", svg.Attribute("width")?.Value);
        Assert.AreEqual("500", svg.Attribute("height")?.Value);
        var texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToArray();
        CollectionAssert.IsSubsetOf(new[] { "Known run", "epoch", "loss", "learning rate", "train loss", "validation loss" }, texts);
    }

    [TestMethod]
    public void WithoutValidationThereIsNoValidationSeriesAndNoBestEpoch()
    {
        var history = Enumerable.Range(1, 4).Select(e => new TorchEpochRecord(e, 1.0 / e, null, null, "RMSE", 0.01, 0.1)).ToList();
        var model = TrainingCurvePlot.Create(history);
        CollectionAssert.AreEqual(new[] { "train loss", "learning rate" }, model.Series.Select(s => s.Title).ToArray());
        Assert.AreEqual(0, model.Annotations.Count);
        Assert.IsFalse(model.Axes.Any(a => a.Key == TrainingCurvePlot.MetricAxisKey));
        Assert.IsNull(TrainingCurvePlot.BestEpoch(history));
    }

    [TestMethod]
    public void LossesSpanningOrdersOfMagnitudeGetALogarithmicAxisThatStillPlacesThePoints()
    {
        // A first-epoch MSE of 100 falling to 0.5: on a linear axis every later epoch would sit on the floor.
        var history = Enumerable.Range(1, 8).Select(e => new TorchEpochRecord(e, 100 * Math.Pow(0.47, e - 1), null, null, "RMSE", 0.01, 0.1)).ToList();
        var model = TrainingCurvePlot.Create(history);
        var axis = model.Axes.Single(a => a.Key == TrainingCurvePlot.LossAxisKey);
        Assert.IsInstanceOfType<OxyPlot.Axes.LogarithmicAxis>(axis);
        Assert.AreEqual("loss (log scale)", axis.Title);
        Assert.IsInstanceOfType<OxyPlot.Axes.LinearAxis>(TrainingCurvePlot.Create(history, new TrainingCurveOptions { LossScale = PlotScale.Linear })
            .Axes.Single(a => a.Key == TrainingCurvePlot.LossAxisKey));

        string path = PlotPixels.TempFile(".png");
        PlotFile.Save(model, path, 600, 400);
        using var bitmap = PlotPixels.Decode(path);
        var train = model.Series.OfType<LineSeries>().Single(s => s.Title == "train loss");
        int previousY = int.MinValue;
        foreach (var h in history)
        {
            var (x, y) = PlotPixels.ScreenPosition(model, TrainingCurvePlot.EpochAxisKey, TrainingCurvePlot.LossAxisKey, h.Epoch, h.TrainLoss);
            Assert.IsTrue(PlotPixels.HasColorNear(bitmap, x, y, train.Color), $"epoch {h.Epoch} at ({x}, {y})");
            if (previousY != int.MinValue)
                Assert.AreEqual(y - previousY, PlotPixels.ScreenPosition(model, TrainingCurvePlot.EpochAxisKey, TrainingCurvePlot.LossAxisKey, 2, history[1].TrainLoss).Y
                    - PlotPixels.ScreenPosition(model, TrainingCurvePlot.EpochAxisKey, TrainingCurvePlot.LossAxisKey, 1, history[0].TrainLoss).Y, 1.5,
                    "a constant factor per epoch is a constant step on a log axis");
            previousY = y;
        }
    }

    [TestMethod]
    public void BadInputIsRejectedWithAClearMessage()
    {
        var empty = Assert.ThrowsExactly<ArgumentException>(() => TrainingCurvePlot.Create([]));
        StringAssert.Contains(empty.Message, "empty");
        var extension = Assert.ThrowsExactly<ArgumentException>(() => KnownHistory().SavePlot(PlotPixels.TempFile(".jpg")));
        StringAssert.Contains(extension.Message, ".png or .svg");
    }

    [TestMethod]
    public void TheMarkedEpochIsTheOneATrainerRestores()
    {
        var ml = new MLContext(seed: 1);
        var (train, validation) = TestData.Split(ml, TestData.Load(ml, "linear.csv", DataKind.Single));
        // The learning rate grows 2.5x per epoch: SGD first converges, then diverges, and early stopping restores the best epoch.
        using var model = ml.Regression.Trainers.TorchLinearRegression(new LinearOptions
        {
            Optimizer = TorchOptimizer.Sgd, LearningRate = 0.01, LearningRateSchedule = LearningRateSchedule.Exponential,
            LearningRateDecay = 2.5, Epochs = 30, BatchSize = 16, ValidationSet = validation, EarlyStoppingPatience = 3, Device = TorchDevice.Cpu,
        }).Fit(train);

        // The restored weights give the validation MSE of the marked epoch.
        int best = TrainingCurvePlot.BestEpoch(model.History)!.Value;
        double mse = ml.Regression.Evaluate(model.Transform(validation)).MeanSquaredError;
        Assert.AreEqual(model.History[best - 1].ValidationLoss!.Value, mse, 1e-4 * Math.Max(1, mse));
        var plot = TrainingCurvePlot.Create(model.History);
        Assert.AreEqual(best, plot.Annotations.OfType<LineAnnotation>().Single().X);
        CollectionAssert.AreEqual(model.History.Select(h => h.TrainLoss).ToArray(),
            plot.Series.OfType<LineSeries>().Single(s => s.Title == "train loss").Points.Select(p => p.Y).ToArray());
    }
}

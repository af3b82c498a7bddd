using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

[TestClass]
public sealed class CnnTrainerTests
{
    private static CnnOptions Options(CnnArchitecture architecture, int epochs) => new()
    {
        ImageHeight = ImageData.Size, ImageWidth = ImageData.Size, ImageChannels = 3, Architecture = architecture,
        Epochs = epochs, BatchSize = 32, LearningRate = 2e-3, Device = TorchDevice.Cpu,
    };

    [TestMethod]
    public void LeNetClassifiesTheShapesAndBeatsSoftmaxRegression()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = ImageData.Shapes(ml);
        using var lenet = ml.MulticlassClassification.Trainers.TorchCnn(Options(CnnArchitecture.LeNet, 25)).Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(lenet.Transform(test));
        using var softmax = ml.MulticlassClassification.Trainers.TorchSoftmaxRegression(new LinearOptions { Epochs = 25, LearningRate = 2e-3, Device = TorchDevice.Cpu }).Fit(train);
        var linear = ml.MulticlassClassification.Evaluate(softmax.Transform(test));
        Assert.IsTrue(metrics.MicroAccuracy >= 0.95, $"LeNet held-out accuracy {metrics.MicroAccuracy:F4}");
        Assert.IsTrue(metrics.MicroAccuracy > linear.MicroAccuracy + 0.05, $"LeNet {metrics.MicroAccuracy:F4} vs softmax regression {linear.MicroAccuracy:F4}");
    }

    [TestMethod]
    [DataRow(CnnArchitecture.ConvStack)]
    [DataRow(CnnArchitecture.ResNet)]
    [DataRow(CnnArchitecture.Inception)]
    public void OtherArchitecturesTrainAndReduceTheLoss(CnnArchitecture architecture)
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = ImageData.Shapes(ml);
        var options = Options(architecture, 6);
        options.LearningRate = 3e-3;
        options.ResNetBlocks = [1, 1];
        options.ResNetWidth = 16;
        options.InceptionWidth = 16;
        options.ConvLayers = [new ConvLayer(8, 5) { BatchNorm = true }, new ConvLayer(16, 3), new ConvLayer(16, 3, pooling: Pooling.Average)];
        using var model = ml.MulticlassClassification.Trainers.TorchCnn(options).Fit(train);
        Assert.IsTrue(model.History[^1].TrainLoss < model.History[0].TrainLoss * 0.9,
            string.Join(", ", model.History.Select(h => h.TrainLoss.ToString("F4"))));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.MicroAccuracy > 0.4, $"{architecture}: held-out accuracy {metrics.MicroAccuracy:F4} (chance is about 0.25)");
    }

    [TestMethod]
    public void ImageRegressionScoresTheShapeSize()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = ImageData.ShapeSizes(ml);
        var options = Options(CnnArchitecture.LeNet, 30);
        using var model = ml.Regression.Trainers.TorchCnn(options).Fit(train);
        var metrics = ml.Regression.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.RSquared >= 0.8, $"R² {metrics.RSquared:F4}, RMSE {metrics.RootMeanSquaredError:F4}");
    }

    [TestMethod]
    public void WholeImagePipelineSavesAndLoadsWithIdenticalPredictions()
    {
        var ml = new MLContext(seed: 1);
        var files = ImageData.ShapeFiles(ml);
        string folder = Path.Combine(TestData.DataDirectory, "shapes");
        var pipeline = ImageData.Pixels(ml, folder)
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.TorchCnn(Options(CnnArchitecture.LeNet, 2)))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));
        var sample = ml.Data.TakeRows(files, 40);
        var model = pipeline.Fit(ml.Data.TakeRows(files, 200));
        string zip = Path.Combine(Path.GetTempPath(), $"mlext-cnn-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, files.Schema, zip);
            var loaded = new MLContext().Model.Load(zip, out _);
            var before = model.Transform(sample);
            var after = loaded.Transform(sample);
            CollectionAssert.AreEqual(before.GetColumn<float[]>("Score").SelectMany(s => s).ToArray(), after.GetColumn<float[]>("Score").SelectMany(s => s).ToArray());
            CollectionAssert.AreEqual(
                before.GetColumn<ReadOnlyMemory<char>>("PredictedClass").Select(v => v.ToString()).ToArray(),
                after.GetColumn<ReadOnlyMemory<char>>("PredictedClass").Select(v => v.ToString()).ToArray());
            (loaded as IDisposable)?.Dispose();
        }
        finally
        {
            (model as IDisposable)?.Dispose();
            File.Delete(zip);
        }
    }

    [TestMethod]
    [DataRow(CnnArchitecture.LeNet)]
    [DataRow(CnnArchitecture.ConvStack)]
    [DataRow(CnnArchitecture.ResNet)]
    [DataRow(CnnArchitecture.Inception)]
    public void EveryArchitectureRoundTripsForClassificationAndRegression(CnnArchitecture architecture)
    {
        var ml = new MLContext(seed: 1);
        var (train, _) = ImageData.Shapes(ml);
        var (sizes, _) = ImageData.ShapeSizes(ml);
        var options = Options(architecture, 1);
        options.ResNetBlocks = [1, 1];
        options.ResNetWidth = 4;
        options.InceptionWidth = 4;
        options.ConvLayers = [new ConvLayer(4, 3) { BatchNorm = true }, new ConvLayer(4, 3, pooling: Pooling.Average)];
        var small = ml.Data.TakeRows(train, 64);
        var smallSizes = ml.Data.TakeRows(sizes, 64);
        using var classifier = ml.MulticlassClassification.Trainers.TorchCnn(options).Fit(small);
        using var regressor = ml.Regression.Trainers.TorchCnn(options).Fit(smallSizes);
        foreach (var (model, data, column) in new[] { (classifier, small, "Score"), (regressor, smallSizes, "Score") })
        {
            string zip = Path.Combine(Path.GetTempPath(), $"mlext-cnn-{architecture}-{Guid.NewGuid():N}.zip");
            try
            {
                ml.Model.Save(model, data.Schema, zip);
                var loaded = new MLContext().Model.Load(zip, out _);
                var before = model.Transform(data);
                var after = loaded.Transform(data);
                if (model.Task == "Regression")
                    CollectionAssert.AreEqual(before.GetColumn<float>(column).ToArray(), after.GetColumn<float>(column).ToArray(), $"{architecture} regression");
                else
                    CollectionAssert.AreEqual(before.GetColumn<float[]>(column).SelectMany(v => v).ToArray(), after.GetColumn<float[]>(column).SelectMany(v => v).ToArray(), $"{architecture} classification");
                (loaded as IDisposable)?.Dispose();
            }
            finally
            {
                File.Delete(zip);
            }
        }
    }

    [TestMethod]
    public void PixelVectorSizeMismatchesAreExplained()
    {
        var ml = new MLContext(seed: 1);
        var files = ml.Data.TakeRows(ImageData.ShapeFiles(ml), 20);
        string folder = Path.Combine(TestData.DataDirectory, "shapes");
        var gray = ImageData.Pixels(ml, folder, grayscale: true).Append(ml.Transforms.Conversion.MapValueToKey("Label"));
        var data = gray.Fit(files).Transform(files);
        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.TorchCnn(Options(CnnArchitecture.LeNet, 1)).Fit(data));
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "1024");
        StringAssert.Contains(e.Message, "3072");
        StringAssert.Contains(e.Message, "grayscale");

        var tooSmall = Options(CnnArchitecture.ConvStack, 1);
        tooSmall.ConvLayers = [new ConvLayer(4, 5), new ConvLayer(4, 5), new ConvLayer(4, 5), new ConvLayer(4, 5), new ConvLayer(4, 5), new ConvLayer(4, 5)];
        var color = ImageData.Pixels(ml, folder).Append(ml.Transforms.Conversion.MapValueToKey("Label"));
        e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.TorchCnn(tooSmall).Fit(color.Fit(files).Transform(files)));
        StringAssert.Contains(e.Message, "ConvStack layer 6");
        StringAssert.Contains(e.Message, "went below 1");
    }

    [TestMethod]
    public void MissingImageFileNamesThePath()
    {
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.LoadFromEnumerable(new[]
        {
            new ImageData.ImageRow { ImagePath = "circle/circle_000.png", Label = "circle" },
            new ImageData.ImageRow { ImagePath = "circle/no_such_image.png", Label = "square" },
        });
        var pipeline = ImageData.Pixels(ml, Path.Combine(TestData.DataDirectory, "shapes")).Append(ml.Transforms.Conversion.MapValueToKey("Label"));
        var data = pipeline.Fit(rows).Transform(rows);
        var e = Assert.Throws<Exception>(() => ml.MulticlassClassification.Trainers.TorchCnn(Options(CnnArchitecture.LeNet, 1)).Fit(data));
        StringAssert.Contains(e.ToString(), "no_such_image.png");
    }
}

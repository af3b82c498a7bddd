using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

/// <summary>
/// The TorchVision trainer end to end: fine-tuning ML.NET's ImageNet ResNet-18 on a few images, every backbone saved and
/// loaded with identical predictions, augmentation that changes training but never prediction, and its option checks.
/// </summary>
[TestClass]
public sealed class VisionTrainerTests
{
    private sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private static string Clutter => Path.Combine(TestData.DataDirectory, "shapes-in-clutter");

    /// <summary>data/shapes-in-clutter: the first <paramref name="train"/> files of each class for training, the next <paramref name="test"/> for testing.</summary>
    private static (IDataView Train, IDataView Test) ClutterSplit(MLContext ml, int train, int test)
    {
        var rows = Directory.GetDirectories(Clutter).OrderBy(d => d, StringComparer.Ordinal)
            .SelectMany(dir => Directory.GetFiles(dir, "*.png").OrderBy(f => f, StringComparer.Ordinal).Take(train + test)
                .Select((f, i) => (Index: i, Row: new ImageRow { ImagePath = Path.GetRelativePath(Clutter, f), Label = Path.GetFileName(dir) })))
            .ToArray();
        return (ml.Data.ShuffleRows(ml.Data.LoadFromEnumerable(rows.Where(r => r.Index < train).Select(r => r.Row)), seed: 1),
            ml.Data.LoadFromEnumerable(rows.Where(r => r.Index >= train).Select(r => r.Row)));
    }

    /// <summary>LoadImages → ResizeImages → ExtractPixels (0–255, ExtractPixels' defaults), the label as a key.</summary>
    private static IEstimator<ITransformer> Pixels(MLContext ml, string folder, int size) =>
        ml.Transforms.LoadImages("Image", folder, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", size, size))
            .Append(ml.Transforms.ExtractPixels("Features", "Image"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"));

    [TestMethod]
    public void FineTunedImageNetResNet18BeatsScratchAndFrozenFeaturesOnFortyImagesPerClass()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = ClutterSplit(ml, train: 40, test: 40);
        double Accuracy(ITransformer model) => ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
        TorchVisionOptions Options(bool pretrained) => new()
        {
            ImageHeight = 96, ImageWidth = 96, Backbone = VisionBackbone.ResNet18,
            Weights = pretrained ? PretrainedWeights.DnnImageFeaturizerResNet18() : null,
            FreezeBackboneEpochs = pretrained ? 2 : 0, BackboneLearningRateFactor = pretrained ? 0.1 : 1,
            Augmentation = new ImageAugmentation { HorizontalFlip = true, CropPadding = 12 },
            Epochs = 7, BatchSize = 16, LearningRate = 1e-3, Device = TorchDevice.Cpu,
        };

        var watch = Stopwatch.StartNew();
        var trainer = ml.MulticlassClassification.Trainers.TorchVision(Options(pretrained: true));
        var fineTuned = Pixels(ml, Clutter, 96).Append(trainer).Fit(train);
        double tuned = Accuracy(fineTuned);
        StringAssert.Contains(trainer.NetworkDescription, "ResNet18 (2-2-2-3) backbone with 132 tensors");
        StringAssert.Contains(trainer.NetworkDescription, "channels BGR, Sub [1, 3, 224, 224] (a mean image)");
        Console.WriteLine($"fine-tuned: {tuned:F3} ({watch.Elapsed.TotalSeconds:F0} s)");
        watch.Restart();
        var scratch = Pixels(ml, Clutter, 96).Append(ml.MulticlassClassification.Trainers.TorchVision(Options(pretrained: false))).Fit(train);
        double fromScratch = Accuracy(scratch);
        Console.WriteLine($"from scratch: {fromScratch:F3} ({watch.Elapsed.TotalSeconds:F0} s)");
        watch.Restart();
        var baseline = Pixels(ml, Clutter, 224)
            .Append(ml.Transforms.DnnFeaturizeImage("ImageNetFeatures", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn), "Features"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(featureColumnName: "ImageNetFeatures"))
            .Fit(train);
        double frozen = Accuracy(baseline);
        Console.WriteLine($"DnnFeaturizeImage(ResNet18) + LbfgsMaximumEntropy: {frozen:F3} ({watch.Elapsed.TotalSeconds:F0} s)");
        (fineTuned as IDisposable)?.Dispose();
        (scratch as IDisposable)?.Dispose();

        Assert.IsGreaterThanOrEqualTo(fromScratch + 0.15, tuned, $"fine-tuned {tuned:F3} vs from scratch {fromScratch:F3}");
        Assert.IsGreaterThan(frozen, tuned, $"fine-tuned {tuned:F3} vs frozen ImageNet features + linear {frozen:F3}");
    }

    [TestMethod]
    [DataRow(VisionBackbone.ResNet18)]
    [DataRow(VisionBackbone.ResNet34)]
    [DataRow(VisionBackbone.ResNet50)]
    [DataRow(VisionBackbone.MobileNetV2)]
    public void EveryBackboneSavesAndLoadsWithIdenticalPredictions(VisionBackbone backbone)
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = ClutterSplit(ml, train: 4, test: 2);
        var pipeline = Pixels(ml, Clutter, 32)
            .Append(ml.MulticlassClassification.Trainers.TorchVision(new TorchVisionOptions
            {
                ImageHeight = 32, ImageWidth = 32, Backbone = backbone, Epochs = 1, BatchSize = 8, Device = TorchDevice.Cpu,
                Augmentation = ImageAugmentation.Standard(),
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));
        var model = pipeline.Fit(train);
        string zip = Path.Combine(Path.GetTempPath(), $"mlext-vision-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, train.Schema, zip);
            var loaded = new MLContext().Model.Load(zip, out _);
            float[] Scores(ITransformer m) => m.Transform(test).GetColumn<float[]>("Score").SelectMany(s => s).ToArray();
            var before = Scores(model);
            Assert.HasCount(8 * 4, before);
            CollectionAssert.AreEqual(before, Scores(model), "the same input predicts the same twice");
            CollectionAssert.AreEqual(before, Scores(loaded), "the same after saving and loading");
            CollectionAssert.AreEqual(model.Transform(test).GetColumn<string>("PredictedClass").ToArray(),
                loaded.Transform(test).GetColumn<string>("PredictedClass").ToArray());
            Assert.AreEqual("TorchVision", loaded.GetNetwork().Metadata["trainer"]);
        }
        finally
        {
            (model as IDisposable)?.Dispose();
            File.Delete(zip);
        }
    }

    [TestMethod]
    public void AugmentationChangesTrainingButNotPredictionAndRepeatsWithTheSeed()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = ClutterSplit(ml, train: 6, test: 3);
        var data = Pixels(ml, Clutter, 32).Fit(train);
        var trainPixels = ml.Data.Cache(data.Transform(train));
        var testPixels = data.Transform(test);
        float[] FitAndScore(ImageAugmentation? augmentation)
        {
            using var model = ml.MulticlassClassification.Trainers.TorchVision(new TorchVisionOptions
            {
                ImageHeight = 32, ImageWidth = 32, Backbone = VisionBackbone.MobileNetV2, Epochs = 2, BatchSize = 8,
                Device = TorchDevice.Cpu, Augmentation = augmentation,
            }).Fit(trainPixels);
            var scores = model.Transform(testPixels).GetColumn<float[]>("Score").SelectMany(s => s).ToArray();
            CollectionAssert.AreEqual(scores, model.Transform(testPixels).GetColumn<float[]>("Score").SelectMany(s => s).ToArray(),
                "prediction is deterministic: no augmentation at prediction");
            return scores;
        }
        var augmented = FitAndScore(ImageAugmentation.Standard());
        CollectionAssert.AreEqual(augmented, FitAndScore(ImageAugmentation.Standard()), "a CPU run repeats with the same seed");
        Assert.IsFalse(augmented.SequenceEqual(FitAndScore(null)), "augmentation changed the training batches");
    }

    [TestMethod]
    public void BadOptionsAndInputsAreNamed()
    {
        var ml = new MLContext(seed: 1);
        var (train, _) = ClutterSplit(ml, train: 2, test: 0);
        var pixels = Pixels(ml, Clutter, 32).Fit(train).Transform(train);

        var size = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            ml.MulticlassClassification.Trainers.TorchVision(new TorchVisionOptions { ImageHeight = 64, ImageWidth = 64, Epochs = 1 }).Fit(pixels));
        StringAssert.Contains(size.Message, "3072 values per row");
        StringAssert.Contains(size.Message, "64×64 RGB images = 12288 values");

        var gray = ml.Transforms.LoadImages("Image", Clutter, "ImagePath").Append(ml.Transforms.ResizeImages("Image", 32, 32))
            .Append(ml.Transforms.ConvertToGrayscale("Image"))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator.ColorBits.Red))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label")).Fit(train).Transform(train);
        var grayError = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            ml.MulticlassClassification.Trainers.TorchVision(new TorchVisionOptions { ImageHeight = 32, ImageWidth = 32, Epochs = 1 }).Fit(gray));
        StringAssert.Contains(grayError.Message, "grayscale");

        var missing = Assert.ThrowsExactly<FileNotFoundException>(() => ml.MulticlassClassification.Trainers.TorchVision(new TorchVisionOptions
        {
            ImageHeight = 32, ImageWidth = 32, Epochs = 1, Weights = PretrainedWeights.FromStateDict("no-such-resnet18.pth"),
        }).Fit(pixels));
        StringAssert.Contains(missing.Message, "no-such-resnet18.pth");

        var init = Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.TorchVision(new TorchVisionOptions
        {
            ImageHeight = 32, ImageWidth = 32, Epochs = 1, Weights = PretrainedWeights.DnnImageFeaturizerResNet18(),
            WeightInitialization = WeightInitialization.Xavier,
        }).Fit(pixels));
        StringAssert.Contains(init.Message, "would overwrite the pretrained weights");

        var factor = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.TorchVision(new TorchVisionOptions
        {
            ImageHeight = 32, ImageWidth = 32, Epochs = 1, BackboneLearningRateFactor = 0,
        }).Fit(pixels));
        Assert.AreEqual(nameof(TorchVisionOptions.BackboneLearningRateFactor), factor.ParamName);
    }
}

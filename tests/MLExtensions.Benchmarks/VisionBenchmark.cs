using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Benchmarks;

/// <summary>
/// <c>vision</c>: the ImageFineTuning sample's data and split (data/shapes-in-clutter, TrainTestSplit 0.5, seed 1) —
/// ResNet-18 fine-tuned from ML.NET's ImageNet weights, the same network from scratch, and DnnFeaturizeImage(ResNet18)
/// + LbfgsMaximumEntropy, held-out accuracy; then the Fit time per epoch of ResNet-18 at 224×224 on the CPU (64 of those
/// images enlarged, batch 16, one epoch with the backbone frozen and two with everything training).
/// </summary>
internal sealed class VisionBenchmark(BenchmarkSettings settings)
{
    private const string Label = "Label";

    public int Run()
    {
        string root = FindData("shapes-in-clutter");
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromImageFolder(root);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.5, seed: 1);
        int epochs = settings.Quick ? 2 : 10;

        Console.WriteLine();
        Console.WriteLine($"Accuracy on the ImageFineTuning sample's split of data/shapes-in-clutter ({Count(split.TrainSet)} training, {Count(split.TestSet)} test images):");
        Console.WriteLine("| model | held-out accuracy | Fit (s) |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (name, pretrained) in new[] { ("ResNet-18 fine-tuned from ImageNet (96×96)", true), ("ResNet-18 from scratch (96×96)", false) })
        {
            var watch = Stopwatch.StartNew();
            var model = Pixels(ml, root, 96).Append(ml.MulticlassClassification.Trainers.TorchVision(Options(96, epochs, pretrained))).Fit(split.TrainSet);
            double seconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"| {name} | {Accuracy(ml, model, split.TestSet):F3} | {seconds:F1} |");
            (model as IDisposable)?.Dispose();
        }
        {
            var watch = Stopwatch.StartNew();
            var baseline = Pixels(ml, root, 224)
                .Append(ml.Transforms.DnnFeaturizeImage("ImageNetFeatures", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn), "Features"))
                .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(featureColumnName: "ImageNetFeatures"))
                .Fit(split.TrainSet);
            double seconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"| DnnFeaturizeImage(ResNet18) + LbfgsMaximumEntropy (224×224) | {Accuracy(ml, baseline, split.TestSet):F3} | {seconds:F1} |");
        }

        int rows = settings.Quick ? 16 : 64;
        var timing = ml.Data.TakeRows(split.TrainSet, rows);
        var pixels = ml.Data.Cache(Pixels(ml, root, 224).Fit(timing).Transform(timing));
        var options = Options(224, settings.Quick ? 2 : 3, pretrained: true);
        options.FreezeBackboneEpochs = 1;
        using var fitted = ml.MulticlassClassification.Trainers.TorchVision(options).Fit(pixels);
        Console.WriteLine();
        Console.WriteLine($"ResNet-18 Fit at 224×224 on the CPU, {rows} images, batch 16, {TorchSharp.torch.get_num_threads()} libtorch threads:");
        Console.WriteLine("| epoch | backbone | seconds | images / second |");
        Console.WriteLine("|---:|---|---:|---:|");
        foreach (var record in fitted.History)
            Console.WriteLine($"| {record.Epoch} | {(record.Epoch <= options.FreezeBackboneEpochs ? "frozen" : "training")} | {record.Seconds:F1} | {rows / record.Seconds:F1} |");
        return 0;
    }

    private static TorchVisionOptions Options(int size, int epochs, bool pretrained) => new()
    {
        ImageHeight = size, ImageWidth = size, Backbone = VisionBackbone.ResNet18,
        Weights = pretrained ? PretrainedWeights.DnnImageFeaturizerResNet18() : null,
        FreezeBackboneEpochs = pretrained ? 2 : 0, BackboneLearningRateFactor = pretrained ? 0.1 : 1,
        Augmentation = new ImageAugmentation { HorizontalFlip = true, CropPadding = size / 8 },
        Epochs = epochs, BatchSize = 16, LearningRate = 1e-3, Device = TorchDevice.Cpu,
        ValidationFraction = 0, EarlyStoppingPatience = 0, // every one of the few images trains
    };

    private static IEstimator<ITransformer> Pixels(MLContext ml, string root, int size) =>
        ml.Transforms.LoadImages("Image", root, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", size, size))
            .Append(ml.Transforms.ExtractPixels("Features", "Image"))
            .Append(ml.Transforms.Conversion.MapValueToKey(Label));

    private static double Accuracy(MLContext ml, ITransformer model, IDataView test) =>
        ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;

    private static long Count(IDataView data) => data.GetColumn<string>("ImagePath").LongCount();

    private static string FindData(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLExtensions.sln")))
                return Path.Combine(dir.FullName, "data", name);
        throw new DirectoryNotFoundException("MLExtensions.sln not found.");
    }
}

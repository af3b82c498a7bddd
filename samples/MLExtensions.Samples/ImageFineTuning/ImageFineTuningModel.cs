using System.Diagnostics;
using Microsoft.ML;
using MLExtensions.Samples.Common;
using static MLExtensions.Samples.Common.ConsoleHelper;

namespace MLExtensions.Samples.ImageFineTuning;

public partial class ImageFineTuningModel
{
    public static void Run()
    {
        PrintHeader("ImageFineTuning: small shapes on cluttered backgrounds, ~40 images per class, ImageNet ResNet-18 fine-tuned vs frozen features + linear");

        var mlContext = new MLContext(seed: 1);
        IDataView data = LoadData(mlContext, ImageFolder);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.5, seed: 1);

        // ResNet-18 is far larger than the other samples' networks: let libtorch use every core while it trains.
        int threads = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(Environment.ProcessorCount);
        ITransformer model, baseline;
        TimeSpan baselineTime;
        try
        {
            model = Train(mlContext, split.TrainSet);
            var watch = Stopwatch.StartNew();
            baseline = BuildBaselinePipeline(mlContext).Fit(split.TrainSet);
            baselineTime = watch.Elapsed;
        }
        finally
        {
            TorchSharp.torch.set_num_threads(threads);
        }

        PrintSection("Training");
        PrintTrainingSummary("TorchVision ResNet-18 (fine-tuned)", model.GetNetwork());
        Console.WriteLine(Invariant($"  DnnFeaturizeImage + LbfgsMaximumEntropy: fitted in {baselineTime.TotalSeconds:F1}s"));

        PrintSection("Test metrics");
        var metrics = Evaluate(mlContext, model, split.TestSet);
        PrintMulticlassMetrics(
            ("ResNet-18 fine-tuned", metrics),
            ("DnnFeaturizeImage + linear", Evaluate(mlContext, baseline, split.TestSet)));

        Save(mlContext, model, data.Schema, ModelPath);
        Console.WriteLine($"  Saved {SamplePaths.Relative(ModelPath)} and {SamplePaths.Relative(Path.ChangeExtension(ModelPath, ".onnx"))}");
        SamplePlots.SaveTrainingCurve(model, ModelPath, "ImageFineTuning: ResNet-18 fine-tuned from ImageNet weights");
        SamplePlots.SaveConfusionMatrix(metrics, model, split.TestSet, ModelPath, "ImageFineTuning: fine-tuned ResNet-18 on the test images");
        (model as IDisposable)?.Dispose();
        (baseline as IDisposable)?.Dispose();

        PrintSection("Consuming the saved model: two test images of each class, by path");
        Console.WriteLine("  image                      predicted   probabilities");
        var testImages = mlContext.Data.CreateEnumerable<ModelInput>(split.TestSet, reuseRowObject: false)
            .GroupBy(image => image.Label).SelectMany(images => images.Take(2));
        foreach (var image in testImages)
        {
            var input = new ModelInput { ImagePath = image.ImagePath };
            string predicted = Predict(input).PredictedLabel;
            string probabilities = string.Join(", ", PredictAllLabels(input).Take(2).Select(c => Invariant($"{c.Key} {c.Value:F3}")));
            Console.WriteLine($"  {image.ImagePath,-25}  {predicted,-9}   {probabilities}");
        }
    }
}

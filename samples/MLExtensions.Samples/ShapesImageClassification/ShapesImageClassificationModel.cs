using Microsoft.ML;
using MLExtensions.Samples.Common;
using static MLExtensions.Samples.Common.ConsoleHelper;

namespace MLExtensions.Samples.ShapesImageClassification;

public partial class ShapesImageClassificationModel
{
    public static void Run()
    {
        PrintHeader("ShapesImageClassification: circle, square, triangle or cross, TorchCnn (LeNet) vs TorchSoftmaxRegression");

        var mlContext = new MLContext(seed: 1);
        IDataView data = LoadData(mlContext, ImageFolder);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        ITransformer model = Train(mlContext, split.TrainSet);
        ITransformer baseline = BuildBaselinePipeline(mlContext).FitWithProgress(split.TrainSet);
        PrintSection("Training");
        PrintTrainingSummary("TorchCnn LeNet", model.GetNetwork());
        PrintTrainingSummary("TorchSoftmaxRegression", baseline.GetNetwork());

        PrintSection("Test metrics");
        var metrics = Evaluate(mlContext, model, split.TestSet);
        PrintMulticlassMetrics(
            ("TorchCnn LeNet", metrics),
            ("TorchSoftmaxRegression", Evaluate(mlContext, baseline, split.TestSet)));

        Save(mlContext, model, data.Schema, ModelPath);
        Console.WriteLine($"  Saved {SamplePaths.Relative(ModelPath)} and {SamplePaths.Relative(Path.ChangeExtension(ModelPath, ".onnx"))}");
        SamplePlots.SaveTrainingCurve(model, ModelPath, "ShapesImageClassification: TorchCnn (LeNet) training curve");
        SamplePlots.SaveConfusionMatrix(metrics, model, split.TestSet, ModelPath, "ShapesImageClassification: TorchCnn (LeNet) on the test images");
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

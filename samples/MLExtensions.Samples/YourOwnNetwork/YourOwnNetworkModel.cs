using Microsoft.ML;
using MLExtensions.Samples.Common;
using static MLExtensions.Samples.Common.ConsoleHelper;

namespace MLExtensions.Samples.YourOwnNetwork;

public partial class YourOwnNetworkModel
{
    public static void Run()
    {
        PrintHeader("YourOwnNetwork: a residual CNN written in TorchSharp (ShapesNet), trained by TorchModule on the shapes");

        var mlContext = new MLContext(seed: 1);
        IDataView data = LoadData(mlContext, ImageFolder);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        ITransformer model = Train(mlContext, split.TrainSet);
        PrintSection("Training");
        PrintTrainingSummary("TorchModule ShapesNet", model.GetNetwork());

        PrintSection("Test metrics");
        var metrics = Evaluate(mlContext, model, split.TestSet);
        PrintMulticlassMetrics(("TorchModule ShapesNet", metrics));

        Save(mlContext, model, data.Schema, ModelPath);
        Console.WriteLine($"  Saved {SamplePaths.Relative(ModelPath)} and {SamplePaths.Relative(Path.ChangeExtension(ModelPath, ".onnx"))}");
        SamplePlots.SaveTrainingCurve(model, ModelPath, "YourOwnNetwork: ShapesNet training curve");
        SamplePlots.SaveConfusionMatrix(metrics, model, split.TestSet, ModelPath, "YourOwnNetwork: ShapesNet on the test images");
        (model as IDisposable)?.Dispose();

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

using Microsoft.ML;
using MLExtensions.Samples.Common;
using static MLExtensions.Samples.Common.ConsoleHelper;

namespace MLExtensions.Samples.ShapeSizeRegression;

public partial class ShapeSizeRegressionModel
{
    public static void Run()
    {
        PrintHeader("ShapeSizeRegression: score the size of a circle or square 1–5, TorchCnn (LeNet) regression");

        var mlContext = new MLContext(seed: 1);
        IDataView data = LoadData(mlContext, Path.Combine(ImageFolder, LabelFileName));
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        ITransformer model = Train(mlContext, split.TrainSet);
        PrintSection("Training");
        PrintTrainingSummary("TorchCnn LeNet", model.GetNetwork());

        PrintSection("Test metrics");
        PrintRegressionMetrics(("TorchCnn LeNet", Evaluate(mlContext, model, split.TestSet)));

        Save(mlContext, model, data.Schema, ModelPath);
        Console.WriteLine();
        Console.WriteLine($"  Saved {SamplePaths.Relative(ModelPath)} and {SamplePaths.Relative(Path.ChangeExtension(ModelPath, ".onnx"))}");
        SamplePlots.SaveTrainingCurve(model, ModelPath, "ShapeSizeRegression: TorchCnn (LeNet) training curve");
        SamplePlots.SavePredictedVsActual(model.Transform(split.TestSet), ModelPath, "ShapeSizeRegression: TorchCnn (LeNet) on the test images",
            "size score", LabelColumnName);
        (model as IDisposable)?.Dispose();

        PrintSection("Consuming the saved model: test images by path");
        Console.WriteLine("  image                    true score   predicted");
        foreach (var image in mlContext.Data.CreateEnumerable<ModelInput>(split.TestSet, reuseRowObject: false).Take(6))
        {
            float predicted = Predict(new ModelInput { ImagePath = image.ImagePath }).Score;
            Console.WriteLine(Invariant($"  {image.ImagePath,-22}  {image.Label,10:F2}  {predicted,10:F2}"));
        }
    }
}

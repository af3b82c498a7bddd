using Microsoft.ML;
using MLExtensions.Samples.Common;
using static MLExtensions.Samples.Common.ConsoleHelper;

namespace MLExtensions.Samples.LinearRegression;

public partial class LinearRegressionModel
{
    public static void Run()
    {
        PrintHeader("LinearRegression: y = 2·x1 − 3.4·x2 + 4.2 + noise, TorchLinearRegression with SGD");

        var mlContext = new MLContext(seed: 1);
        IDataView data = LoadData(mlContext, SamplePaths.DataFile(DataFileName));
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        ITransformer model = Train(mlContext, split.TrainSet);
        PrintSection("Training history (loss: mean squared error)");
        PrintHistory(model.GetNetwork());

        PrintSection("Test metrics");
        PrintRegressionMetrics(("TorchLinearRegression", Evaluate(mlContext, model, split.TestSet)));

        Save(mlContext, model, data.Schema, ModelPath);
        Console.WriteLine();
        Console.WriteLine($"  Saved {SamplePaths.Relative(ModelPath)} and {SamplePaths.Relative(Path.ChangeExtension(ModelPath, ".onnx"))}");
        SamplePlots.SaveTrainingCurve(model, ModelPath, "LinearRegression: TorchLinearRegression training curve");
        SamplePlots.SavePredictedVsActual(model.Transform(split.TestSet), ModelPath, "LinearRegression: TorchLinearRegression on the test set", "y",
            LabelColumnName);
        (model as IDisposable)?.Dispose();

        PrintSection("Consuming the saved model");
        // The model is y = w1·x1 + w2·x2 + b, so three predictions give back its parameters.
        float b = Predict(new ModelInput { X1 = 0, X2 = 0 }).Score;
        float w1 = Predict(new ModelInput { X1 = 1, X2 = 0 }).Score - b;
        float w2 = Predict(new ModelInput { X1 = 0, X2 = 1 }).Score - b;
        Console.WriteLine("  parameter   learned      true");
        Console.WriteLine(Invariant($"  w1        {w1,9:F4} {2.0,9:F4}"));
        Console.WriteLine(Invariant($"  w2        {w2,9:F4} {-3.4,9:F4}"));
        Console.WriteLine(Invariant($"  b         {b,9:F4} {4.2,9:F4}"));

        Console.WriteLine();
        Console.WriteLine("      x1      x2   predicted y   2·x1 − 3.4·x2 + 4.2");
        foreach (var input in new[]
        {
            new ModelInput { X1 = 2.0f, X2 = -1.0f },
            new ModelInput { X1 = -0.5f, X2 = 0.5f },
            new ModelInput { X1 = 1.5f, X2 = 2.0f },
        })
        {
            float predicted = Predict(input).Score;
            double truth = 2 * input.X1 - 3.4 * input.X2 + 4.2;
            Console.WriteLine(Invariant($"  {input.X1,6:F2}  {input.X2,6:F2}   {predicted,11:F4}   {truth,19:F4}"));
        }
    }
}

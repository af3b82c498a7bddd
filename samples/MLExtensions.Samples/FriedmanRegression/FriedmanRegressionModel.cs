using Microsoft.ML;
using MLExtensions.Samples.Common;
using static MLExtensions.Samples.Common.ConsoleHelper;

namespace MLExtensions.Samples.FriedmanRegression;

public partial class FriedmanRegressionModel
{
    public static void Run()
    {
        PrintHeader("FriedmanRegression: Friedman #1, TorchMlp vs TorchLinearRegression");

        var mlContext = new MLContext(seed: 1);
        IDataView data = LoadData(mlContext, SamplePaths.DataFile(DataFileName));
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        ITransformer model = Train(mlContext, split.TrainSet);
        ITransformer baseline = BuildBaselinePipeline(mlContext).FitWithProgress(split.TrainSet);
        PrintSection("Training");
        PrintTrainingSummary("TorchMlp", model.GetNetwork());
        PrintTrainingSummary("TorchLinearRegression", baseline.GetNetwork());

        PrintSection("Test metrics");
        PrintRegressionMetrics(
            ("TorchMlp", Evaluate(mlContext, model, split.TestSet)),
            ("TorchLinearRegression", Evaluate(mlContext, baseline, split.TestSet)));

        Save(mlContext, model, data.Schema, ModelPath);
        Console.WriteLine();
        Console.WriteLine($"  Saved {SamplePaths.Relative(ModelPath)} and {SamplePaths.Relative(Path.ChangeExtension(ModelPath, ".onnx"))}");
        SamplePlots.SaveTrainingCurve(model, ModelPath, "FriedmanRegression: TorchMlp training curve");
        SamplePlots.SavePredictedVsActual(model.Transform(split.TestSet), ModelPath, "FriedmanRegression: TorchMlp on the test set", "y",
            LabelColumnName);
        (model as IDisposable)?.Dispose();
        (baseline as IDisposable)?.Dispose();

        PrintSection("Consuming the saved model");
        Console.WriteLine("    F1    F2    F3    F4    F5   predicted Y   true function (noise-free)");
        foreach (var input in new[]
        {
            new ModelInput { F1 = 0.5f, F2 = 0.5f, F3 = 0.5f, F4 = 0.5f, F5 = 0.5f, F6 = 0.5f, F7 = 0.5f, F8 = 0.5f, F9 = 0.5f, F10 = 0.5f },
            new ModelInput { F1 = 0.7f, F2 = 0.7f, F3 = 0.9f, F4 = 0.9f, F5 = 0.9f, F6 = 0.1f, F7 = 0.2f, F8 = 0.3f, F9 = 0.4f, F10 = 0.5f },
            new ModelInput { F1 = 0.1f, F2 = 0.2f, F3 = 0.5f, F4 = 0.1f, F5 = 0.2f, F6 = 0.9f, F7 = 0.8f, F8 = 0.7f, F9 = 0.6f, F10 = 0.5f },
            new ModelInput { F1 = 0.9f, F2 = 0.3f, F3 = 0.1f, F4 = 0.6f, F5 = 0.4f, F6 = 0.5f, F7 = 0.5f, F8 = 0.5f, F9 = 0.5f, F10 = 0.5f },
        })
        {
            float predicted = Predict(input).Score;
            Console.WriteLine(Invariant($"  {input.F1,4:F1}  {input.F2,4:F1}  {input.F3,4:F1}  {input.F4,4:F1}  {input.F5,4:F1}   {predicted,11:F3}   {TrueFunction(input),26:F3}"));
        }
    }

    /// <summary>Friedman #1 without its noise: 10·sin(π·F1·F2) + 20·(F3 − 0.5)² + 10·F4 + 5·F5.</summary>
    private static double TrueFunction(ModelInput x) =>
        10 * Math.Sin(Math.PI * x.F1 * x.F2) + 20 * Math.Pow(x.F3 - 0.5, 2) + 10 * x.F4 + 5 * x.F5;
}

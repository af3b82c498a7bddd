using Microsoft.ML;
using MLExtensions.Samples.Common;
using static MLExtensions.Samples.Common.ConsoleHelper;

namespace MLExtensions.Samples.SpiralMulticlass;

public partial class SpiralMulticlassModel
{
    public static void Run()
    {
        PrintHeader("SpiralMulticlass: three spiral arms, TorchMlp vs TorchSoftmaxRegression");

        var mlContext = new MLContext(seed: 1);
        IDataView data = LoadData(mlContext, SamplePaths.DataFile(DataFileName));
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        ITransformer model = Train(mlContext, split.TrainSet);
        ITransformer baseline = BuildBaselinePipeline(mlContext).FitWithProgress(split.TrainSet);
        PrintSection("Training");
        PrintTrainingSummary("TorchMlp", model.GetNetwork());
        PrintTrainingSummary("TorchSoftmaxRegression", baseline.GetNetwork());

        PrintSection("Test metrics");
        var metrics = Evaluate(mlContext, model, split.TestSet);
        PrintMulticlassMetrics(("TorchMlp", metrics), ("TorchSoftmaxRegression", Evaluate(mlContext, baseline, split.TestSet)));

        Save(mlContext, model, data.Schema, ModelPath);
        Console.WriteLine($"  Saved {SamplePaths.Relative(ModelPath)} and {SamplePaths.Relative(Path.ChangeExtension(ModelPath, ".onnx"))}");
        SamplePlots.SaveTrainingCurve(model, ModelPath, "SpiralMulticlass: TorchMlp training curve");
        SamplePlots.SaveConfusionMatrix(metrics, model, split.TestSet, ModelPath, "SpiralMulticlass: TorchMlp on the test set");
        (model as IDisposable)?.Dispose();
        (baseline as IDisposable)?.Dispose();

        PrintSection("Consuming the saved model");
        Console.WriteLine("     X1      X2   arm     predicted   probabilities");
        foreach (var (input, arm) in new[]
        {
            (new ModelInput { X1 = 0.45f, X2 = -0.21f }, "red"),
            (new ModelInput { X1 = -0.40f, X2 = -0.81f }, "red"),
            (new ModelInput { X1 = -0.14f, X2 = 0.48f }, "green"),
            (new ModelInput { X1 = 0.87f, X2 = 0.23f }, "green"),
            (new ModelInput { X1 = -0.27f, X2 = -0.42f }, "blue"),
            (new ModelInput { X1 = -0.74f, X2 = 0.51f }, "blue"),
        })
        {
            string predicted = Predict(input).PredictedLabel;
            string probabilities = string.Join(", ", PredictAllLabels(input).Select(c => Invariant($"{c.Key} {c.Value:F3}")));
            Console.WriteLine(Invariant($"  {input.X1,5:F2}   {input.X2,5:F2}   {arm,-5}   {predicted,-9}   {probabilities}"));
        }
    }
}

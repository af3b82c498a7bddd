using Microsoft.ML;
using MLExtensions.Samples.Common;
using static MLExtensions.Samples.Common.ConsoleHelper;

namespace MLExtensions.Samples.MoonsBinary;

public partial class MoonsBinaryModel
{
    public static void Run()
    {
        PrintHeader("MoonsBinary: two half-moons, TorchMlp vs TorchLogisticRegression");

        var mlContext = new MLContext(seed: 1);
        IDataView data = LoadData(mlContext, SamplePaths.DataFile(DataFileName));
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        ITransformer model = Train(mlContext, split.TrainSet);
        ITransformer baseline = BuildBaselinePipeline(mlContext).FitWithProgress(split.TrainSet);
        PrintSection("Training");
        PrintTrainingSummary("TorchMlp", model.GetNetwork());
        PrintTrainingSummary("TorchLogisticRegression", baseline.GetNetwork());

        PrintSection("Test metrics");
        PrintBinaryMetrics(
            ("TorchMlp", Evaluate(mlContext, model, split.TestSet)),
            ("TorchLogisticRegression", Evaluate(mlContext, baseline, split.TestSet)));

        Save(mlContext, model, data.Schema, ModelPath);
        Console.WriteLine($"  Saved {SamplePaths.Relative(ModelPath)} and {SamplePaths.Relative(Path.ChangeExtension(ModelPath, ".onnx"))}");
        SamplePlots.SaveTrainingCurve(model, ModelPath, "MoonsBinary: TorchMlp training curve");
        (model as IDisposable)?.Dispose();
        (baseline as IDisposable)?.Dispose();

        PrintSection("Consuming the saved model");
        Console.WriteLine("     X1      X2   predicted   probability   where the point is");
        foreach (var (input, where) in new[]
        {
            (new ModelInput { X1 = 0.0f, X2 = 1.0f }, "top of the upper moon (false)"),
            (new ModelInput { X1 = -1.0f, X2 = 0.0f }, "left tip of the upper moon (false)"),
            (new ModelInput { X1 = 1.0f, X2 = -0.5f }, "bottom of the lower moon (true)"),
            (new ModelInput { X1 = 2.0f, X2 = 0.5f }, "right tip of the lower moon (true)"),
            (new ModelInput { X1 = 0.5f, X2 = 0.25f }, "between the moons"),
        })
        {
            var output = Predict(input);
            Console.WriteLine(Invariant($"  {input.X1,5:F2}   {input.X2,5:F2}   {output.PredictedLabel,9}   {output.Probability,11:F4}   {where}"));
        }
    }
}

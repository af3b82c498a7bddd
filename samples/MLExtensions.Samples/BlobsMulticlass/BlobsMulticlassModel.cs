using Microsoft.ML;
using MLExtensions.Samples.Common;
using static MLExtensions.Samples.Common.ConsoleHelper;

namespace MLExtensions.Samples.BlobsMulticlass;

public partial class BlobsMulticlassModel
{
    public static void Run()
    {
        PrintHeader("BlobsMulticlass: five Gaussian blobs, TorchSoftmaxRegression vs ML.NET's LbfgsMaximumEntropy");

        var mlContext = new MLContext(seed: 1);
        IDataView data = LoadData(mlContext, SamplePaths.DataFile(DataFileName));
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        ITransformer model = Train(mlContext, split.TrainSet);
        ITransformer baseline = BuildBaselinePipeline(mlContext).Fit(split.TrainSet);
        PrintSection("Training");
        PrintTrainingSummary("TorchSoftmaxRegression", model.GetNetwork());

        PrintSection("Test metrics");
        var metrics = Evaluate(mlContext, model, split.TestSet);
        PrintMulticlassMetrics(
            ("TorchSoftmaxRegression", metrics),
            ("LbfgsMaximumEntropy", Evaluate(mlContext, baseline, split.TestSet)));

        Save(mlContext, model, data.Schema, ModelPath);
        Console.WriteLine($"  Saved {SamplePaths.Relative(ModelPath)} and {SamplePaths.Relative(Path.ChangeExtension(ModelPath, ".onnx"))}");
        SamplePlots.SaveTrainingCurve(model, ModelPath, "BlobsMulticlass: TorchSoftmaxRegression training curve");
        SamplePlots.SaveConfusionMatrix(metrics, model, split.TestSet, ModelPath, "BlobsMulticlass: TorchSoftmaxRegression on the test set");
        (model as IDisposable)?.Dispose();
        (baseline as IDisposable)?.Dispose();

        PrintSection("Consuming the saved model");
        // Points near the centre of each class.
        Console.WriteLine("  near      predicted   top probabilities");
        foreach (var (input, near) in new[]
        {
            (new ModelInput { F1 = -0.5f, F2 = -1.6f, F3 = 0.7f, F4 = 0.3f, F5 = 1.1f, F6 = -2.2f, F7 = -0.4f, F8 = -0.5f }, "alpha"),
            (new ModelInput { F1 = 0.6f, F2 = -0.6f, F3 = 1.4f, F4 = 0.8f, F5 = -0.5f, F6 = 1.1f, F7 = -0.5f, F8 = -1.0f }, "beta"),
            (new ModelInput { F1 = 0.8f, F2 = 0.5f, F3 = -2.0f, F4 = 0.6f, F5 = -0.8f, F6 = 0.5f, F7 = 1.4f, F8 = 1.3f }, "gamma"),
            (new ModelInput { F1 = 0.7f, F2 = -0.3f, F3 = -2.8f, F4 = 2.1f, F5 = -0.5f, F6 = 0.1f, F7 = 0.3f, F8 = 0.6f }, "delta"),
            (new ModelInput { F1 = 0.5f, F2 = 1.0f, F3 = -0.6f, F4 = 1.2f, F5 = -0.3f, F6 = 1.2f, F7 = -0.9f, F8 = -0.7f }, "epsilon"),
        })
        {
            string predicted = Predict(input).PredictedLabel;
            string probabilities = string.Join(", ", PredictAllLabels(input).Take(3).Select(c => Invariant($"{c.Key} {c.Value:F3}")));
            Console.WriteLine(Invariant($"  {near,-8}  {predicted,-9}   {probabilities}"));
        }
    }
}

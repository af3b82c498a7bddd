using Microsoft.ML;
using MLExtensions.Samples.Common;
using static MLExtensions.Samples.Common.ConsoleHelper;

namespace MLExtensions.Samples.NamesByLanguage;

public partial class NamesByLanguageModel
{
    public static void Run()
    {
        PrintHeader("NamesByLanguage: which made-up language a name comes from, TorchRnn (LSTM, GRU) and TorchAttention vs bag of characters");

        var mlContext = new MLContext(seed: 1);
        IDataView data = LoadData(mlContext, SamplePaths.DataFile(DataFolderName));
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        ITransformer model = Train(mlContext, split.TrainSet);
        ITransformer gru = BuildPipeline(mlContext, RnnCell.Gru).FitWithProgress(split.TrainSet);
        ITransformer attention = BuildAttentionPipeline(mlContext).FitWithProgress(split.TrainSet);
        ITransformer baseline = BuildBaselinePipeline(mlContext).FitWithProgress(split.TrainSet);
        PrintSection("Training");
        PrintTrainingSummary("TorchRnn LSTM", model.GetNetwork());
        PrintTrainingSummary("TorchRnn GRU", gru.GetNetwork());
        PrintTrainingSummary("TorchAttention", attention.GetNetwork());
        PrintTrainingSummary("TorchSoftmaxRegression", baseline.GetNetwork());

        PrintSection("Test metrics");
        var lstmMetrics = Evaluate(mlContext, model, split.TestSet);
        PrintMulticlassTable(
            ("LSTM", lstmMetrics),
            ("GRU", Evaluate(mlContext, gru, split.TestSet)),
            ("Attention", Evaluate(mlContext, attention, split.TestSet)),
            ("Bag of characters", Evaluate(mlContext, baseline, split.TestSet)));
        PrintConfusionMatrix("LSTM", lstmMetrics.ConfusionMatrix);

        Save(mlContext, model, data.Schema, ModelPath);
        Console.WriteLine($"  Saved {SamplePaths.Relative(ModelPath)} and {SamplePaths.Relative(Path.ChangeExtension(ModelPath, ".onnx"))}");
        SamplePlots.SaveTrainingCurve(model, ModelPath, "NamesByLanguage: TorchRnn (LSTM) training curve");
        SamplePlots.SaveConfusionMatrix(lstmMetrics, model, split.TestSet, ModelPath, "NamesByLanguage: TorchRnn (LSTM) on the test names");
        (model as IDisposable)?.Dispose();
        (gru as IDisposable)?.Dispose();
        (attention as IDisposable)?.Dispose();
        (baseline as IDisposable)?.Dispose();

        PrintSection("Consuming the saved model: names that are not in the data");
        Console.WriteLine("  name           predicted   probabilities");
        foreach (string name in new[] { "Maliria", "Zvorek", "Gwyddyn", "Bondoro", "Faeriel", "Tessa" })
        {
            var input = new ModelInput { Text = name };
            string predicted = Predict(input).PredictedLabel;
            string probabilities = string.Join(", ", PredictAllLabels(input).Take(3).Select(c => Invariant($"{c.Key} {c.Value:F3}")));
            Console.WriteLine($"  {name,-13}  {predicted,-9}   {probabilities}");
        }
    }
}

using Microsoft.ML;
using MLExtensions.Samples.Common;
using static MLExtensions.Samples.Common.ConsoleHelper;

namespace MLExtensions.Samples.LongRangeAttention;

public partial class LongRangeAttentionModel
{
    public static void Run()
    {
        PrintHeader("LongRangeAttention: does a 50-token sequence end with its first token? TorchAttention vs a 1-layer TorchRnn");

        var mlContext = new MLContext(seed: 1);
        IDataView train = mlContext.Data.LoadFromEnumerable(Generate(2000, 1));
        IDataView test = mlContext.Data.LoadFromEnumerable(Generate(500, 2));

        ITransformer attention = BuildPipeline(mlContext).FitWithProgress(train);
        ITransformer rnn = BuildRnnPipeline(mlContext).FitWithProgress(train);
        PrintSection("Training");
        PrintTrainingSummary("TorchAttention", attention.GetNetwork());
        PrintTrainingSummary("TorchRnn (Elman, 1 layer)", rnn.GetNetwork());

        PrintSection("Test metrics");
        PrintBinaryMetrics(
            ("TorchAttention", mlContext.BinaryClassification.Evaluate(attention.Transform(test))),
            ("TorchRnn", mlContext.BinaryClassification.Evaluate(rnn.Transform(test))));
        Console.WriteLine("  Self-attention compares the first and the last position directly; the RNN has to carry the first");
        Console.WriteLine("  token through 48 steps of noise, and a plain RNN forgets it.");

        // What the last position attends to: its row of the heat map should light up at position 0.
        var featurized = Featurize(mlContext).Fit(train).Transform(test);
        var weights = attention.GetNetwork().GetAttentionWeights(featurized, layer: 1, row: 0);
        PrintSection("Attention of the last layer (test row 0)");
        for (int h = 0; h < weights.Length; h++)
        {
            int last = weights[h].GetLength(0) - 1;
            var top = Enumerable.Range(0, weights[h].GetLength(1)).OrderByDescending(k => weights[h][last, k]).Take(3)
                .Select(k => Invariant($"position {k} ({weights[h][last, k]:F2})"));
            Console.WriteLine($"  head {h}: the last position attends most to {string.Join(", ", top)}");
        }
        string[] rowTokens = mlContext.Data.CreateEnumerable<ModelInput>(test, reuseRowObject: false).First().Text.Split(' ');
        SamplePlots.SaveAttentionHeatMap(weights, layer: 1, rowTokens, ModelPath,
            Invariant($"LongRangeAttention: attention of test row 0 (first token {rowTokens[0]}, last {rowTokens[^1]})"));

        mlContext.Model.Save(attention, train.Schema, ModelPath);
        Console.WriteLine($"  Saved {SamplePaths.Relative(ModelPath)}");
        SamplePlots.SaveTrainingCurve(attention, ModelPath, "LongRangeAttention: TorchAttention training curve");
        (attention as IDisposable)?.Dispose();
        (rnn as IDisposable)?.Dispose();

        PrintSection("Consuming the saved model");
        foreach (var input in Generate(4, 3))
        {
            var output = Predict(input);
            string[] tokens = input.Text.Split(' ');
            Console.WriteLine($"  first {tokens[0]}, last {tokens[^1]}: predicted same = {output.PredictedLabel,-5} (p = {output.Probability:F3}), truth {input.Label}");
        }
    }
}

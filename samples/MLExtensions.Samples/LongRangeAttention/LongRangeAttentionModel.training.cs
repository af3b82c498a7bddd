using Microsoft.ML;
using MLExtensions.Samples.Common;

namespace MLExtensions.Samples.LongRangeAttention;

public partial class LongRangeAttentionModel
{
    public const int SequenceLength = 50;

    public static readonly string ModelPath = SamplePaths.ModelFile("LongRangeAttentionModel.zip");

    /// <summary>
    /// Random tokens t0..t7; in half of the rows the last token repeats the first. Deciding needs the first and the last
    /// position together: self-attention compares them directly, a recurrent network must carry the first token through
    /// every step in between.
    /// </summary>
    public static ModelInput[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new ModelInput[count];
        for (int i = 0; i < count; i++)
        {
            var tokens = Enumerable.Range(0, SequenceLength).Select(_ => "t" + random.Next(8)).ToArray();
            bool same = random.Next(2) == 0;
            if (same)
                tokens[^1] = tokens[0];
            else
                while (tokens[^1] == tokens[0])
                    tokens[^1] = "t" + random.Next(8);
            rows[i] = new ModelInput { Text = string.Join(' ', tokens), Label = same };
        }
        return rows;
    }

    /// <summary>Words → keys: the token sequence both models read.</summary>
    public static IEstimator<ITransformer> Featurize(MLContext mlContext) =>
        mlContext.Transforms.Text.TokenizeIntoWords("Words", nameof(ModelInput.Text))
            .Append(mlContext.Transforms.Conversion.MapValueToKey("Features", "Words"));

    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext) =>
        Featurize(mlContext).Append(mlContext.BinaryClassification.Trainers.TorchAttention(new AttentionOptions
        {
            ModelDimension = 32, Heads = 4, Layers = 2, FeedForwardSize = 64, Dropout = 0,
            PositionalEncoding = PositionalEncoding.Sinusoidal, Pooling = AttentionPooling.Last,
            Epochs = Epochs, LearningRate = 2e-3, Device = TorchDevice.Auto,
        }.WithProgress("TorchAttention")));

    /// <summary>A one-layer Elman RNN trained for the same number of epochs.</summary>
    public static IEstimator<ITransformer> BuildRnnPipeline(MLContext mlContext) =>
        Featurize(mlContext).Append(mlContext.BinaryClassification.Trainers.TorchRnn(new RnnOptions
        {
            Cell = RnnCell.Rnn, HiddenSize = 32, EmbeddingSize = 32, Epochs = Epochs, LearningRate = 2e-3, Device = TorchDevice.Auto,
        }.WithProgress("TorchRnn")));

    private const int Epochs = 10;
}

using MLExtensions.Networks;
using MLExtensions.Inputs;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Tests;

/// <summary>RNN, LSTM and GRU networks: ONNX export equals TorchSharp (1e-4) on batches of different lengths, and padding never changes a prediction.</summary>
[TestClass]
public sealed class RnnOnnxExportTests
{
    private const int Vocabulary = 9, StepSize = 3;

    public static IEnumerable<object[]> Combinations()
    {
        foreach (var cell in new[] { RnnCell.Rnn, RnnCell.Lstm, RnnCell.Gru })
            foreach (var bidirectional in new[] { false, true })
                foreach (var layers in new[] { 1, 2 })
                    foreach (var tokens in new[] { true, false })
                        yield return [cell, bidirectional, layers, tokens];
    }

    private static (RnnNetwork Network, InputLayout Layout) Build(RnnCell cell, bool bidirectional, int layers, bool tokens,
        SequenceReadout readout = SequenceReadout.LastState, bool oneHot = false, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh,
        SequenceOutput output = SequenceOutput.PerSequence)
    {
        InputLayout layout = tokens ? new TokenSequenceLayout(Vocabulary, 0, false) : new DenseSequenceLayout(StepSize, 0, false);
        var options = new RnnOptions
        {
            Cell = cell, Bidirectional = bidirectional, Layers = layers, HiddenSize = 5, EmbeddingSize = 4, StepSize = StepSize,
            Readout = readout, OneHot = oneHot, Nonlinearity = nonlinearity, Dropout = layers > 1 ? 0.3 : 0, Output = output,
        };
        var network = new RnnNetwork(layout, options, 3);
        network.eval();
        return (network, layout);
    }

    /// <summary>A padded batch of 4 sequences of lengths 5, 2, 7 and 1.</summary>
    private static Tensor Batch(bool tokens, int seed)
    {
        var random = new Random(seed);
        int[] lengths = [5, 2, 7, 1];
        int longest = lengths.Max();
        if (tokens)
        {
            var values = new long[lengths.Length * longest];
            for (int r = 0; r < lengths.Length; r++)
                for (int t = 0; t < lengths[r]; t++)
                    values[r * longest + t] = random.Next(1, Vocabulary + 2); // keys 1..V and the unknown index
            return torch.tensor(values, new long[] { lengths.Length, longest });
        }
        var dense = new float[lengths.Length * longest * StepSize];
        Array.Fill(dense, float.NaN);
        for (int r = 0; r < lengths.Length; r++)
            for (int i = 0; i < lengths[r] * StepSize; i++)
                dense[r * longest * StepSize + i] = (float)(random.NextDouble() * 4 - 2);
        return torch.tensor(dense, new long[] { lengths.Length, longest * StepSize });
    }

    /// <summary>Every cell × direction × depth × input kind × readout, plus ReLU cells and one-hot tokens.</summary>
    internal static IEnumerable<ParityCase> Cases =>
        Combinations().Select(c => ((RnnCell)c[0], (bool)c[1], (int)c[2], (bool)c[3]))
            .SelectMany(c => new[] { SequenceReadout.LastState, SequenceReadout.Mean }.Select(readout =>
                new ParityCase($"Rnn-{c.Item1}-{(c.Item2 ? "bi" : "uni")}-{c.Item3}-{(c.Item4 ? "tokens" : "steps")}-{readout}",
                    () => Build(c.Item1, c.Item2, c.Item3, c.Item4, readout), () => Batch(c.Item4, 1))))
            .Concat(Combinations().Select(c => ((RnnCell)c[0], (bool)c[1], (int)c[2], (bool)c[3])).Select(c =>
                new ParityCase($"Rnn-{c.Item1}-{(c.Item2 ? "bi" : "uni")}-{c.Item3}-{(c.Item4 ? "tokens" : "steps")}-per-step",
                    () => Build(c.Item1, c.Item2, c.Item3, c.Item4, output: SequenceOutput.PerStep), () => Batch(c.Item4, 1), OutputRank: 3)))
            .Append(new ParityCase("Rnn-relu-bi-2-tokens-mean", () => Build(RnnCell.Rnn, true, 2, true, SequenceReadout.Mean, false, RnnNonlinearity.Relu), () => Batch(true, 2)))
            .Append(new ParityCase("Rnn-tanh-bi-2-onehot-mean", () => Build(RnnCell.Rnn, true, 2, true, SequenceReadout.Mean, true, RnnNonlinearity.Tanh), () => Batch(true, 2)));

    [TestMethod]
    [DynamicData(nameof(Combinations))]
    public void PaddingNeverChangesAPerStepPrediction(RnnCell cell, bool bidirectional, int layers, bool tokens)
    {
        torch.manual_seed(8);
        var (network, _) = Build(cell, bidirectional, layers, tokens, output: SequenceOutput.PerStep);
        using (network)
        using (var batch = Batch(tokens, 3))
        using (var _ = torch.no_grad())
        {
            using var together = network.forward(batch);
            long width = tokens ? 2 : 2 * StepSize;
            using var alone = network.forward(batch.narrow(0, 1, 1).narrow(1, 0, width));
            Assert.AreEqual(2L, alone.shape[1], "one output per step");
            OnnxExportTests.AssertClose(together.narrow(0, 1, 1).narrow(1, 0, 2), alone.data<float>().ToArray(), 1e-5);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Combinations))]
    public void PaddingNeverChangesAPrediction(RnnCell cell, bool bidirectional, int layers, bool tokens)
    {
        torch.manual_seed(7);
        var (network, _) = Build(cell, bidirectional, layers, tokens, SequenceReadout.Mean);
        using (network)
        using (var batch = Batch(tokens, 3))
        using (var _ = torch.no_grad())
        {
            using var together = network.forward(batch);
            // Row 1 has 2 steps: alone, without any padding, it must predict the same.
            long width = tokens ? 2 : 2 * StepSize;
            using var alone = network.forward(batch.narrow(0, 1, 1).narrow(1, 0, width));
            OnnxExportTests.AssertClose(together.narrow(0, 1, 1), alone.data<float>().ToArray(), 1e-5);
        }
    }
}

using MLExtensions.Networks;
using MLExtensions.Inputs;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Tests;

/// <summary>The attention encoder: ONNX export equals TorchSharp (banded training path vs masked ONNX form), padding invariance and window locality.</summary>
[TestClass]
public sealed class AttentionOnnxExportTests
{
    private const int Vocabulary = 9, StepSize = 3;

    public static IEnumerable<object[]> Combinations()
    {
        foreach (var encoding in new[] { PositionalEncoding.Sinusoidal, PositionalEncoding.Learned, PositionalEncoding.None })
            foreach (var window in new[] { 0, 2 })
                foreach (var kind in new[] { "tokens", "steps", "patches" })
                    yield return [encoding, window, kind];
    }

    private static AttentionOptions Options(PositionalEncoding encoding, int window, string kind, AttentionPooling pooling = AttentionPooling.Mean, bool preNorm = true,
        SequenceOutput output = SequenceOutput.PerSequence) => new()
    {
        Output = output,
        ModelDimension = 8, Heads = 2, Layers = 2, FeedForwardSize = 12, Dropout = 0.2, PositionalEncoding = encoding, AttentionWindow = window,
        Pooling = pooling, PreLayerNorm = preNorm, MaxSequenceLength = 16, StepSize = StepSize,
        PatchSize = kind == "patches" ? 2 : 0, ImageHeight = 4, ImageWidth = 6, ImageChannels = 2,
    };

    private static InputLayout Layout(string kind) => kind switch
    {
        "tokens" => new TokenSequenceLayout(Vocabulary, 16, false),
        "steps" => new DenseSequenceLayout(StepSize, 16, false),
        _ => new DenseVectorLayout(4 * 6 * 2),
    };

    /// <summary>Four rows; sequences of lengths 5, 2, 7 and 1 (patches: 4 images).</summary>
    internal static Tensor Batch(string kind, int seed)
    {
        if (kind == "patches")
        {
            torch.manual_seed(seed);
            return torch.rand(4, 4 * 6 * 2);
        }
        var random = new Random(seed);
        int[] lengths = [5, 2, 7, 1];
        int longest = lengths.Max();
        if (kind == "tokens")
        {
            var values = new long[lengths.Length * longest];
            for (int r = 0; r < lengths.Length; r++)
                for (int t = 0; t < lengths[r]; t++)
                    values[r * longest + t] = random.Next(1, Vocabulary + 2);
            return torch.tensor(values, new long[] { lengths.Length, longest });
        }
        var dense = new float[lengths.Length * longest * StepSize];
        Array.Fill(dense, float.NaN);
        for (int r = 0; r < lengths.Length; r++)
            for (int i = 0; i < lengths[r] * StepSize; i++)
                dense[r * longest * StepSize + i] = (float)(random.NextDouble() * 4 - 2);
        return torch.tensor(dense, new long[] { lengths.Length, longest * StepSize });
    }

    /// <summary>Every encoding × window × input kind, and every pooling with pre- and post-norm.</summary>
    internal static IEnumerable<ParityCase> Cases =>
        Combinations().Select(c => ((PositionalEncoding)c[0], (int)c[1], (string)c[2]))
            .Select(c => Case($"Attention-{c.Item1}-w{c.Item2}-{c.Item3}", Options(c.Item1, c.Item2, c.Item3), c.Item3))
            .Concat(from pooling in new[] { AttentionPooling.ClassToken, AttentionPooling.Last }
                    from preNorm in new[] { true, false }
                    from kind in new[] { "tokens", "steps" }
                    select Case($"Attention-{pooling}-{(preNorm ? "pre" : "post")}-{kind}", Options(PositionalEncoding.Sinusoidal, 2, kind, pooling, preNorm), kind))
            .Concat(from encoding in new[] { PositionalEncoding.Sinusoidal, PositionalEncoding.Learned, PositionalEncoding.None }
                    from window in new[] { 0, 2 }
                    from kind in new[] { "tokens", "steps" }
                    select Case($"Attention-{encoding}-w{window}-{kind}-per-step",
                        Options(encoding, window, kind, AttentionPooling.ClassToken, output: SequenceOutput.PerStep), kind, outputRank: 3));

    private static ParityCase Case(string name, AttentionOptions options, string kind, int outputRank = 2) =>
        new(name, () => (new AttentionNetwork(Layout(kind), options, 3), Layout(kind)), () => Batch(kind, 1), OutputRank: outputRank);

    [TestMethod]
    [DataRow("tokens", 0)]
    [DataRow("tokens", 2)]
    [DataRow("steps", 0)]
    [DataRow("steps", 2)]
    public void PaddingNeverChangesAPrediction(string kind, int window)
    {
        foreach (var output in new[] { SequenceOutput.PerSequence, SequenceOutput.PerStep })
        {
            torch.manual_seed(10);
            using var network = new AttentionNetwork(Layout(kind), Options(PositionalEncoding.Learned, window, kind, AttentionPooling.Last, output: output), 3);
            network.eval();
            using var batch = Batch(kind, 3);
            using var _ = torch.no_grad();
            using var together = network.forward(batch);
            long width = kind == "tokens" ? 2 : 2 * StepSize;
            using var alone = network.forward(batch.narrow(0, 1, 1).narrow(1, 0, width));
            var expected = output == SequenceOutput.PerStep ? together.narrow(0, 1, 1).narrow(1, 0, 2) : together.narrow(0, 1, 1);
            OnnxExportTests.AssertClose(expected, alone.data<float>().ToArray(), 1e-5);
        }
    }

    [TestMethod]
    public void WindowedAttentionIgnoresTokensBeyondTheWindow()
    {
        // One layer, window k = 2: changing the token at position 9 leaves positions 0..6 unchanged (|i − 9| > 2), but
        // changes them under full attention.
        foreach (var window in new[] { 2, 0 })
        {
            torch.manual_seed(11);
            var options = Options(PositionalEncoding.Sinusoidal, window, "tokens");
            options.Layers = 1;
            using var network = new AttentionNetwork(Layout("tokens"), options, 3);
            network.eval();
            using var _ = torch.no_grad();
            using var a = torch.tensor(new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 1 }, new long[] { 1, 10 });
            using var b = a.clone();
            b[0, 9] = torch.tensor(7L);
            var (ha, _) = network.Encode(a);
            var (hb, _) = network.Encode(b);
            var difference = (ha.narrow(1, 0, 7) - hb.narrow(1, 0, 7)).abs().max().item<float>();
            if (window > 0)
                Assert.AreEqual(0f, difference, 1e-6f, "positions outside the window are unaffected");
            else
                Assert.IsTrue(difference > 1e-4f, $"full attention sees every position (difference {difference})");
            var near = (ha.narrow(1, 7, 3) - hb.narrow(1, 7, 3)).abs().max().item<float>();
            Assert.IsTrue(near > 1e-4f, "positions within the window see the change");
        }
    }
}

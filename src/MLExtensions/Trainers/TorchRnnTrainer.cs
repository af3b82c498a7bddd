using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLExtensions.Networks;
using MLExtensions.Inputs;
using MLExtensions.Tasks;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>A recurrent network (Elman RNN, LSTM or GRU; stacked, bidirectional) on token or step sequences.</summary>
public sealed class TorchRnnTrainer : TorchTrainerBase<RnnOptions>
{
    internal TorchRnnTrainer(IHostEnvironment? env, RnnOptions options, Func<TorchTrainerOptions, TaskHead> task)
        : base(env, options, task, "TorchRnn")
    {
    }

    private protected override void ValidateArchitectureOptions()
    {
        var o = Options;
        if (!Enum.IsDefined(o.Cell) || !Enum.IsDefined(o.Nonlinearity) || !Enum.IsDefined(o.Readout) || !Enum.IsDefined(o.Output))
            throw new ArgumentOutOfRangeException(nameof(RnnOptions.Cell), "Unknown cell, nonlinearity, readout or output.");
        if (o.HiddenSize <= 0 || o.Layers <= 0 || o.EmbeddingSize <= 0 || o.StepSize <= 0 || o.MaxSequenceLength < 0)
            throw new ArgumentOutOfRangeException(nameof(RnnOptions.HiddenSize),
                "HiddenSize, Layers, EmbeddingSize and StepSize must be positive, MaxSequenceLength must not be negative.");
        if (!(o.Dropout >= 0 && o.Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(RnnOptions.Dropout), o.Dropout, "Dropout must be in [0, 1).");
    }

    private protected override InputLayout CreateInputLayout(DataViewSchema schema) =>
        SequenceLayouts.For(schema, Options.FeatureColumnName, Options.StepSize, Options.MaxSequenceLength, Options.TruncateLongSequences);

    private protected override void CheckFeatureShape(SchemaShape.Column features) => SequenceLayouts.CheckShape(features, Options.FeatureColumnName);

    private protected override NetworkModule CreateNetwork(InputLayout layout, int outputSize) =>
        new RnnNetwork(layout, Options, outputSize);
}

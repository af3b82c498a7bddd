using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLExtensions.Networks;
using MLExtensions.Inputs;
using MLExtensions.Tasks;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>A multi-head self-attention encoder on token sequences, step sequences or image patches.</summary>
public sealed class TorchAttentionTrainer : TorchTrainerBase<AttentionOptions>
{
    internal TorchAttentionTrainer(IHostEnvironment? env, AttentionOptions options, Func<TorchTrainerOptions, TaskHead> task)
        : base(env, options, task, "TorchAttention")
    {
    }

    private protected override void ValidateArchitectureOptions()
    {
        var o = Options;
        if (o.ModelDimension <= 0 || o.Heads <= 0 || o.Layers <= 0 || o.FeedForwardSize <= 0 || o.StepSize <= 0 || o.AttentionWindow < 0 || o.MaxSequenceLength < 0)
            throw new ArgumentOutOfRangeException(nameof(AttentionOptions.ModelDimension),
                "ModelDimension, Heads, Layers, FeedForwardSize and StepSize must be positive; AttentionWindow and MaxSequenceLength must not be negative.");
        if (o.ModelDimension % o.Heads != 0)
            throw new ArgumentOutOfRangeException(nameof(AttentionOptions.Heads),
                $"ModelDimension ({o.ModelDimension}) must be divisible by Heads ({o.Heads}): each head gets ModelDimension / Heads values.");
        if (o.PositionalEncoding == PositionalEncoding.Sinusoidal && o.ModelDimension % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(AttentionOptions.ModelDimension), $"Sinusoidal positions need an even ModelDimension (got {o.ModelDimension}).");
        if (o.PositionalEncoding == PositionalEncoding.Learned && o.MaxSequenceLength == 0)
            throw new ArgumentOutOfRangeException(nameof(AttentionOptions.MaxSequenceLength), "Learned positions need MaxSequenceLength > 0 (the table's length).");
        if (!Enum.IsDefined(o.PositionalEncoding) || !Enum.IsDefined(o.Pooling))
            throw new ArgumentOutOfRangeException(nameof(AttentionOptions.PositionalEncoding), "Unknown positional encoding or pooling.");
        if (!(o.Dropout >= 0 && o.Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(AttentionOptions.Dropout), o.Dropout, "Dropout must be in [0, 1).");
        if (!Enum.IsDefined(o.Output))
            throw new ArgumentOutOfRangeException(nameof(AttentionOptions.Output), o.Output, "Unknown output: use PerSequence or PerStep.");
        if (o.PatchSize > 0 && o.Output == SequenceOutput.PerStep)
            throw new ArgumentOutOfRangeException(nameof(AttentionOptions.Output),
                "Per-step output needs a token or step sequence; image patches (PatchSize > 0) predict one value per image.");
        if (o.PatchSize > 0)
        {
            if (o.ImageHeight <= 0 || o.ImageWidth <= 0 || o.ImageChannels <= 0 || o.ImageHeight % o.PatchSize != 0 || o.ImageWidth % o.PatchSize != 0)
                throw new ArgumentOutOfRangeException(nameof(AttentionOptions.PatchSize),
                    $"Image patches need positive ImageHeight, ImageWidth and ImageChannels divisible into PatchSize × PatchSize patches (got {o.ImageHeight}×{o.ImageWidth}, patch {o.PatchSize}).");
            int patches = (o.ImageHeight / o.PatchSize) * (o.ImageWidth / o.PatchSize);
            if (o.PositionalEncoding == PositionalEncoding.Learned && patches > o.MaxSequenceLength)
                throw new ArgumentOutOfRangeException(nameof(AttentionOptions.MaxSequenceLength), $"{patches} patches exceed MaxSequenceLength = {o.MaxSequenceLength}.");
        }
    }

    private protected override InputLayout CreateInputLayout(DataViewSchema schema)
    {
        var o = Options;
        if (o.PatchSize > 0)
        {
            int size = ColumnChecks.FeatureSize(schema, o.FeatureColumnName);
            int expected = o.ImageHeight * o.ImageWidth * o.ImageChannels;
            if (size != expected)
                throw new ArgumentOutOfRangeException(o.FeatureColumnName,
                    $"Feature column '{o.FeatureColumnName}' has {size} values per row, but the options describe {o.ImageHeight}×{o.ImageWidth} images with {o.ImageChannels} channel(s) = {expected} values.");
            return new DenseVectorLayout(size);
        }
        return SequenceLayouts.For(schema, o.FeatureColumnName, o.StepSize, o.MaxSequenceLength, o.TruncateLongSequences);
    }

    private protected override void CheckFeatureShape(SchemaShape.Column features)
    {
        if (Options.PatchSize > 0)
            base.CheckFeatureShape(features);
        else
            SequenceLayouts.CheckShape(features, Options.FeatureColumnName);
    }

    private protected override NetworkModule CreateNetwork(InputLayout layout, int outputSize) =>
        new AttentionNetwork(layout, Options, outputSize);
}

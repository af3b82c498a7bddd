using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLExtensions.Networks;
using MLExtensions.Training;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>A recurrent network (Elman RNN, LSTM or GRU; stacked, bidirectional) on token or step sequences.</summary>
public sealed class TorchRnnTrainer : TorchTrainerBase<RnnOptions>
{
    internal TorchRnnTrainer(IHostEnvironment? env, RnnOptions options, PredictionKind kind)
        : base(env, options, kind, "TorchRnn")
    {
    }

    private protected override void ValidateArchitectureOptions()
    {
        var o = Options;
        if (!Enum.IsDefined(o.Cell) || !Enum.IsDefined(o.Nonlinearity) || !Enum.IsDefined(o.Readout))
            throw new ArgumentOutOfRangeException(nameof(RnnOptions.Cell), "Unknown cell, nonlinearity or readout.");
        if (o.HiddenSize <= 0 || o.Layers <= 0 || o.EmbeddingSize <= 0 || o.StepSize <= 0 || o.MaxSequenceLength < 0)
            throw new ArgumentOutOfRangeException(nameof(RnnOptions.HiddenSize),
                "HiddenSize, Layers, EmbeddingSize and StepSize must be positive, MaxSequenceLength must not be negative.");
        if (!(o.Dropout >= 0 && o.Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(RnnOptions.Dropout), o.Dropout, "Dropout must be in [0, 1).");
    }

    private protected override FeatureLayout GetFeatureLayout(DataViewSchema schema)
    {
        var column = ColumnChecks.Find(schema, Options.FeatureColumnName, "feature");
        int knownSize = column.Type is Microsoft.ML.Data.VectorDataViewType { IsKnownSize: true } vector ? vector.Size : 0;
        if (TokenSequenceLayout.VocabularyOf(column) is int vocabulary)
            return new TokenSequenceLayout(vocabulary, Options.MaxSequenceLength, Options.TruncateLongSequences, knownSize,
                ((Microsoft.ML.Data.VectorDataViewType)column.Type).ItemType.RawType);
        var layout = new DenseSequenceLayout(Options.StepSize, Options.MaxSequenceLength, Options.TruncateLongSequences, knownSize);
        layout.Check(schema, Options.FeatureColumnName, "training");
        return layout;
    }

    private protected override void CheckFeatureShape(SchemaShape.Column features)
    {
        bool vector = features.Kind is SchemaShape.Column.VectorKind.Vector or SchemaShape.Column.VectorKind.VariableVector;
        if (!vector || !(features.IsKey || features.ItemType == Microsoft.ML.Data.NumberDataViewType.Single))
            throw new ArgumentOutOfRangeException(Options.FeatureColumnName,
                $"Feature column '{Options.FeatureColumnName}' must be a vector of keys (tokens) or of Single (steps), but it is {features.ItemType} ({features.Kind}).");
    }

    private protected override nn.Module<Tensor, Tensor> CreateNetwork(FeatureLayout layout, int outputSize) =>
        new RnnNetwork(layout, Options, outputSize);
}

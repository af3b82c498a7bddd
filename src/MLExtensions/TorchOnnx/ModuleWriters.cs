using TorchSharp.Modules;

namespace MLExtensions;

/// <summary>The standard TorchSharp module types the exporter writes, each with its writer.</summary>
internal static class ModuleWriters
{
    internal delegate TorchOnnxValue Writer(TorchOnnxContext context, TorchOnnxValue input);

    private static readonly Dictionary<Type, Writer> Writers = new()
    {
        [typeof(Sequential)] = WriteSequential,
        [typeof(Identity)] = PassThrough,
        [typeof(Dropout)] = PassThrough,
        [typeof(Dropout1d)] = PassThrough,
        [typeof(Dropout2d)] = PassThrough,
        [typeof(Dropout3d)] = PassThrough,
        [typeof(AlphaDropout)] = PassThrough,
        [typeof(FeatureAlphaDropout)] = PassThrough,
        [typeof(Linear)] = DenseWriters.Linear,
        [typeof(Embedding)] = DenseWriters.Embedding,
        [typeof(Flatten)] = ShapeWriters.Flatten,
        [typeof(Unflatten)] = ShapeWriters.Unflatten,
        [typeof(Conv1d)] = ConvolutionWriters.Convolution,
        [typeof(Conv2d)] = ConvolutionWriters.Convolution,
        [typeof(Conv3d)] = ConvolutionWriters.Convolution,
        [typeof(MaxPool1d)] = PoolingWriters.MaxPool1d,
        [typeof(MaxPool2d)] = PoolingWriters.MaxPool2d,
        [typeof(AvgPool1d)] = PoolingWriters.AvgPool1d,
        [typeof(AvgPool2d)] = PoolingWriters.AvgPool2d,
        [typeof(AdaptiveAvgPool1d)] = PoolingWriters.AdaptiveAvgPool1d,
        [typeof(AdaptiveAvgPool2d)] = PoolingWriters.AdaptiveAvgPool2d,
        [typeof(BatchNorm1d)] = NormalizationWriters.BatchNorm,
        [typeof(BatchNorm2d)] = NormalizationWriters.BatchNorm,
        [typeof(BatchNorm3d)] = NormalizationWriters.BatchNorm,
        [typeof(LayerNorm)] = NormalizationWriters.LayerNorm,
        [typeof(ReLU)] = ActivationWriters.Relu,
        [typeof(LeakyReLU)] = ActivationWriters.LeakyRelu,
        [typeof(ELU)] = ActivationWriters.Elu,
        [typeof(SELU)] = ActivationWriters.Selu,
        [typeof(GELU)] = ActivationWriters.Gelu,
        [typeof(Sigmoid)] = ActivationWriters.Sigmoid,
        [typeof(Tanh)] = ActivationWriters.Tanh,
        [typeof(Softplus)] = ActivationWriters.Softplus,
        [typeof(Softsign)] = ActivationWriters.Softsign,
        [typeof(ReLU6)] = ActivationWriters.Relu6,
        [typeof(SiLU)] = ActivationWriters.Silu,
        [typeof(Mish)] = ActivationWriters.Mish,
        [typeof(Softmax)] = ActivationWriters.Softmax,
        [typeof(LogSoftmax)] = ActivationWriters.LogSoftmax,
        [typeof(LSTM)] = RecurrentWriters.OutputSequence,
        [typeof(GRU)] = RecurrentWriters.OutputSequence,
        [typeof(RNN)] = RecurrentWriters.OutputSequence,
    };

    /// <summary>One sentence listing the exportable module types, for error messages.</summary>
    internal static readonly string SupportedText =
        "The exporter writes " + string.Join(", ", Writers.Keys.Select(t => t.Name).Order(StringComparer.Ordinal)) + ".";

    internal static bool TryGet(Type type, out Writer writer) => Writers.TryGetValue(type, out writer!);

    private static TorchOnnxValue PassThrough(TorchOnnxContext context, TorchOnnxValue input) => input;

    private static TorchOnnxValue WriteSequential(TorchOnnxContext context, TorchOnnxValue input)
    {
        var value = input;
        foreach (var (_, child) in context.Module.named_children())
            value = context.Export(child, value);
        return value;
    }
}

using Microsoft.ML;

namespace MLExtensions.Samples.Common;

/// <summary>Finds the trained network inside a fitted ML.NET pipeline.</summary>
public static class TorchModelExtensions
{
    /// <summary>The <see cref="TorchModel"/> of a fitted pipeline (a <c>TransformerChain</c>), or the model itself.</summary>
    public static TorchModel GetTorchModel(this ITransformer model) => model switch
    {
        TorchModel torchModel => torchModel,
        IEnumerable<ITransformer> chain => chain.Select(t => t as TorchModel).FirstOrDefault(t => t is not null)
            ?? throw new InvalidOperationException("The pipeline has no MLExtensions trainer."),
        _ => throw new InvalidOperationException("The pipeline has no MLExtensions trainer."),
    };
}

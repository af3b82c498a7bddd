using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>What a trainer may add to the shared loop without changing it.</summary>
internal sealed class TrainingHooks
{
    public static readonly TrainingHooks None = new();

    /// <summary>Changes the inputs of a training batch (data augmentation); never applied to validation data or at prediction.</summary>
    public Func<Tensor, Generator, Tensor>? Augment { get; init; }

    /// <summary>Called before every epoch with its 0-based number (for example to freeze or unfreeze part of the network).</summary>
    public Action<int>? BeforeEpoch { get; init; }

    /// <summary>Parameter groups with learning-rate factors (for example a pretrained backbone trained more gently); null: all parameters at the options' rate.</summary>
    public IReadOnlyList<ParameterGroup>? ParameterGroups { get; init; }
}

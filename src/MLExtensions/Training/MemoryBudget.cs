namespace MLExtensions.Training;

/// <summary>How much memory the training rows may take as tensors before training streams them (<see cref="TorchTrainerOptions.MaxInMemoryBytes"/>).</summary>
internal static class MemoryBudget
{
    /// <summary>The share of the process's available memory used when the options leave the budget at 0.</summary>
    public const int AutomaticDivisor = 8;

    /// <summary>The budget in bytes: the requested one, or an eighth of the memory available to the process (at least 64 MiB).</summary>
    public static long Resolve(long requested) =>
        requested > 0 ? requested : Math.Max(64L << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / AutomaticDivisor);

    /// <summary>Bytes held by a tensor's elements.</summary>
    public static long Of(TorchSharp.torch.Tensor t) => t.numel() * t.ElementSize;
}

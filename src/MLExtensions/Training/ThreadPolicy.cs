using MLExtensions.Networks;
using TorchSharp;

namespace MLExtensions.Training;

/// <summary>
/// How many CPU threads libtorch uses for one Fit. With <see cref="TorchTrainerOptions.CpuThreads"/> set, that many (for
/// the process, as before). Otherwise the choice follows the work of one training step, estimated as the network's
/// parameter count times the batch size: below <see cref="ParallelWork"/> one thread (splitting a 64→10 softmax over
/// cores costs more in synchronization than it saves, and a single thread shares a busy machine best), above it
/// libtorch's default of one thread per core. The rule is deterministic, so the same data, options and seed give the
/// same model on every run; the previous thread count is restored after the Fit.
/// </summary>
internal static class ThreadPolicy
{
    /// <summary>Parameters × batch size from which a training step is worth spreading over all cores.</summary>
    internal const double ParallelWork = 2e7;

    private static readonly Lazy<int> LibTorchDefault = new(torch.get_num_threads);

    /// <summary>The thread count for training <paramref name="network"/> with <paramref name="options"/>.</summary>
    public static int Choose(TorchTrainerOptions options, NetworkModule network)
    {
        if (options.CpuThreads > 0)
            return options.CpuThreads;
        long parameters = network.parameters().Sum(p => p.numel());
        return parameters * (double)options.BatchSize < ParallelWork ? 1 : LibTorchDefault.Value;
    }

    /// <summary>Sets libtorch's thread count for the Fit; disposing restores the previous one unless the user chose <see cref="TorchTrainerOptions.CpuThreads"/>.</summary>
    public static IDisposable Apply(TorchTrainerOptions options, NetworkModule network, torch.Device device)
    {
        _ = LibTorchDefault.Value;
        int previous = torch.get_num_threads();
        if (device.type != DeviceType.CPU && options.CpuThreads == 0)
            return new Restore(previous, previous);
        int chosen = Choose(options, network);
        if (chosen != previous)
            torch.set_num_threads(chosen);
        return new Restore(options.CpuThreads > 0 ? chosen : previous, chosen);
    }

    private sealed class Restore(int previous, int current) : IDisposable
    {
        public void Dispose()
        {
            if (previous != current)
                torch.set_num_threads(previous);
        }
    }
}

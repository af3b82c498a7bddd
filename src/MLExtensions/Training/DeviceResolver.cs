using TorchSharp;

namespace MLExtensions.Training;

/// <summary>Chooses the TorchSharp device at run time and explains a missing native backend.</summary>
internal static class DeviceResolver
{
    public static torch.Device Resolve(TorchDevice requested)
    {
        EnsureBackend();
        return requested switch
        {
            TorchDevice.Cpu => torch.CPU,
            TorchDevice.Auto => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
            TorchDevice.Cuda => torch.cuda.is_available()
                ? torch.CUDA
                : throw new InvalidOperationException(
                    "Device = Cuda was requested, but CUDA is not available. Reference the TorchSharp-cuda-linux " +
                    "(or TorchSharp-cuda-windows) package instead of TorchSharp-cpu and make sure an NVIDIA GPU and " +
                    "driver are present, or use Device = Auto or Cpu."),
            _ => throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.Device), requested,
                "Unknown device: use TorchDevice.Auto, Cpu or Cuda."),
        };
    }

    /// <summary>Loads libtorch through the one native entry point, which explains a missing or unloadable backend.</summary>
    public static void EnsureBackend() => NativeRuntime.Initialize();
}

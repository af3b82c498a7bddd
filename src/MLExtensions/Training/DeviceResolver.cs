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

    /// <summary>Initializes libtorch, turning a missing backend package into an actionable message.</summary>
    public static void EnsureBackend()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            throw new InvalidOperationException(
                "TorchSharp's native library could not be loaded. The application must reference a native backend " +
                "package: TorchSharp-cpu for the CPU, or TorchSharp-cuda-linux / TorchSharp-cuda-windows for NVIDIA GPUs " +
                "(same version as TorchSharp). Details: " + FirstLine(e), e);
        }
    }

    private static string FirstLine(Exception e)
    {
        while (e.InnerException is not null)
            e = e.InnerException;
        return e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? e.GetType().Name;
    }
}

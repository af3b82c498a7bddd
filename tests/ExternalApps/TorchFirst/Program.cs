using System.Runtime.InteropServices;
using Microsoft.ML;
using MLExtensions;
using TorchSharp;

// Usage: TorchFirst torch-first | initialize-first
//   torch-first: uses TorchSharp before anything of MLExtensions, then trains; prints what each step said.
//   initialize-first: calls NativeRuntime.Initialize() first, then uses TorchSharp and trains.
if (args is ["initialize-first"])
{
    try
    {
        NativeRuntime.Initialize();
        Console.WriteLine($"repaired: {NativeRuntime.RepairedLibraryPath ?? "none"}");
    }
    catch (InvalidOperationException e)
    {
        Console.WriteLine($"initialize: failed {e.Message}");
    }
    Console.WriteLine($"omp: {Native.Getenv("OMP_WAIT_POLICY") ?? "(unset)"}");
}

try
{
    using var t = torch.ones(3);
    Console.WriteLine($"torch: ok {t.sum().item<float>()}");
}
catch (Exception e)
{
    Console.WriteLine($"torch: failed {e.GetType().Name}");
}

try
{
    var ml = new MLContext(seed: 1);
    var rows = Enumerable.Range(0, 64).Select(i => new Row { Features = [i / 64f, 1 - i / 64f], Label = i / 32f }).ToArray();
    using var model = ml.Regression.Trainers.TorchLinearRegression(epochs: 2).Fit(ml.Data.LoadFromEnumerable(rows));
    Console.WriteLine("fit: ok");
}
catch (InvalidOperationException e)
{
    Console.WriteLine($"fit: failed {e.Message}");
}

internal sealed class Row
{
    [Microsoft.ML.Data.VectorType(2)]
    public float[] Features { get; set; } = [];
    public float Label { get; set; }
}

internal static class Native
{
    // What native code sees: .NET's Environment.GetEnvironmentVariable reads a copy taken at start-up.
    [DllImport("libc")]
    private static extern IntPtr getenv(string name);

    public static string? Getenv(string name) => Marshal.PtrToStringUTF8(getenv(name));
}

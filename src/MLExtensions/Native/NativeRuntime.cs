using System.Reflection;
using System.Runtime.InteropServices;
using MLExtensions.Native;
using TorchSharp;

namespace MLExtensions;

/// <summary>
/// Prepares libtorch for this process. Every MLExtensions trainer calls <see cref="Initialize"/> before it touches
/// TorchSharp; an application that uses TorchSharp directly (<c>torch.*</c>) before any MLExtensions trainer exists
/// should call it first, because TorchSharp's first use loads its native library once and for all.
/// </summary>
/// <remarks>
/// <para>
/// OpenMP: unless <c>OMP_WAIT_POLICY</c> is already set, it is set to <c>PASSIVE</c> for native code (through the C
/// library's <c>setenv</c>, which .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not
/// reach on Linux and macOS) before libtorch loads. libtorch's OpenMP threads then sleep between parallel regions instead
/// of spinning, which keeps processes that share the cores from slowing each other down several times over. Set
/// <c>OMP_WAIT_POLICY</c> yourself, set <see cref="PassiveOpenMPWait"/> to false, or set the environment variable
/// <c>MLEXTENSIONS_PASSIVE_OPENMP=0</c> to leave OpenMP's default.
/// </para>
/// <para>
/// Linux: TorchSharp 0.107's <c>libLibTorchSharp.so</c> asks the C++ runtime for <c>GLIBCXX_3.4.32</c> (GCC 13), which
/// Debian 12 and Ubuntu 22.04 do not have, although no symbol of that version is ever relocated against. When the library
/// fails to load for that reason only, a copy with that requirement marked weak is written to a per-user cache folder
/// (<c>$XDG_CACHE_HOME/mlextensions/native</c>, else <c>~/.cache/mlextensions/native</c>, or the folder named by
/// <c>MLEXTENSIONS_NATIVE_CACHE</c>) and loaded before TorchSharp looks for it, so TorchSharp uses that copy. The
/// application's own files are never changed. Set <see cref="RepairLibTorchSharp"/> to false or
/// <c>MLEXTENSIONS_REPAIR_LIBTORCHSHARP=0</c> to turn this off.
/// </para>
/// </remarks>
public static class NativeRuntime
{
    /// <summary>The environment variable that turns the runtime repair of <c>libLibTorchSharp.so</c> off (<c>0</c> or <c>false</c>).</summary>
    public const string RepairVariable = "MLEXTENSIONS_REPAIR_LIBTORCHSHARP";

    /// <summary>The environment variable that keeps OpenMP's default wait policy (<c>0</c> or <c>false</c>).</summary>
    public const string PassiveOpenMPVariable = "MLEXTENSIONS_PASSIVE_OPENMP";

    /// <summary>The environment variable naming the folder for repaired native libraries.</summary>
    public const string CacheFolderVariable = "MLEXTENSIONS_NATIVE_CACHE";

    private static readonly object Gate = new();
    private static bool _initialized;
    private static string? _missingVersions;

    /// <summary>Whether a <c>libLibTorchSharp.so</c> that fails only for a missing, unused C++ runtime version is repaired
    /// in the cache folder and loaded from there. Default: true unless <see cref="RepairVariable"/> is <c>0</c> or <c>false</c>.</summary>
    public static bool RepairLibTorchSharp { get; set; } = !IsSwitchedOff(RepairVariable);

    /// <summary>Whether <c>OMP_WAIT_POLICY=PASSIVE</c> is set for native code when the variable is not set already.
    /// Default: true unless <see cref="PassiveOpenMPVariable"/> is <c>0</c> or <c>false</c>.</summary>
    public static bool PassiveOpenMPWait { get; set; } = !IsSwitchedOff(PassiveOpenMPVariable);

    /// <summary>The repaired copy of <c>libLibTorchSharp.so</c> this process loaded, or null when none was needed.</summary>
    public static string? RepairedLibraryPath { get; private set; }

    /// <summary>
    /// Loads libtorch for this process, repairing what can be repaired, or throws an <see cref="InvalidOperationException"/>
    /// that names the cause and the fix. Calling it again after it succeeded does nothing.
    /// </summary>
    public static void Initialize()
    {
        lock (Gate)
        {
            if (_initialized)
                return;
            if (PassiveOpenMPWait)
                NativeEnvironment.SetIfUnset("OMP_WAIT_POLICY", "PASSIVE");
            if (OperatingSystem.IsLinux())
            {
                try
                {
                    // A second call (after a failure further on) finds the copy already loaded: keep what the first did.
                    LibTorchSharpLoader.Preload(RepairLibTorchSharp, out string? repaired, out string? missing);
                    RepairedLibraryPath ??= repaired;
                    _missingVersions ??= missing;
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidOperationException($"TorchSharp's native library could not be examined: {e.Message}", e);
                }
            }
            StartTorchSharp(repairedHere: RepairedLibraryPath is not null);
            _initialized = true;
        }
    }

    /// <summary><see cref="Initialize"/> that reports failure by returning false; the error is raised again where
    /// libtorch is really needed.</summary>
    internal static bool TryInitialize()
    {
        try
        {
            Initialize();
            return true;
        }
        catch (Exception)
        {
            // Best effort only: Fit calls Initialize again and reports the failure there.
            return false;
        }
    }

    /// <summary>The TorchSharp package version this process binds to, e.g. 0.107.0.</summary>
    internal static string TorchSharpVersion =>
        (typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "?").Split('+')[0];

    private static void StartTorchSharp(bool repairedHere)
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (TypeInitializationException e) when (repairedHere)
        {
            // The library TorchSharp would have found on its own does not load, and the repaired copy is loaded now, yet
            // TorchSharp's static constructor fails: it ran before, without the copy, and TorchSharp never retries.
            throw new InvalidOperationException(
                "TorchSharp was used before MLExtensions prepared its native library. That first use failed because " +
                $"libLibTorchSharp.so asks for {_missingVersions}, which this system's C++ runtime lacks (TorchSharp " +
                "reports this as a missing backend package, but the backend is present), and TorchSharp does not try " +
                "again in the same process. Call MLExtensions.NativeRuntime.Initialize() before the first use of torch " +
                "(or create an MLExtensions trainer first), or build the application with MLExtensions' MSBuild targets " +
                "(build/MLExtensions.targets, imported automatically from the MLExtensions package).", e);
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException
                                      or BadImageFormatException or EntryPointNotFoundException)
        {
            throw new InvalidOperationException(LibTorchSharpLoader.Diagnose(FirstLine(e)), e);
        }
    }

    internal static string FirstLine(Exception e)
    {
        while (e.InnerException is not null)
            e = e.InnerException;
        return e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? e.GetType().Name;
    }

    private static bool IsSwitchedOff(string variable) =>
        Environment.GetEnvironmentVariable(variable)?.Trim().ToLowerInvariant() is "0" or "false" or "no" or "off";
}

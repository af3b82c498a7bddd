using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using TorchSharp;

namespace MLExtensions.Native;

/// <summary>
/// Finds and loads TorchSharp's native library on Linux before TorchSharp does, repairing a copy when the only obstacle is a
/// C++ runtime version that the library asks for but never uses. TorchSharp then finds the loaded library by its soname.
/// </summary>
internal static class LibTorchSharpLoader
{
    private const string LibraryFile = "libLibTorchSharp.so";
    private const string CxxRuntime = "libstdc++.so.6";

    /// <summary>
    /// Loads <c>libLibTorchSharp.so</c> as TorchSharp would, or a repaired copy of it. Returns false, leaving the
    /// explanation to <see cref="Diagnose"/>, when the application has no native backend; throws when the library is
    /// there but cannot be loaded.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static bool Preload(bool repair, out string? repairedPath, out string? missingVersions)
    {
        repairedPath = null;
        missingVersions = null;
        var torchSharp = typeof(torch).Assembly;
        // TorchSharp loads the backend first, then its own library by name relative to TorchSharp.dll.
        if (!NativeLibrary.TryLoad("torch_cpu", torchSharp, null, out _))
            return false;
        if (NativeLibrary.TryLoad("LibTorchSharp", torchSharp, null, out _))
            return true;

        string? original = FindInSearchDirectories(LibraryFile);
        if (original is null)
            return false;
        string? error = LoadError(original);
        if (error is null)
            return true;

        var image = ElfImage.Parse(File.ReadAllBytes(original));
        var missing = MissingCxxVersions(image, out string? runtimePath);
        if (missing.Count == 0)
            throw new InvalidOperationException($"TorchSharp's native library {original} could not be loaded: {error}");

        string names = string.Join(", ", missing.Select(m => m.Name));
        var used = missing.SelectMany(m => image.SymbolsOf(m).Where(s => s.Relocated).Select(s => $"{s.Symbol}@{m.Name}")).ToList();
        if (used.Count > 0)
            throw new InvalidOperationException(
                $"TorchSharp's native library {original} needs {names} from the C++ runtime, which this system's " +
                $"{runtimePath} does not provide, and it uses symbols of it ({string.Join(", ", used.Take(5))}). " +
                "Install a newer C++ runtime (libstdc++ of GCC 13 or later) or run on a newer Linux distribution.");
        if (!repair)
            throw new InvalidOperationException(
                $"TorchSharp's native library {original} asks for {names}, which this system's C++ runtime ({runtimePath}) " +
                "lacks; no symbol of it is used, so the requirement can be marked weak, but that repair is turned off. " +
                $"Fix: unset {NativeRuntime.RepairVariable} (or set NativeRuntime.RepairLibTorchSharp = true), or add " +
                "<Import Project=\"<MLExtensions>/src/MLExtensions/build/MLExtensions.targets\" /> to the application's " +
                "project (referencing the MLExtensions package does this by itself), or install libstdc++ of GCC 13 or later.");

        image.MarkWeak(missing);
        string repaired = WriteToCache(original, image.Bytes);
        PreloadDependencies(image, Path.GetDirectoryName(original)!);
        string? repairedError = LoadError(repaired);
        if (repairedError is not null)
            throw new InvalidOperationException(
                $"TorchSharp's native library {original} lacks {names} in this system's C++ runtime; the repaired copy " +
                $"{repaired} could not be loaded either: {repairedError}");
        repairedPath = repaired;
        missingVersions = names;
        return true;
    }

    /// <summary>The message for a TorchSharp start-up failure: a missing backend only when its files are really absent.</summary>
    public static string Diagnose(string torchSharpMessage)
    {
        string backend = OperatingSystem.IsWindows() ? "torch_cpu.dll" : OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : "libtorch_cpu.so";
        string version = NativeRuntime.TorchSharpVersion;
        string? found = FindInSearchDirectories(backend);
        if (found is null && !NativeLibrary.TryLoad("torch_cpu", typeof(torch).Assembly, null, out _))
            return $"TorchSharp's native backend is not part of this application (no {backend} beside it). Reference the " +
                $"backend package of TorchSharp {version}: TorchSharp-cpu for the CPU " +
                $"(dotnet add package TorchSharp-cpu --version {version}), or TorchSharp-cuda-linux / TorchSharp-cuda-windows " +
                $"for NVIDIA GPUs. TorchSharp said: {torchSharpMessage}";
        string loader = OperatingSystem.IsLinux() && FindInSearchDirectories(LibraryFile) is string library
            && LoadError(library) is string error ? $" Loading {library} says: {error}" : "";
        return $"TorchSharp's native library could not be loaded, although its backend is present ({found ?? backend}): " +
            torchSharpMessage + loader;
    }

    /// <summary>Where the host looks for native libraries: the folders of the application's native assets, then TorchSharp's.</summary>
    internal static IEnumerable<string> SearchDirectories()
    {
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string list)
            foreach (var dir in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                yield return dir;
        string? torchSharpDir = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchSharpDir))
        {
            yield return torchSharpDir;
            yield return Path.Combine(torchSharpDir, "runtimes", RuntimeInformation.RuntimeIdentifier, "native");
            string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
            yield return Path.Combine(torchSharpDir, "runtimes", $"{os}-{arch}", "native");
            // Where TorchSharp itself copies the backend out of the NuGet cache when the application has none.
            yield return Path.Combine(torchSharpDir, "cpu");
        }
    }

    internal static string? FindInSearchDirectories(string fileName) =>
        SearchDirectories().Select(dir => Path.Combine(dir, fileName)).FirstOrDefault(File.Exists);

    /// <summary>The per-user folder for repaired libraries.</summary>
    internal static string CacheFolder()
    {
        string? custom = Environment.GetEnvironmentVariable(NativeRuntime.CacheFolderVariable);
        if (!string.IsNullOrWhiteSpace(custom))
            return Path.GetFullPath(custom);
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg))
            return Path.Combine(xdg, "mlextensions", "native");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home)
            ? Path.Combine(Path.GetTempPath(), "mlextensions-" + Environment.UserName, "native")
            : Path.Combine(home, ".cache", "mlextensions", "native");
    }

    /// <summary>The needed C++ runtime versions that the runtime loaded in this process does not define.</summary>
    private static List<ElfImage.VersionNeed> MissingCxxVersions(ElfImage image, out string? runtimePath)
    {
        runtimePath = LoadedLibraryPath(CxxRuntime);
        if (runtimePath is null)
            return [];
        var defined = ElfImage.Parse(File.ReadAllBytes(runtimePath)).VersionDefinitions;
        return image.VersionNeeds.Where(n => n.Library == CxxRuntime && !n.IsWeak && !defined.Contains(n.Name)).ToList();
    }

    /// <summary>The file of a library mapped into this process, from <c>/proc/self/maps</c> (which names the file behind
    /// the soname's link, e.g. <c>libstdc++.so.6.0.30</c>).</summary>
    internal static string? LoadedLibraryPath(string soname)
    {
        try
        {
            return File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/') is var at and >= 0 ? line[at..] : "")
                .FirstOrDefault(path => Path.GetFileName(path) is var name
                    && (name == soname || name.StartsWith(soname + ".", StringComparison.Ordinal)) && File.Exists(path));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Writes the repaired bytes to <c>&lt;cache&gt;/&lt;hash of the original&gt;/libLibTorchSharp.so</c> unless an
    /// identical copy is there, and returns that path.</summary>
    [SupportedOSPlatform("linux")]
    private static string WriteToCache(string original, byte[] repaired)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(original)))[..16];
        string folder = Path.Combine(CacheFolder(), "libtorchsharp-" + hash);
        string target = Path.Combine(folder, LibraryFile);
        try
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(repaired))
                return target;
            string temporary = Path.Combine(folder, $".{LibraryFile}.{Environment.ProcessId}.tmp");
            File.WriteAllBytes(temporary, repaired);
            File.Move(temporary, target, overwrite: true);
            return target;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"TorchSharp's native library {original} needs a repaired copy (this system's C++ runtime lacks a version " +
                $"it asks for but never uses), and the copy could not be written to {folder}: {e.Message} Set " +
                $"{NativeRuntime.CacheFolderVariable} to a writable folder, or build the application with MLExtensions' " +
                "MSBuild targets (build/MLExtensions.targets), which repair the copy in the build output instead.", e);
        }
    }

    /// <summary>Loads the libraries the original would find beside itself (its <c>$ORIGIN</c>), so the copy finds them too.</summary>
    private static void PreloadDependencies(ElfImage image, string originalFolder)
    {
        foreach (var needed in image.NeededLibraries)
        {
            string? path = new[] { originalFolder }.Concat(SearchDirectories())
                .Select(dir => Path.Combine(dir, needed)).FirstOrDefault(File.Exists);
            if (path is not null && LoadError(path) is string error)
                throw new InvalidOperationException($"{needed}, which TorchSharp's native library needs, could not be loaded: {error}");
        }
    }

    /// <summary>Loads a library by path; returns the loader's message on failure.</summary>
    private static string? LoadError(string path)
    {
        try
        {
            NativeLibrary.Load(path);
            return null;
        }
        catch (DllNotFoundException e)
        {
            // The loader's own words (dlerror) follow .NET's generic first sentence.
            var lines = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.Length > 1 ? lines[^1] : e.Message;
        }
        catch (BadImageFormatException e)
        {
            return e.Message;
        }
    }
}

using MLExtensions.Native;
using MLExtensions.Tests.ExternalApps;

namespace MLExtensions.Tests;

[TestClass]
public sealed class NativeRuntimeTests
{
    /// <summary>libLibTorchSharp.so as TorchSharp's package ships it (the build output holds a repaired copy).</summary>
    private static string ShippedLibTorchSharp => Path.Combine(ExternalAppWorkspace.GlobalPackagesFolder(), "torchsharp",
        ExternalAppWorkspace.CentralVersion("TorchSharp"), "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [TestMethod]
    public void ShippedLibTorchSharpAsksForGlibcxx3432ButNeverRelocatesItsOnlySymbol()
    {
        byte[] original = File.ReadAllBytes(ShippedLibTorchSharp);
        var image = ElfImage.Parse((byte[])original.Clone());
        CollectionAssert.IsSubsetOf(new[] { "libtorch.so", "libc10.so", "libtorch_cpu.so", "libstdc++.so.6" }, image.NeededLibraries.ToArray());

        var need = image.VersionNeeds.Single(n => n.Name == "GLIBCXX_3.4.32");
        Assert.AreEqual("libstdc++.so.6", need.Library);
        Assert.IsFalse(need.IsWeak);
        CollectionAssert.AreEqual(new[] { ("_ZSt21ios_base_library_initv", false) }, image.SymbolsOf(need).ToArray());

        // An old version the library really uses has relocated symbols, so such a version would not be weakened.
        var used = image.VersionNeeds.Single(n => n.Name == "GLIBCXX_3.4" && n.Library == "libstdc++.so.6");
        Assert.IsTrue(image.SymbolsOf(used).Any(s => s.Relocated));

        Assert.IsTrue(image.MarkWeak([need]));
        int changedBytes = original.Zip(image.Bytes).Count(p => p.First != p.Second);
        Assert.AreEqual(1, changedBytes, "only the flags of that one version entry change");
        var reread = ElfImage.Parse(image.Bytes);
        Assert.IsTrue(reread.VersionNeeds.Single(n => n.Name == "GLIBCXX_3.4.32").IsWeak);
        Assert.IsTrue(reread.VersionNeeds.Where(n => n.Name != "GLIBCXX_3.4.32").All(n => !n.IsWeak));
        Assert.IsFalse(reread.MarkWeak(reread.VersionNeeds.Where(n => n.IsWeak)), "marking twice changes nothing");
    }

    [TestMethod]
    public void TheLoadedCxxRuntimeListsTheVersionsItDefines()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Inconclusive("Linux only.");
        string? runtime = LibTorchSharpLoader.LoadedLibraryPath("libstdc++.so.6");
        Assert.IsNotNull(runtime, "the .NET runtime itself links libstdc++");
        var defined = ElfImage.Parse(File.ReadAllBytes(runtime)).VersionDefinitions;
        Assert.Contains("GLIBCXX_3.4", defined);
        Assert.Contains("CXXABI_1.3", defined);
        Assert.IsFalse(defined.Contains("GLIBCXX_9.9.99"));
    }

    [TestMethod]
    public void NotAnElfFileIsRejected()
    {
        Assert.Throws<InvalidDataException>(() => ElfImage.Parse("not an ELF file at all, just text"u8.ToArray()));
        var elf32 = new byte[64];
        "\u007fELF"u8.CopyTo(elf32);
        elf32[4] = 1;
        StringAssert.Contains(Assert.Throws<InvalidDataException>(() => ElfImage.Parse(elf32)).Message, "64-bit");
    }

    [TestMethod]
    public void NativeCodeSeesVariablesSetThroughTheCLibrary()
    {
        string name = "MLEXT_TEST_" + Guid.NewGuid().ToString("N");
        Assert.IsNull(NativeEnvironment.Get(name));
        Assert.IsTrue(NativeEnvironment.SetIfUnset(name, "first"));
        Assert.AreEqual("first", NativeEnvironment.Get(name));
        Assert.IsFalse(NativeEnvironment.SetIfUnset(name, "second"), "a value already set is kept");
        Assert.AreEqual("first", NativeEnvironment.Get(name));
        if (!OperatingSystem.IsWindows())
            Assert.IsNull(Environment.GetEnvironmentVariable(name), ".NET's copy of the environment does not see setenv");
    }

    [TestMethod]
    public void AfterInitializeOpenMPWaitsPassivelyUnlessThePolicyWasSet()
    {
        string? atStart = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        NativeRuntime.Initialize();
        Assert.AreEqual(atStart ?? "PASSIVE", NativeEnvironment.Get("OMP_WAIT_POLICY"));
    }

    [TestMethod]
    public void APresentBackendIsNeverReportedMissing()
    {
        NativeRuntime.Initialize();
        string message = LibTorchSharpLoader.Diagnose("some failure");
        StringAssert.Contains(message, "although its backend is present");
        StringAssert.Contains(message, "some failure");
        Assert.IsFalse(message.Contains("TorchSharp-cpu", StringComparison.Ordinal), message);
    }

    [TestMethod]
    public void RepairedCopiesGoToAPerUserCacheFolderThatCanBeMoved()
    {
        string? custom = Environment.GetEnvironmentVariable(NativeRuntime.CacheFolderVariable);
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        try
        {
            Environment.SetEnvironmentVariable(NativeRuntime.CacheFolderVariable, null);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", null);
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Assert.AreEqual(Path.Combine(home, ".cache", "mlextensions", "native"), LibTorchSharpLoader.CacheFolder());
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "/var/cache/someone");
            Assert.AreEqual(Path.Combine("/var/cache/someone", "mlextensions", "native"), LibTorchSharpLoader.CacheFolder());
            Environment.SetEnvironmentVariable(NativeRuntime.CacheFolderVariable, "/srv/app-cache");
            Assert.AreEqual("/srv/app-cache", LibTorchSharpLoader.CacheFolder());
        }
        finally
        {
            Environment.SetEnvironmentVariable(NativeRuntime.CacheFolderVariable, custom);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", xdg);
        }
    }
}

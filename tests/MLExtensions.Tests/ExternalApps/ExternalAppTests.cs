using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using MLExtensions.Native;
using static MLExtensions.Tests.ExternalApps.ExternalAppWorkspace;

namespace MLExtensions.Tests.ExternalApps;

/// <summary>
/// Fresh applications made with <c>dotnet new console</c> in a temporary folder use MLExtensions the way a user's own
/// application does: through a ProjectReference, through the packed package from a local folder (training in one
/// application, predicting in another that references nothing else), and next to Microsoft.ML.TorchSharp. One class, so
/// that the package is packed once and the restores share one packages folder.
/// </summary>
[TestClass]
public sealed class ExternalAppTests
{
    private const string MicrosoftMLTorchSharpVersion = "0.23.1";

    private static ExternalAppWorkspace _workspace = null!;
    private static Lazy<string> _package = null!;
    private static Lazy<TrainedModel> _trained = null!;

    private sealed record TrainedModel(string Folder, string[] Predictions);

    [ClassInitialize]
    public static void CreateWorkspace(TestContext _)
    {
        _workspace = new ExternalAppWorkspace();
        _package = new(() => _workspace.PackLibrary());
        _trained = new(TrainWithThePackage);
    }

    [ClassCleanup]
    public static void DeleteWorkspace() => _workspace?.Dispose();

    private static string ExternalAppSource(string app) =>
        File.ReadAllText(Path.Combine(RepositoryRoot, "tests", "ExternalApps", app, "Program.cs"));

    private static string TorchSharpCpuVersion => CentralVersion("TorchSharp-cpu");

    /// <summary>Whether this system's C++ runtime lacks the version TorchSharp's native library asks for.</summary>
    private static bool SystemLacksGlibcxx3432 =>
        OperatingSystem.IsLinux() && LibTorchSharpLoader.LoadedLibraryPath("libstdc++.so.6") is string runtime
        && !ElfImage.Parse(File.ReadAllBytes(runtime)).VersionDefinitions.Contains("GLIBCXX_3.4.32");

    [TestMethod]
    public void ReadmeFirstSnippetTrainsInAFreshAppThatReferencesTheProject()
    {
        // The repository's own projects restore with the machine's packages folder; so does an application next to them.
        var environment = new Dictionary<string, string?>
        {
            ["NUGET_PACKAGES"] = GlobalPackagesFolder(),
            ["OMP_WAIT_POLICY"] = null,
            [NativeRuntime.CacheFolderVariable] = Path.Combine(_workspace.Root, "native-cache"),
        };
        string app = _workspace.CreateApp("FirstSnippet", ReadmeCode.CSharpBlocks()[0],
            ProjectReference(Path.Combine(RepositoryRoot, "src", "MLExtensions", "MLExtensions.csproj")),
            PackageReference("TorchSharp-cpu", TorchSharpCpuVersion));
        Directory.CreateDirectory(Path.Combine(app, "data"));
        File.Copy(Path.Combine(TestData.DataDirectory, "multiclass-spiral.csv"), Path.Combine(app, "data", "multiclass-spiral.csv"));

        _workspace.Build(app, environment);
        var run = _workspace.RunApp(app, environment);
        Assert.AreEqual(0, run.ExitCode, run.Output);
        double accuracy = double.Parse(run.Value("Accuracy on held-out points")!, CultureInfo.InvariantCulture);
        Assert.IsGreaterThanOrEqualTo(0.95, accuracy, run.Output);
        StringAssert.Matches(run.Output, new System.Text.RegularExpressions.Regex(@"\(0\.5, -0\.2\) is (red|green|blue) with probability"));
        Assert.IsTrue(File.Exists(Path.Combine(app, "model.zip")));

        // Nothing of the application's own output was changed, and TorchSharp did not fall back to copying libtorch.
        string bin = Path.Combine(app, "bin", "Release", "net10.0");
        string shipped = Path.Combine(GlobalPackagesFolder(), "torchsharp", CentralVersion("TorchSharp"), "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (OperatingSystem.IsLinux())
            CollectionAssert.AreEqual(SHA256.HashData(File.ReadAllBytes(shipped)),
                SHA256.HashData(File.ReadAllBytes(Path.Combine(bin, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"))));
        Assert.IsFalse(Directory.Exists(Path.Combine(bin, "cpu")), "TorchSharp copied libtorch into the output");

        // The same application using torch.* itself, before and after NativeRuntime.Initialize().
        File.WriteAllText(Path.Combine(app, "Program.cs"), ExternalAppSource("TorchFirst"));
        _workspace.Build(app, environment);

        var initialized = _workspace.RunApp(app, environment, "initialize-first");
        Assert.AreEqual(0, initialized.ExitCode, initialized.Output);
        Assert.AreEqual("ok 3", initialized.Value("torch"), initialized.Output);
        Assert.AreEqual("ok", initialized.Value("fit"), initialized.Output);
        Assert.AreEqual("PASSIVE", initialized.Value("omp"), "OMP_WAIT_POLICY as native getenv sees it");
        string? repaired = initialized.Value("repaired");
        if (SystemLacksGlibcxx3432)
        {
            StringAssert.StartsWith(repaired, Path.Combine(_workspace.Root, "native-cache"));
            var copy = ElfImage.Parse(File.ReadAllBytes(repaired!));
            Assert.IsTrue(copy.VersionNeeds.Single(n => n.Name == "GLIBCXX_3.4.32").IsWeak);
        }
        else
        {
            Assert.AreEqual("none", repaired);
        }

        var torchFirst = _workspace.RunApp(app, environment, "torch-first");
        Console.WriteLine(torchFirst.Value("fit"));
        Assert.AreEqual(0, torchFirst.ExitCode, torchFirst.Output);
        if (SystemLacksGlibcxx3432)
        {
            // TorchSharp's first use fails for good in that process; the trainer then says why and what to do.
            Assert.AreEqual("failed TypeInitializationException", torchFirst.Value("torch"), torchFirst.Output);
            StringAssert.Contains(torchFirst.Value("fit"), "TorchSharp was used before MLExtensions prepared its native library");
            StringAssert.Contains(torchFirst.Value("fit"), "NativeRuntime.Initialize()");
            StringAssert.Contains(torchFirst.Value("fit"), "GLIBCXX_3.4.32");
            StringAssert.DoesNotMatch(torchFirst.Value("fit")!, new System.Text.RegularExpressions.Regex("must reference|not part of this application"));

            var switchedOff = _workspace.RunApp(app, new Dictionary<string, string?>(environment) { [NativeRuntime.RepairVariable] = "0" }, "initialize-first");
            Assert.AreEqual(0, switchedOff.ExitCode, switchedOff.Output);
            string message = switchedOff.Value("initialize")!;
            StringAssert.Contains(message, "GLIBCXX_3.4.32");
            StringAssert.Contains(message, NativeRuntime.RepairVariable);
            StringAssert.Contains(message, "MLExtensions.targets");
            StringAssert.DoesNotMatch(message, new System.Text.RegularExpressions.Regex("TorchSharp-cpu"));
        }
        else
        {
            Assert.AreEqual("ok 3", torchFirst.Value("torch"), torchFirst.Output);
            Assert.AreEqual("ok", torchFirst.Value("fit"), torchFirst.Output);
        }
    }

    [TestMethod]
    public void PackageHoldsDocsReadmeSymbolsAndTheBuildStep()
    {
        string version = _package.Value;
        using var package = ZipFile.OpenRead(Path.Combine(_workspace.Feed, $"MLExtensions.{version}.nupkg"));
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();
        foreach (var expected in new[]
        {
            "lib/net10.0/MLExtensions.dll", "lib/net10.0/MLExtensions.xml", "lib/net10.0/MLExtensions.pdb", "README.md",
            "build/MLExtensions.targets", "buildTransitive/MLExtensions.targets",
        })
            Assert.Contains(expected, entries);
        using var nuspec = new StreamReader(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        string text = nuspec.ReadToEnd();
        StringAssert.Contains(text, "<readme>README.md</readme>");
        StringAssert.Matches(text, new System.Text.RegularExpressions.Regex("id=\"TorchSharp\"[^>]*exclude=\"[^\"]*Native"));
    }

    [TestMethod]
    public void PackagedModelPredictsTheSameInAnAppThatReferencesOnlyThePackage()
    {
        var trained = _trained.Value;
        string app = _workspace.CreateApp("PredictOnly", ExternalAppSource("PredictOnly"), PackageReference("MLExtensions", _package.Value));
        _workspace.Build(app);
        string predictions = Path.Combine(trained.Folder, "predictions-elsewhere.txt");
        var run = _workspace.RunApp(app, null, Path.Combine(trained.Folder, "model.zip"), Path.Combine(trained.Folder, "points.csv"), predictions);
        Assert.AreEqual(0, run.ExitCode, run.Output);
        CollectionAssert.AreEqual(trained.Predictions, File.ReadAllLines(predictions), "predictions after loading the zip elsewhere");
        if (OperatingSystem.IsLinux())
            Assert.AreEqual("false", run.Value("libtorch loaded"));

        // Published, the application holds no libtorch and no TorchSharp native library.
        foreach (var (name, arguments) in new[]
        {
            ("portable", new[] { "publish", "-c", "Release", "-o", Path.Combine(app, "publish-portable") }),
            ("linux-x64", new[] { "publish", "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", Path.Combine(app, "publish-linux-x64") }),
        })
        {
            var publish = _workspace.Dotnet(app, arguments);
            Assert.AreEqual(0, publish.ExitCode, publish.Output);
            var (bytes, files) = FolderSize(arguments[^1]);
            Console.WriteLine(FormattableString.Invariant($"prediction-only app published ({name}): {bytes / 1e6:F1} MB in {files.Length} files"));
            // Managed TorchSharp assemblies (TorchSharp.dll, TorchSharp.PyBridge.dll) are fine; libtorch and LibTorchSharp are not.
            var native = files.Where(f => Path.GetFileName(f).Contains("torch", StringComparison.OrdinalIgnoreCase)
                                          && !(Path.GetFileName(f).StartsWith("TorchSharp.", StringComparison.Ordinal) && f.EndsWith(".dll", StringComparison.Ordinal))).ToArray();
            Assert.IsEmpty(native, string.Join(", ", native));
            Assert.IsLessThan(name == "portable" ? 320e6 : 80e6, bytes, $"{name}: {bytes} bytes");
        }
    }

    [TestMethod]
    public void AnAppWithMicrosoftMLTorchSharpBuildsAndHoldsBothTrainersInOnePipeline()
    {
        var trained = _trained.Value;
        string app = _workspace.CreateApp("WithMicrosoftMLTorchSharp", ExternalAppSource("WithMicrosoftMLTorchSharp"),
            PackageReference("MLExtensions", _package.Value),
            PackageReference("Microsoft.ML.TorchSharp", MicrosoftMLTorchSharpVersion),
            PackageReference("TorchSharp-cpu", TorchSharpCpuVersion));
        var build = _workspace.Build(app);
        // No version conflict (NU1605, NU1107, NU1608, MSB3277, ...). NU1603 only says that the package source served a
        // newer patch of a dependency than the one asked for (SkiaSharp 2.88.9 for 2.88.8).
        var warnings = System.Text.RegularExpressions.Regex.Matches(build.Output, @"warning ([A-Z]+[0-9]+):.*")
            .Where(m => m.Groups[1].Value != "NU1603").Select(m => m.Value.Trim()).Distinct().ToArray();
        Assert.IsEmpty(warnings, "restore and build warnings:\n" + string.Join("\n", warnings));

        string predictions = Path.Combine(trained.Folder, "predictions-with-microsoft-ml-torchsharp.txt");
        var environment = new Dictionary<string, string?>
        {
            // Microsoft.ML.TorchSharp fetches weights and a vocabulary from its resource host; with an empty resource
            // folder and another host it stops there at once, before any request is made.
            ["MICROSOFTML_RESOURCE_PATH"] = Directory.CreateDirectory(Path.Combine(_workspace.Root, "mlnet-resources")).FullName,
            ["MICROSOFTML_RESOURCE_URL"] = "http://127.0.0.1:9/",
            ["OMP_WAIT_POLICY"] = "passive",
        };
        var run = _workspace.RunApp(app, environment, Path.Combine(trained.Folder, "model.zip"), Path.Combine(trained.Folder, "points.csv"), predictions);
        Console.WriteLine(run.Output);
        Assert.AreEqual(0, run.ExitCode, run.Output);
        Assert.AreEqual("Score,PredictedLabel", run.Value("columns"), run.Output);
        StringAssert.StartsWith(run.Value("ours"), "trained");
        Assert.IsGreaterThanOrEqualTo(0.9, double.Parse(run.Value("ours")!.Split(' ')[^1], CultureInfo.InvariantCulture));
        StringAssert.Contains(run.Value("theirs"), "aka.ms", "their trainer should get as far as fetching its weights");
        StringAssert.StartsWith(run.Value("theirs"), "stopped at NotSupportedException");
        Assert.AreEqual("MLExtensions,Microsoft.ML.TorchSharp,TorchSharp", run.Value("loaded"));
        CollectionAssert.AreEqual(trained.Predictions, File.ReadAllLines(predictions));
        Assert.AreEqual("passive", run.Value("omp"), "a wait policy the user set is left alone");
    }

    /// <summary>The training application on the package: builds, trains, saves the zip and its predictions.</summary>
    private static TrainedModel TrainWithThePackage()
    {
        string app = _workspace.CreateApp("PackageTrain", ExternalAppSource("PackageTrain"),
            PackageReference("MLExtensions", _package.Value), PackageReference("TorchSharp-cpu", TorchSharpCpuVersion));
        _workspace.Build(app);
        string output = Path.Combine(app, "out");
        var environment = new Dictionary<string, string?> { ["OMP_WAIT_POLICY"] = null };
        var run = _workspace.RunApp(app, environment, Path.Combine(TestData.DataDirectory, "multiclass-spiral.csv"), output);
        Assert.AreEqual(0, run.ExitCode, run.Output);
        Assert.IsGreaterThanOrEqualTo(0.95, double.Parse(run.Value("accuracy")!, CultureInfo.InvariantCulture), run.Output);
        Assert.AreEqual("PASSIVE", run.Value("omp"));
        if (SystemLacksGlibcxx3432)
        {
            // The package's build step repaired the copy in the output, so nothing was needed at run time.
            Assert.AreEqual("none", run.Value("repaired"), run.Output);
            string copied = Path.Combine(app, "bin", "Release", "net10.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            Assert.IsTrue(ElfImage.Parse(File.ReadAllBytes(copied)).VersionNeeds.Single(n => n.Name == "GLIBCXX_3.4.32").IsWeak);
        }
        return new TrainedModel(output, File.ReadAllLines(Path.Combine(output, "predictions.txt")));
    }
}

using System.Diagnostics;
using System.Text;
using System.Xml.Linq;

namespace MLExtensions.Tests.ExternalApps;

/// <summary>
/// A temporary folder outside the repository where fresh <c>dotnet new console</c> applications reference MLExtensions
/// as a user's own application would: through a ProjectReference to the repository's project, or through the packed
/// package in a local folder that a nuget.config names as a package source. Package restores go to a private packages
/// folder (so the package just packed is the one used), with the machine's global packages folder as a read-only
/// fallback (so TorchSharp-cpu and the rest are not downloaded again).
/// </summary>
internal sealed class ExternalAppWorkspace : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(8);

    public ExternalAppWorkspace()
    {
        Root = Directory.CreateTempSubdirectory("mlext-apps-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        Packages = Path.Combine(Root, "packages");
        var config = new XDocument(new XElement("configuration",
            new XElement("packageSources", new XElement("add", new XAttribute("key", "mlextensions-local"), new XAttribute("value", Feed))),
            new XElement("fallbackPackageFolders", new XElement("add", new XAttribute("key", "machine"), new XAttribute("value", GlobalPackagesFolder())))));
        config.Save(Path.Combine(Root, "nuget.config"));
    }

    /// <summary>The repository: the folder holding MLExtensions.sln above the test's location.</summary>
    public static string RepositoryRoot { get; } = Path.GetDirectoryName(TestData.DataDirectory)!;

    public string Root { get; }

    /// <summary>The local package source.</summary>
    public string Feed { get; }

    /// <summary>The private packages folder of this workspace's restores.</summary>
    public string Packages { get; }

    /// <summary>The version of a package in the repository's central package versions.</summary>
    public static string CentralVersion(string package) =>
        XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .First(e => (string?)e.Attribute("Include") == package).Attribute("Version")!.Value;

    /// <summary>Packs the library into the local package source and returns the package's version.</summary>
    public string PackLibrary()
    {
        var result = Dotnet(RepositoryRoot, "pack", Path.Combine(RepositoryRoot, "src", "MLExtensions", "MLExtensions.csproj"),
            "-c", "Release", "-o", Feed);
        Assert.AreEqual(0, result.ExitCode, result.Output);
        var package = Directory.GetFiles(Feed, "MLExtensions.*.nupkg").Single();
        return Path.GetFileNameWithoutExtension(package)["MLExtensions.".Length..];
    }

    /// <summary>
    /// Creates an application with <c>dotnet new console</c>, adds the given references to its project file and
    /// replaces Program.cs. Returns the application's folder.
    /// </summary>
    public string CreateApp(string name, string programSource, params XElement[] references)
    {
        var result = Dotnet(Root, "new", "console", "--name", name, "--output", Path.Combine(Root, name), "--no-restore");
        Assert.AreEqual(0, result.ExitCode, result.Output);
        string folder = Path.Combine(Root, name);
        string project = Path.Combine(folder, name + ".csproj");
        var document = XDocument.Load(project);
        document.Root!.Add(new XElement("ItemGroup", references));
        document.Save(project);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), programSource);
        return folder;
    }

    public static XElement ProjectReference(string path) => new("ProjectReference", new XAttribute("Include", path));

    public static XElement PackageReference(string id, string version) =>
        new("PackageReference", new XAttribute("Include", id), new XAttribute("Version", version));

    /// <summary>Builds an application (restore included) and fails the test on an error.</summary>
    public CommandResult Build(string app, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var result = Dotnet(app, environment, "build", "-c", "Release");
        Assert.AreEqual(0, result.ExitCode, result.Output);
        return result;
    }

    /// <summary>Runs a built application's dll with <c>dotnet</c>.</summary>
    public CommandResult RunApp(string app, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        string dll = Path.Combine(app, "bin", "Release", "net10.0", Path.GetFileName(app) + ".dll");
        return Dotnet(app, environment, [dll, .. arguments]);
    }

    public CommandResult Dotnet(string workingDirectory, params string[] arguments) => Dotnet(workingDirectory, null, arguments);

    /// <summary>Runs the dotnet CLI with the workspace's packages folder, without build servers that would outlive the test.</summary>
    public CommandResult Dotnet(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // The test host's own MSBuild and test-platform settings must not leak into a separate build.
        foreach (var name in start.Environment.Keys.ToArray())
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase) || name == "DOTNET_HOST_PATH")
                start.Environment.Remove(name);
        start.Environment["NUGET_PACKAGES"] = Packages;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var gate = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', arguments)} did not finish within {CommandTimeout.TotalMinutes} minutes:\n{output}");
        }
        process.WaitForExit();
        lock (gate)
            return new CommandResult(process.ExitCode, output.ToString());
    }

    /// <summary>The published size of a folder, in bytes, and the files in it.</summary>
    public static (long Bytes, string[] Files) FolderSize(string folder)
    {
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
        return (files.Sum(f => new FileInfo(f).Length), files.Select(f => Path.GetRelativePath(folder, f)).ToArray());
    }

    /// <summary>The machine's global packages folder, which restores of the repository's own projects use.</summary>
    public static string GlobalPackagesFolder()
    {
        string? configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        return string.IsNullOrEmpty(configured)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")
            : configured;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by an exiting process; the temporary folder is left for the system to clean.
        }
    }
}

/// <summary>A finished command: its exit code and its output (standard output and error, interleaved).</summary>
internal sealed record CommandResult(int ExitCode, string Output)
{
    /// <summary>The value after "<paramref name="key"/>: " on the output's first line that starts so.</summary>
    public string? Value(string key) =>
        Output.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(key + ": ", StringComparison.Ordinal))?[(key.Length + 2)..];
}

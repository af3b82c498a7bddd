using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MLExtensions.Tests;

/// <summary>
/// Every <c>```csharp</c> block of README.md is a complete program: it compiles on its own, as the Program.cs of a
/// <c>dotnet new console</c> application (implicit usings, nullable on) that references MLExtensions, Microsoft.ML,
/// Microsoft.ML.ImageAnalytics and TorchSharp-cpu. (ExternalAppTests runs the first block to its end.)
/// </summary>
[TestClass]
public sealed class ReadmeCodeTests
{
    /// <summary>The global usings the SDK adds to a console application.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    [TestMethod]
    public void EveryCSharpBlockCompilesAsAProgram()
    {
        var blocks = ReadmeCode.CSharpBlocks();
        Assert.IsGreaterThanOrEqualTo(3, blocks.Count, "README.md should show code");
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(path => MetadataReference.CreateFromFile(path)).ToImmutableArray();
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var failures = new List<string>();
        for (int i = 0; i < blocks.Count; i++)
        {
            var compilation = CSharpCompilation.Create($"ReadmeBlock{i + 1}",
                [CSharpSyntaxTree.ParseText(ImplicitUsings, parse), CSharpSyntaxTree.ParseText(blocks[i], parse, path: $"README block {i + 1}")],
                references,
                new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
            using var output = new MemoryStream();
            var result = compilation.Emit(output);
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            if (errors.Length > 0)
                failures.Add($"README block {i + 1} (starts \"{FirstCodeLine(blocks[i])}\"):\n  " + string.Join("\n  ", errors.Take(5)));
        }
        Assert.IsEmpty(failures, string.Join("\n\n", failures));
    }

    [TestMethod]
    public void FirstBlockShowsTheTypedPrediction()
    {
        string first = ReadmeCode.CSharpBlocks()[0];
        StringAssert.Contains(first, "MapKeyToValue(\"PredictedLabel\")");
        StringAssert.Contains(first, "CreatePredictionEngine<");
        StringAssert.Contains(first, "public string PredictedLabel");
    }

    private static string FirstCodeLine(string block) =>
        block.Split('\n').FirstOrDefault(l => l.Length > 0 && !l.StartsWith("using ", StringComparison.Ordinal)) ?? "";
}

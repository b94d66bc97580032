using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SymGrad.Generators;

namespace SymGrad.Benchmarks;

/// <summary>
/// Runs the SymGrad generator under Roslyn's <see cref="CSharpGeneratorDriver"/> on one of the embedded case files,
/// as the compiler does in a build, to time it and to measure what it emits.
/// </summary>
public static class GeneratorRunner
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    // The case files rely on the project's implicit usings.
    private static readonly SyntaxTree GlobalUsings = CSharpSyntaxTree.ParseText(
        "global using System; global using System.Collections.Generic; global using System.Linq;", ParseOptions);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path)),
        MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location),
    ];

    /// <summary>The case files embedded in this program (LogicalName = file name).</summary>
    public static readonly string[] CaseFiles = ["SeedNet.cs", "WideNet.cs", "BundleAdjustment.cs", "MnistMlp.cs"];

    public static SyntaxTree Parse(string caseFile)
    {
        using Stream stream = typeof(GeneratorRunner).Assembly.GetManifestResourceStream(caseFile)
            ?? throw new ArgumentException($"no embedded resource '{caseFile}'", nameof(caseFile));
        using var reader = new StreamReader(stream);
        return CSharpSyntaxTree.ParseText(reader.ReadToEnd(), ParseOptions, path: caseFile);
    }

    public static CSharpCompilation Compile(SyntaxTree tree) => CSharpCompilation.Create(
        "Cases", [GlobalUsings, tree], References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>A fresh driver on a fresh compilation, so nothing is cached from a previous run.</summary>
    public static GeneratorDriverRunResult Run(SyntaxTree tree) =>
        CSharpGeneratorDriver.Create(new DifferentiableGenerator()).RunGenerators(Compile(tree)).GetRunResult();

    /// <summary>Characters and lines of everything the generator emits for a case, and its diagnostics.</summary>
    public static (int Files, long Chars, long Lines, int Diagnostics) EmittedSize(string caseFile)
    {
        GeneratorDriverRunResult result = Run(Parse(caseFile));
        long chars = 0, lines = 0;
        foreach (SyntaxTree t in result.GeneratedTrees)
        {
            var text = t.GetText();
            chars += text.Length;
            lines += text.Lines.Count;
        }
        return (result.GeneratedTrees.Length, chars, lines, result.Diagnostics.Length);
    }

    public static void PrintEmittedSizes(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Generator output per case file:");
        output.WriteLine("| case file | generated files | chars | lines | diagnostics |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        foreach (string file in CaseFiles)
        {
            var (files, chars, lines, diagnostics) = EmittedSize(file);
            output.WriteLine($"| {file} | {files} | {chars:N0} | {lines:N0} | {diagnostics} |");
        }
    }
}

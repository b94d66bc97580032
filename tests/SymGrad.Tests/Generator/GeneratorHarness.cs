using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using SymGrad.Generators;

namespace SymGrad.Tests.Generator;

/// <summary>
/// Runs the SymGrad generator on C# source compiled in memory, as the compiler does in a consumer's build: a
/// <see cref="CSharpGeneratorDriver"/> with step tracking on, so tests can read the generated files, the generator's
/// diagnostics, the compiler's verdict on the result, each tracked step, and (on request) call the generated code.
/// </summary>
internal static class GeneratorHarness
{
    /// <summary>
    /// As the SDK parses a project that does not generate a documentation file. <see cref="DocumentedParseOptions"/>
    /// is a consumer with <c>GenerateDocumentationFile</c> on, where the compiler also checks XML comments.
    /// </summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Parse);

    public static readonly CSharpParseOptions DocumentedParseOptions = ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);

    // Warnings as errors and every warning wave on, as the repository's own build (and a strict consumer) does.
    private static readonly CSharpCompilationOptions CompilationOptions =
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithWarningLevel(9999)
            .WithOptimizationLevel(OptimizationLevel.Release);

    /// <summary>
    /// Every assembly the test host trusts, plus SymGrad itself. Left out: the assemblies that declare their own
    /// [Differentiable] types (the example and this test assembly), whose types would clash with a test source
    /// that copies them (CS0436).
    /// </summary>
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        string[] excluded = ["SeedNotebook.dll", "SymGrad.Tests.dll"];
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !excluded.Contains(Path.GetFileName(p), StringComparer.OrdinalIgnoreCase))
            .Append(typeof(Value).Assembly.Location)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    /// <summary>The generator's output for some sources (each a file), with the generator's own failure ruled out.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(Compile(sources));

    public static CSharpCompilation Compile(params string[] sources) => Compile(ParseOptions, sources);

    public static CSharpCompilation Compile(CSharpParseOptions options, params string[] sources) =>
        CSharpCompilation.Create("GeneratorTest_" + Guid.NewGuid().ToString("N"),
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, options, path: $"Source{i}.cs")),
            References.Value, CompilationOptions);

    public static GeneratorDriver NewDriver(CSharpParseOptions? options = null) =>
        CSharpGeneratorDriver.Create(
            [new DifferentiableGenerator().AsSourceGenerator()],
            parseOptions: options ?? ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>
    /// For user code that may itself be broken (half-typed, syntax errors): the generator must still not throw, and
    /// nothing may be wrong inside what it generated; the user's own errors are the compiler's business.
    /// </summary>
    public static GeneratorRun RunOnAnything(params string[] sources) => Run(Compile(sources), strict: false);

    /// <summary>
    /// A method <c>F(double x)</c> with <paramref name="body"/>, in a static class beside <paramref name="types"/>, must
    /// get exactly one SymGrad diagnostic: <paramref name="id"/>, on <paramref name="located"/>, its message starting
    /// with <paramref name="messageStart"/>.
    /// </summary>
    public static void AssertOneDiagnostic(string body, string id, string located, string messageStart, string types = "")
    {
        GeneratorRun run = RunOnAnything($$"""
            using System;
            using SymGrad;
            {{types}}
            public static partial class Bad
            {
                [Differentiable]
                public static double F(double x) { {{body}} }
            }
            """);
        Microsoft.CodeAnalysis.Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(located, run.LocatedText(d));
        Assert.StartsWith(messageStart, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A diagnostic's message as the tests read it (invariant culture).</summary>
    public static string Message(Diagnostic d) => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Valid code SymGrad takes: no SG diagnostic, and the whole output compiles cleanly.</summary>
    public static GeneratorRun RunClean(string source)
    {
        GeneratorRun run = Run(source); // strict: the whole output compiles cleanly
        Assert.True(run.SymGradDiagnostics.Count == 0, GeneratorRun.Describe(run.SymGradDiagnostics));
        return run;
    }

    /// <param name="strict">When there are no SG diagnostics, the whole output (user code too) must compile cleanly.</param>
    public static GeneratorRun Run(CSharpCompilation compilation, bool strict = true)
    {
        var options = (CSharpParseOptions)compilation.SyntaxTrees.First().Options;
        GeneratorDriver driver = NewDriver(options).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorDriverRunResult result = driver.GetRunResult();
        GeneratorRunResult only = Assert.Single(result.Results);
        // An exception from the generator would make the compiler drop every generated file (CS8785).
        Assert.True(only.Exception is null, $"The generator threw: {only.Exception}");
        var run = new GeneratorRun(driver, only, output);
        if (strict && run.SymGradDiagnostics.Count == 0) run.AssertCompilesCleanly();
        else run.AssertGeneratedCodeIsClean();
        return run;
    }
}

/// <summary>One generator run: what it made, what it said, and what the compiler says about the result.</summary>
internal sealed class GeneratorRun(GeneratorDriver driver, GeneratorRunResult result, Compilation output)
{
    public GeneratorDriver Driver { get; } = driver;
    public GeneratorRunResult Result { get; } = result;
    public Compilation Output { get; } = output;

    /// <summary>Generated files by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; } =
        result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    /// <summary>The generator's diagnostics (all SG ids), in source order.</summary>
    public IReadOnlyList<Diagnostic> SymGradDiagnostics { get; } = result.Diagnostics
        .OrderBy(d => d.Location.SourceTree?.FilePath).ThenBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id).ToList();

    /// <summary>Compiler diagnostics of the whole output compilation that are warnings or errors.</summary>
    public IReadOnlyList<Diagnostic> CompilerProblems => Output.GetDiagnostics()
        .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591") // undocumented public test types
        .ToList();

    /// <summary>The single generated file's text (fails when there is not exactly one).</summary>
    public string SingleSource => Assert.Single(Sources).Value;

    public void AssertCompilesCleanly()
    {
        IReadOnlyList<Diagnostic> problems = CompilerProblems;
        Assert.True(problems.Count == 0, "The output does not compile cleanly:\n" + Describe(problems) + "\n" + AllSources());
    }

    /// <summary>Whatever is wrong with the user's code, nothing may be wrong inside a generated file.</summary>
    public void AssertGeneratedCodeIsClean()
    {
        var generatedTrees = Output.SyntaxTrees.Skip(Output.SyntaxTrees.Count() - Sources.Count).ToHashSet();
        var problems = CompilerProblems.Where(d => d.Location.SourceTree is { } t && generatedTrees.Contains(t)).ToList();
        Assert.True(problems.Count == 0, "The generated code has problems:\n" + Describe(problems) + "\n" + AllSources());
    }

    /// <summary>
    /// The source text a diagnostic points at. The generator reports file locations (path, span, lines) rather than
    /// tree locations, as a cached pipeline must, so the tree is found by its path.
    /// </summary>
    public string LocatedText(Diagnostic d)
    {
        FileLinePositionSpan where = d.Location.GetLineSpan();
        Assert.True(where.IsValid, $"{d.Id} has no location");
        SyntaxTree tree = Assert.Single(Output.SyntaxTrees, t => t.FilePath == where.Path);
        return tree.GetText().ToString(d.Location.SourceSpan);
    }

    public static string Describe(IEnumerable<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(Line));

    /// <summary>"SG0005 12:9 message", lines and columns 1-based as an IDE shows them.</summary>
    public static string Line(Diagnostic d)
    {
        LinePosition start = d.Location.GetLineSpan().StartLinePosition;
        return $"{d.Id} {start.Line + 1}:{start.Character + 1} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private string AllSources() => string.Join("\n", Sources.Select(kv => "// ===== " + kv.Key + "\n" + kv.Value));

    /// <summary>Emits the output compilation and loads it into its own collectible context.</summary>
    public LoadedAssembly Load()
    {
        using var stream = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = Output.Emit(stream);
        Assert.True(emitted.Success, "Emit failed:\n" + Describe(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        stream.Position = 0;
        return new LoadedAssembly(stream);
    }
}

/// <summary>
/// A compiled test assembly in a collectible load context. SymGrad resolves to the test's own copy (the default
/// context), so <see cref="Value"/> objects pass between the test and the loaded code.
/// </summary>
internal sealed class LoadedAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context = new("SymGradGeneratorTest", isCollectible: true);

    public LoadedAssembly(Stream image) => Assembly = _context.LoadFromStream(image);

    public Assembly Assembly { get; }

    public MethodInfo Method(string typeName, string methodName) =>
        (Assembly.GetType(typeName) ?? throw new InvalidOperationException($"No type {typeName}"))
        .GetMethod(methodName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        ?? throw new InvalidOperationException($"No method {typeName}.{methodName}");

    public void Dispose() => _context.Unload();
}

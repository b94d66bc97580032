using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;

namespace SymGrad.Benchmarks.Benchmarks;

/// <summary>
/// The generator's own cost on each case file (<see cref="GeneratorRunner.CaseFiles"/>): one run on a fresh
/// compilation (it binds the source as it needs), against compiling that file to diagnostics without the
/// generator; one group, and one ratio, per file.
/// </summary>
[BenchmarkCategory("generator cost")]
public class GeneratorCostBenchmarks
{
    private SyntaxTree _tree = null!;

    public static IEnumerable<string> CaseFiles => GeneratorRunner.CaseFiles;

    [ParamsSource(nameof(CaseFiles))]
    public string CaseFile { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _tree = GeneratorRunner.Parse(CaseFile);

    [Benchmark(Baseline = true, Description = "compile the case file (no generator)")]
    public int Compile() => GeneratorRunner.Compile(_tree).GetDiagnostics().Length;

    [Benchmark(Description = "run the generator on it")]
    public int Generate() => GeneratorRunner.Run(_tree).GeneratedTrees.Length;
}

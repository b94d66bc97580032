using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;

namespace SymGrad.Benchmarks.Benchmarks;

/// <summary>
/// Case (b), the generator's own cost on <c>Cases/WideNet.cs</c>: one run on a fresh compilation (it binds the
/// source as it needs), against compiling that file to diagnostics without the generator.
/// </summary>
[BenchmarkCategory("b generator on WideNet.cs")]
public class GeneratorCostBenchmarks
{
    private SyntaxTree _tree = null!;

    [GlobalSetup]
    public void Setup() => _tree = GeneratorRunner.Parse("WideNet.cs");

    [Benchmark(Baseline = true, Description = "compile WideNet.cs (no generator)")]
    public int Compile() => GeneratorRunner.Compile(_tree).GetDiagnostics().Length;

    [Benchmark(Description = "run the generator on it")]
    public int Generate() => GeneratorRunner.Run(_tree).GeneratedTrees.Length;
}

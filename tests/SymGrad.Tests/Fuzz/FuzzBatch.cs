using Microsoft.CodeAnalysis;
using SymGrad.Tests.Generator;

namespace SymGrad.Tests.Fuzz;

/// <summary>A batch of random programs in one compilation: generated with no SG diagnostic, emitted with no warning, loaded.</summary>
internal static class FuzzBatch
{
    /// <param name="example">A program of the batch, shown when the batch does not compile.</param>
    public static LoadedAssembly Load(string[] sources, string example)
    {
        Compilation input = GeneratorHarness.Compile(sources);
        GeneratorHarness.NewDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation compiled, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics.Select(GeneratorRun.Line));
        var image = new MemoryStream();
        var emitted = compiled.Emit(image);
        var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(GeneratorRun.Line).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)) + "\n" + example);
        image.Position = 0;
        return new LoadedAssembly(image);
    }
}

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

    /// <summary>
    /// The members of program <paramref name="index"/>'s class <c>P{index}</c> (its helper <c>H</c> and <c>F</c>), for the
    /// fuzz tests that rewrite the programs into another shape (a model class, structs, rules).
    /// </summary>
    public static string Members(string source, int index)
    {
        int open = source.IndexOf("public static partial class P" + index, StringComparison.Ordinal);
        int body = source.IndexOf('{', open) + 1;
        int end = source.IndexOf("\n}\n", body, StringComparison.Ordinal);
        return source[body..end];
    }

    /// <summary>Equal bits, or both NaN.</summary>
    public static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b));

    /// <summary>Whether a generated method called by reflection throws.</summary>
    public static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (System.Reflection.TargetInvocationException)
        {
            return true;
        }
    }
}

using Microsoft.CodeAnalysis;

namespace SymGrad.Tests.Generator;

/// <summary>
/// A consumer with <c>GenerateDocumentationFile</c> on (common for libraries) makes the compiler check XML comments,
/// and with warnings as errors any warning in a generated comment breaks that consumer's build.
/// </summary>
public class DocumentationModeTests
{
    public static TheoryData<string> Samples => new(["SeedNet", "Micrograd", "Branches", "Calls", "Mixed"]);

    [Theory]
    [MemberData(nameof(Samples))]
    public void Generated_code_is_warning_free_when_documentation_is_generated(string sample)
    {
        string source = (string)typeof(SampleSources).GetField(sample)!.GetValue(null)!;
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.Compile(GeneratorHarness.DocumentedParseOptions, source, SampleSources.ImplicitUsings));
        Assert.Empty(run.SymGradDiagnostics);
        Assert.NotEmpty(run.Sources);
        run.AssertCompilesCleanly(); // CS1591 (the samples' own undocumented members) is not counted
    }
}

using Microsoft.CodeAnalysis;
using SymGrad.Tests.Generator;
using Xunit.Abstractions;

namespace SymGrad.Tests.Fuzz;

public class ScratchTests(ITestOutputHelper output)
{
    private static string Describe(string source)
    {
        Compilation input = GeneratorHarness.Compile(source, SampleSources.ImplicitUsings);
        GeneratorDriver driver = GeneratorHarness.NewDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation outc, out _);
        var r = driver.GetRunResult().Results.Single();
        return "exception: " + r.Exception + "\nSG: " + GeneratorRun.Describe(r.Diagnostics) + "\ncompiler: "
            + GeneratorRun.Describe(outc.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Scratch()
    {
        string? path = Environment.GetEnvironmentVariable("SYMGRAD_SCRATCH");
        if (path is null) return;
        string text = File.ReadAllText(path);
        string? keep = Environment.GetEnvironmentVariable("SYMGRAD_SCRATCH_KEEP");
        if (keep is not null)
        {
            var lines = text.Split('\n').ToList();
            bool progress = true;
            while (progress)
            {
                progress = false;
                for (int len = 8; len >= 1 && !progress; len /= 2)
                for (int i = 0; i + len <= lines.Count; i++)
                {
                    var cand = lines.Take(i).Concat(lines.Skip(i + len)).ToList();
                    string d = Describe(string.Join('\n', cand));
                    if (d.Contains(keep) && !d.Contains("compiler: CS") && !d.Contains(" error CS"))
                    {
                        lines = cand;
                        progress = true;
                        break;
                    }
                }
            }
            text = string.Join('\n', lines);
            output.WriteLine(text);
        }
        output.WriteLine(Describe(text));
        Compilation input = GeneratorHarness.Compile(text, SampleSources.ImplicitUsings);
        GeneratorDriver driver = GeneratorHarness.NewDriver().RunGeneratorsAndUpdateCompilation(input, out _, out _);
        foreach (var s in driver.GetRunResult().Results.Single().GeneratedSources) output.WriteLine(s.SourceText.ToString());
    }
}

using SymGrad.Tests.Generator;

namespace SymGrad.Tests.Loops;

/// <summary>The generated code of loops kept as loops, against baselines a person has read (see <see cref="SnapshotTests"/>).</summary>
public class LoopSnapshotTests
{
    private static string Generated(GeneratorRun run)
    {
        Assert.Empty(run.SymGradDiagnostics);
        return string.Join("\n", run.Sources.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => "// ===== " + kv.Key + "\n" + kv.Value));
    }

    [Fact]
    public void Runtime_loops() => Snapshot.Match(Generated(GeneratorHarness.Run(LoopSources.Runtime)), "RuntimeLoops");
}

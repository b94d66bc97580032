namespace SymGrad.Tests.Generator;

/// <summary>
/// A gradient too long for one method the JIT optimises is emitted as parts that share values through a frame.
/// Its numbers are checked with every other sample in <see cref="GradientCorrectnessTests"/> ("Large.Net").
/// </summary>
public class SplitTests
{
    [Fact]
    public void A_large_gradient_is_split_into_parts_that_compile_cleanly()
    {
        GeneratorRun run = GeneratorHarness.Run(SampleSources.Large, SampleSources.ImplicitUsings);
        run.AssertGeneratedCodeIsClean();
        string code = run.SingleSource;
        Assert.Contains("private static void NetGradientPart1(", code);
        Assert.Contains("private static void NetGradientPart2(", code);
        Assert.Contains("NetGradientPart2(w1, w2, x, dW1, dW2, frame);", code);
        // Each part stays well inside the JIT's limits: count its statements.
        foreach (string part in code.Split("private static void NetGradientPart").Skip(1))
        {
            string body = part[..part.IndexOf("\n        }\n", StringComparison.Ordinal)];
            int statements = body.Split('\n').Count(line => line.TrimEnd().EndsWith(';'));
            Assert.InRange(statements, 1, 1_500);
        }
    }

    [Fact]
    public void A_small_gradient_is_one_method() =>
        Assert.DoesNotContain("GradientPart", GeneratorHarness.Run(SampleSources.SeedNet, SampleSources.ImplicitUsings).SingleSource);
}

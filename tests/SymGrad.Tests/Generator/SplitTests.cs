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
        GeneratorRun run = GeneratorHarness.Run(StraightLine, SampleSources.ImplicitUsings);
        run.AssertGeneratedCodeIsClean();
        string code = run.SingleSource;
        Assert.Contains("private static void NetGradientPart1(", code);
        Assert.Contains("private static void NetGradientPart2(", code);
        Assert.Contains("NetGradientPart2(v, dV, frame);", code);
        // Each part stays well inside the JIT's limits: count its statements.
        foreach (string part in code.Split("private static void NetGradientPart").Skip(1))
        {
            string body = part[..part.IndexOf("\n        }\n", StringComparison.Ordinal)];
            int statements = body.Split('\n').Count(line => line.TrimEnd().EndsWith(';'));
            Assert.InRange(statements, 1, 1_500);
        }
    }

    /// <summary>
    /// 1,500 statements of straight-line code (loops stay loops now, so a long method is one written long): a
    /// sum of distinct terms over 40 inputs.
    /// </summary>
    private static readonly string StraightLine =
        "using System;\nusing SymGrad;\n\nnamespace Samples;\n\npublic static partial class Long\n{\n    [Differentiable]\n    public static double Net(double[] v)\n    {\n        double s = 0;\n"
        + string.Join("\n", Enumerable.Range(0, 1500).Select(k => $"        s += Math.Sin(v[{k % 40}] * {k + 1}.0) * v[{k * 7 % 40}];"))
        + "\n        return s;\n    }\n}\n";

    [Fact]
    public void A_small_gradient_is_one_method() =>
        Assert.DoesNotContain("GradientPart", GeneratorHarness.Run(SampleSources.SeedNet, SampleSources.ImplicitUsings).SingleSource);
}

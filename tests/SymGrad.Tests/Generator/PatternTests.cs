namespace SymGrad.Tests.Generator;

/// <summary>
/// <c>is</c> patterns of comparisons (<c>x is &gt; 0 and &lt; 1</c>, <c>or</c>, <c>not</c>, constants, <c>double.NaN</c>)
/// and switch expressions (arms, <c>when</c> guards, the discard arm) as real branches: the gradient against the tape
/// and finite differences, on every arm; what stays out (type patterns, a switch with no discard arm) is SG0011.
/// </summary>
public class PatternTests
{
    private const string Source = """
        using System;
        using SymGrad;

        public static partial class Patterns
        {
            [Differentiable]
            public static double Piecewise(double x, double y)
            {
                double a = x is > 0 and < 1 ? x * x : (x is <= -1 or >= 2 ? Math.Sin(x) : y * x);
                double b = y switch
                {
                    < -0.5 => y * y,
                    > 0.5 when x > 0 => Math.Exp(y),
                    0.25 => 3 * y,
                    _ => x + y,
                };
                if (x is not > 0.3) a += y;
                return a + b + (y is double.NaN ? 0 : y);
            }

            [Differentiable]
            public static double Counted(double x, int n) => n switch { 0 => x, 1 or 2 => x * x, _ => Math.Pow(x, n) };
        }
        """;

    private static readonly Lazy<Dictionary<string, Probe>> Probes =
        new(() => Probe.Load(GeneratorHarness.Run(Source, SampleSources.ImplicitUsings), "Piecewise", "Counted").Probes);

    [Theory]
    // Every arm of each pattern and of the switch: x in (0, 1), x <= -1, x >= 2, between; y < -0.5, y > 0.5 with x > 0
    // and without, y = 0.25 exactly, and the rest.
    [InlineData(0.5, -0.9)]
    [InlineData(-1.5, 0.7)]
    [InlineData(2.5, 0.7)]
    [InlineData(1.5, 0.3)]
    [InlineData(-0.5, 0.1)]
    [InlineData(0.2, 0.9)]
    public void Patterns_and_switch_arms_match_the_tape_and_finite_differences(double x, double y)
    {
        GradientCorrectnessTests.CheckPoint("Piecewise", Probes.Value["Piecewise"], [x, y]);
    }

    [Theory]
    [InlineData(0.7, 4.0)] // the arm 3y, plus y; x in (0, 1) gives x^2, no y
    [InlineData(1.5, 5.5)] // the arm 3y, plus y, plus the middle branch y x
    public void The_constant_arm_is_taken_at_its_value_alone(double x, double dy)
    {
        // At y = 0.25 exactly the switch takes its constant arm, which finite differences cannot see (y +- h does not
        // match it): the derivative is the arm's, in closed form, and the tape's.
        object?[] adjoints = Probes.Value["Piecewise"].NewAdjoints([x, 0.25], 0.0);
        Probes.Value["Piecewise"].Gradient([x, 0.25], adjoints);
        Assert.Equal(dy, (double)adjoints[1]!);
        (_, object?[] tape) = Probes.Value["Piecewise"].Tape([x, 0.25]);
        Assert.Equal(dy, (double)tape[1]!);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void A_switch_on_an_int_picks_the_arm_at_run_time(int n)
    {
        GradientCorrectnessTests.CheckPoint("Counted", Probes.Value["Counted"], [1.3, n]);
        object?[] adjoints = Probes.Value["Counted"].NewAdjoints([1.3, n], 0.0);
        Probes.Value["Counted"].Gradient([1.3, n], adjoints);
        double expected = n switch { 0 => 1, 1 or 2 => 2 * 1.3, _ => n * Math.Pow(1.3, n - 1) };
        Assert.Equal(expected, (double)adjoints[0]!, 1e-12);
    }

    [Theory]
    [InlineData("[Differentiable] public static double F(double x) => x switch { > 0 => x, < 0 => -x };", "x switch { > 0 => x, < 0 => -x }")]
    [InlineData("[Differentiable] public static double F(double x) => x is double d ? d : 0;", "double d")]
    public void What_stays_out_is_SG0011_on_the_construct(string members, string located)
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything("using System; using SymGrad; public static partial class C { " + members + " }", SampleSources.ImplicitUsings);
        var diagnostic = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal("SG0011", diagnostic.Id);
        Assert.Equal(located, run.LocatedText(diagnostic));
    }
}

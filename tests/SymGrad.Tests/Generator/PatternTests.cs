using Microsoft.CodeAnalysis;

namespace SymGrad.Tests.Generator;

/// <summary>
/// <c>is</c> patterns of comparisons (<c>x is &gt; 0 and &lt; 1</c>, <c>or</c>, <c>not</c>, constants, <c>double.NaN</c>)
/// switch expressions (arms, <c>when</c> guards, the discard arm) and switch statements (sections, several labels,
/// guards, default anywhere, continue of a loop) as real branches: the gradient against the tape, a closed form
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

            [Differentiable]
            public static double Sections(double x, int n)
            {
                double y = x;
                switch (n)
                {
                    case 0:
                        y = x * x;
                        break;
                    case 1:
                    case 2:
                        y = Math.Sin(x) + y;
                        break;
                    default:
                        y += 3 * x;
                        break;
                    case > 5 when x > 0:
                        return Math.Exp(x) + y;
                }
                double z = 0;
                switch (x)
                {
                    case < 0: z = -x; break;
                    case >= 0 and < 1: z = x * x * x; break;
                }
                for (int i = 0; i < n; i++)
                {
                    switch (i % 3)
                    {
                        case 0: y += x * i; break;
                        case 1: continue;
                        default: y *= 1.25; break;
                    }
                    y += 0.5 * x;
                }
                return y + z;
            }
        }
        """;

    private static readonly Lazy<Dictionary<string, Probe>> Probes =
        new(() => Probe.Load(GeneratorHarness.Run(Source, SampleSources.ImplicitUsings), "Piecewise", "Counted", "Sections").Probes);

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
    // Every section: n = 0, 1, 2 (two labels), 3 and 4 (default), 6 and 7 with x > 0 (the guarded return) and with
    // x < 0 (the guard fails: default); x < 0, in [0, 1) and past 1 (no section of the second switch); the loop's
    // continue and default sections for n > 1.
    [InlineData(0.5, 0)]
    [InlineData(-0.7, 1)]
    [InlineData(1.3, 2)]
    [InlineData(0.4, 3)]
    [InlineData(2.5, 4)]
    [InlineData(0.8, 6)]
    [InlineData(-0.8, 7)]
    public void Switch_statements_take_each_section_as_a_real_branch(double x, int n)
    {
        GradientCorrectnessTests.CheckPoint("Sections", Probes.Value["Sections"], [x, n]);
        object?[] adjoints = Probes.Value["Sections"].NewAdjoints([x, n], 0.0);
        Probes.Value["Sections"].Gradient([x, n], adjoints);
        Assert.Equal(SectionsDerivative(x, n), (double)adjoints[0]!, 1e-12);
    }

    /// <summary>The derivative of <c>Sections</c> in closed form, section by section (independent of the generator).</summary>
    private static double SectionsDerivative(double x, int n)
    {
        double dy = n switch { 0 => 2 * x, 1 or 2 => Math.Cos(x) + 1, > 5 when x > 0 => double.NaN, _ => 4 };
        if (n > 5 && x > 0) return Math.Exp(x) + 1; // the guarded section returns e^x + y, y = x
        double dz = x < 0 ? -1 : x < 1 ? 3 * x * x : 0;
        for (int i = 0; i < n; i++)
        {
            switch (i % 3)
            {
                case 0: dy += i; break;
                case 1: continue;
                default: dy *= 1.25; break;
            }
            dy += 0.5;
        }
        return dy + dz;
    }

    [Fact]
    public void A_break_out_of_the_middle_of_a_switch_section_is_SG0005()
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything("""
            using System;
            using SymGrad;
            public static partial class Bad
            {
                [Differentiable]
                public static double F(double x, int n)
                {
                    switch (n)
                    {
                        case 0:
                            if (x > 1) break;
                            x = x * x;
                            break;
                    }
                    return x;
                }
            }
            """);
        Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal("SG0005", d.Id);
        Assert.Contains("break out of the middle of a switch section", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("break", run.LocatedText(d)); // on its keyword, as every SG0005
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

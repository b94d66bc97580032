using System.Reflection;

namespace SymGrad.Tests.Generator;

/// <summary>
/// User derivative rules (<see cref="DerivativeOfAttribute"/>): a call of a ruled function is kept as a call, and its
/// partials come from the rule, in the gradient, forward mode and the tape twin (a <see cref="Value.Rule(double, string, Value, double)"/>
/// node). Checked against the tape and finite differences (the rules here are exact), inside a runtime loop too; a
/// plain call with no active argument needs no rule; what cannot work is an SG diagnostic on the call; and
/// <see cref="DerivativeCheck"/> tells a wrong rule from a right one.
/// </summary>
public class DerivativeRuleTests
{
    internal const string Source = """
        using System;
        using SymGrad;

        public static class Library
        {
            public static double Softsign(double x) => x / (1 + Math.Abs(x));
        }

        public static partial class Rules
        {
            public static double LogCosh(double x) => Math.Log(Math.Cosh(x));

            [DerivativeOf(nameof(LogCosh))]
            public static double LogCoshDerivative(double x) => Math.Tanh(x);

            public static double Hypot(double a, double b) => Math.Sqrt(a * a + b * b);

            [DerivativeOf(nameof(Hypot))]
            internal static (double, double) HypotDerivative(double a, double b)
            {
                double h = Hypot(a, b);
                return (a / h, b / h);
            }

            // A rule for another type's method lives beside the methods that use it.
            [DerivativeOf(typeof(Library), nameof(Library.Softsign))]
            public static double SoftsignDerivative(double x) => 1 / ((1 + Math.Abs(x)) * (1 + Math.Abs(x)));

            // A lookup of no active argument: kept as a call, no rule needed.
            public static double Scale(int k) => 0.5 * k;

            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward)]
            public static double UsesRules(double x, double y, double[] v)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++) s += LogCosh(v[i] * x) + Hypot(v[i], y) * s * 0.1;
                return s + Library.Softsign(x * y) + Scale(v.Length) * x;
            }
        }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorHarness.Run(Source, SampleSources.ImplicitUsings));

    private static readonly Lazy<(LoadedAssembly Assembly, Dictionary<string, Probe> Probes)> Loaded = new(() => Probe.Load(Run.Value, "UsesRules"));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void Ruled_calls_match_the_tape_and_finite_differences_inside_a_runtime_loop(int n)
    {
        var r = new Random(40 + n);
        for (int point = 0; point < 4; point++)
        {
            double[] v = Enumerable.Range(0, n).Select(_ => 2 * r.NextDouble() - 1).ToArray();
            GradientCorrectnessTests.CheckPoint("UsesRules", Loaded.Value.Probes["UsesRules"], [2 * r.NextDouble() - 1, 2 * r.NextDouble() - 1, v]);
        }
    }

    [Fact]
    public void Forward_mode_uses_the_rules_too()
    {
        Probe probe = Loaded.Value.Probes["UsesRules"];
        double[] v = [0.3, -0.8, 0.55];
        double[] tv = [0.2, 0.1, -0.4];
        (double x, double y, double tx, double ty) = (0.7, -0.4, -0.6, 0.9);
        object?[] adjoints = probe.NewAdjoints([x, y, v], 0.0);
        probe.Gradient([x, y, v], adjoints);
        double expected = (double)adjoints[0]! * tx + (double)adjoints[1]! * ty + ((double[])adjoints[2]!).Zip(tv, (g, t) => g * t).Sum();
        // ReadOnlySpan<double> cannot be boxed: the JVP is called through a delegate of its exact signature.
        double derivative = Jvp(x, y, v, tx, ty, tv);
        Assert.True(GradientCorrectnessTests.Close(expected, derivative, 1e-12), $"JVP {derivative:R}, gradient · t {expected:R}");
    }

    [Fact]
    public void The_call_and_its_rule_are_kept_as_calls()
    {
        string code = Assert.Single(Run.Value.Sources).Value;
        string gradient = code[code.IndexOf("UsesRulesGradient(", StringComparison.Ordinal)..code.IndexOf("UsesRulesJvp(", StringComparison.Ordinal)];
        Assert.Contains("global::Rules.LogCosh(", gradient);
        Assert.Contains("global::Rules.LogCoshDerivative(", gradient);
        Assert.Contains("global::Rules.HypotDerivative(", gradient);
        Assert.Contains(".Item2", gradient); // Hypot's partial with respect to y
        Assert.Contains("global::Rules.SoftsignDerivative(", gradient);
        Assert.Contains("global::Rules.Scale(", gradient);
        Assert.DoesNotContain("ScaleDerivative", code);
        string tape = code[code.IndexOf("UsesRulesTape(", StringComparison.Ordinal)..];
        Assert.Contains("global::SymGrad.Value.Rule(global::Rules.LogCosh(", tape);
    }

    [Fact]
    public void The_rule_check_tells_a_wrong_rule_from_a_right_one()
    {
        static double LogCosh(double x) => Math.Log(Math.Cosh(x));
        double[] points = [-2.0, -0.3, 0.0, 0.8, 3.5];
        Assert.True(DerivativeCheck.MaxError(LogCosh, Math.Tanh, points) < 1e-7);
        Assert.True(DerivativeCheck.MaxError(LogCosh, x => 1.01 * Math.Tanh(x), points) > 1e-3); // 1% off
        Assert.True(DerivativeCheck.MaxError(LogCosh, x => Math.Tanh(-x), points) > 0.5); // a sign error

        static double Hypot(double a, double b) => Math.Sqrt(a * a + b * b);
        (double, double) Right(double a, double b) => (a / Hypot(a, b), b / Hypot(a, b));
        (double, double) Swapped(double a, double b) => (b / Hypot(a, b), a / Hypot(a, b));
        (double A, double B)[] pairs = [(0.3, 0.4), (-1.5, 2.0), (3.0, -0.2)];
        Assert.True(DerivativeCheck.MaxError(Hypot, Right, pairs) < 1e-7);
        Assert.True(DerivativeCheck.MaxError(Hypot, Swapped, pairs) > 0.1);
        Assert.Throws<ArgumentException>("points", () => DerivativeCheck.MaxError(LogCosh, Math.Tanh));
    }

    [Theory]
    [InlineData(0.3, -1.2, 0.8, 3)]
    [InlineData(-0.7, 0.4, 1.9, 0)]
    [InlineData(1.1, 2.2, -0.6, 5)]
    public void A_rule_of_three_arguments_gives_each_its_partial_in_the_gradient_the_jvp_and_the_tape(double a, double b, double t, int n)
    {
        var probes = Probe.Load(GeneratorHarness.Run("""
            using System;
            using SymGrad;
            public static partial class Three
            {
                /// <summary>Kept as a call: its rule gives the three partials.</summary>
                public static double Lerp(double a, double b, double t) => a + (b - a) * t;

                [DerivativeOf(nameof(Lerp))]
                public static (double, double, double) LerpPartials(double a, double b, double t) => (1 - t, t, b - a);

                [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward)]
                public static double F(double a, double b, double t, int n)
                {
                    double s = Lerp(a, b * b, Math.Tanh(t));
                    for (int i = 0; i < n; i++) s = Lerp(s, Math.Sin(s + i), 0.25 * t);
                    return s * Lerp(1.0, a, 0.5);
                }
            }
            """), "F").Probes;
        GradientCorrectnessTests.CheckPoint("F", probes["F"], [a, b, t, n]);
    }

    [Theory]
    // A differentiated value reaches a call that has no rule.
    [InlineData("public static double F(double x) => x * x; [Differentiable] public static double G(double x) => F(x) + 1;", "SG0007", "F")]
    // A rule of the wrong shape.
    [InlineData("public static double F(double x) => x * x; [DerivativeOf(nameof(F))] public static (double, double) FD(double x) => (x, x); [Differentiable] public static double G(double x) => F(x) + 1;", "SG0018", "F")]
    [InlineData("public static double F(double a, double b) => a * b; [DerivativeOf(nameof(F))] public static double FD(double a, double b) => a; [Differentiable] public static double G(double x) => F(x, 2) + 1;", "SG0018", "F")]
    [InlineData("public static double F(double a, double b, double c) => a * b * c; [DerivativeOf(nameof(F))] public static (double, double) FD(double a, double b, double c) => (a, b); [Differentiable] public static double G(double x) => F(x, 2, x) + 1;", "SG0018", "F")]
    [InlineData("public static double F(double x) => x * x; [DerivativeOf(nameof(F))] private static double FD(double x) => 2 * x; [Differentiable] public static double G(double x) => F(x) + 1;", "SG0018", "F")]
    // Second order through a rule of first derivatives.
    [InlineData("public static double F(double x) => x * x; [DerivativeOf(nameof(F))] public static double FD(double x) => 2 * x; [Differentiable(Modes = DerivativeModes.HessianVector)] public static double G(double x) => F(x) + 1;", "SG0018", "F")]
    public void What_cannot_work_is_a_diagnostic_on_the_call(string members, string id, string located)
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything("using System; using SymGrad; public static partial class C { " + members + " }", SampleSources.ImplicitUsings);
        var diagnostic = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(located, run.LocatedText(diagnostic));
    }

    private static double Jvp(double x, double y, double[] v, double tx, double ty, double[] tv)
    {
        MethodInfo jvp = Loaded.Value.Assembly.Method("Rules", "UsesRulesJvp");
        // UsesRulesJvp(double x, double y, double[] v, double tX, double tY, ReadOnlySpan<double> tV, out double derivative)
        var call = (JvpDelegate)Delegate.CreateDelegate(typeof(JvpDelegate), jvp);
        call(x, y, v, tx, ty, tv, out double derivative);
        return derivative;
    }

    private delegate double JvpDelegate(double x, double y, double[] v, double tX, double tY, ReadOnlySpan<double> tV, out double derivative);
}

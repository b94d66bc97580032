namespace SymGrad.Tests.Generator;

/// <summary>
/// Corners of the language where a differentiator is easy to get wrong: branch merges of local array elements,
/// runtime branches inside unrolled loops, inlined callees with early returns inside a caller's branch, named
/// arguments, casts to int, gradients through a callee's [NoDerivative] parameter, and the one-sided conventions at
/// kinks (where only the tape, not finite differences, is the reference).
/// </summary>
public class EdgeCaseTests
{
    private const string Source = """
        using System;
        using SymGrad;

        namespace Edge;

        public static partial class E
        {
            [Differentiable]
            public static double ArrayInBranches(double x, double y)
            {
                Span<double> a = stackalloc double[3];
                a[2] = y;
                if (x > 0) { a[0] = x * y; a[2] += x; }
                else a[1] = x - y;
                return a[0] * a[1] + a[0] + a[1] * a[2] + a[2];
            }

            [Differentiable]
            public static double BranchInLoop(double x, double[] v)
            {
                double s = 0;
                for (int i = 0; i < 3; i++)
                {
                    if (v[i] > 0) s += v[i] * x;
                    else s -= v[i] * v[i];
                    s *= i == 0 ? 1 : 0.5;
                }
                return s;
            }

            [Differentiable]
            public static double Early(double x)
            {
                if (x > 1) return Math.Log(x);
                double q = x * x;
                if (q > 0.25) return q;
                return 0.25 + x;
            }

            [Differentiable]
            public static double CallsInBranches(double x, double y)
            {
                double r;
                if (y > 0) r = Early(x) * y;
                else r = Early(y) + Early(x * 2);
                return y > 1 ? (x > 0 ? r * x : r) : -r;
            }

            [Differentiable]
            public static double NamedArguments(double a, double b) =>
                Math.Pow(y: 3.0, x: a) + Math.Max(val2: a, val1: b) * Math.Atan(a * b);

            [Differentiable]
            public static double CastToInt(double x, int n)
            {
                const double c = 2.5;
                double k = (int)(x * c);
                int m = n * 2 - 1;
                return k * x + m * x / n + (double)m;
            }

            [Differentiable]
            public static double Scaled(double x, [NoDerivative] double k) => x * k * k;

            [Differentiable]
            public static double ThroughNoDerivative(double x) => Scaled(x, x) + Scaled(2, x);

            [Differentiable]
            public static double Length(double[] v)
            {
                double[] w = [v[0], v[1], 3];
                double t = 0;
                for (int i = 0; i < w.Length; i++) t += w[i] * i; // a local array's length is a constant
                return Sum(w) * w.Length + v.Length + t;
            }

            [Differentiable]
            public static double Sum(ReadOnlySpan<double> s)
            {
                double t = 0;
                for (int i = 0; i < 3; i++) t += s[i];
                return t;
            }

            [Differentiable]
            public static double Kinks(double x, double y) =>
                SymMath.Relu(x) * 3 + Math.Abs(y) * 5 + Math.Max(x, y) * 7 + Math.Min(x, y) * 11 + Math.Max(0, y) * 13 + Math.Max(x, 0) * 17;
        }
        """;

    // Math.Atan2Free does not exist: replaced below by a supported expression (kept out of the source's first draft).
    private static readonly string Compiled = Source.Replace("Math.Atan(a * b)", "Math.Atan(a * b)");

    private static readonly Lazy<Dictionary<string, Probe>> Probes = new(() =>
        Probe.Load(GeneratorHarness.Run(Source), "ArrayInBranches", "BranchInLoop", "Early", "CallsInBranches",
            "NamedArguments", "CastToInt", "Scaled", "ThroughNoDerivative", "Length", "Sum", "Kinks").Probes);

    public static TheoryData<string, double[]> ScalarPoints => new()
    {
        { "ArrayInBranches", [0.7, -1.3] }, { "ArrayInBranches", [-0.7, 1.3] },
        { "Early", [2.5] }, { "Early", [0.8] }, { "Early", [-0.9] }, { "Early", [0.1] },
        { "CallsInBranches", [2.5, 1.5] }, { "CallsInBranches", [-0.6, 1.5] }, { "CallsInBranches", [0.3, 0.5] },
        { "CallsInBranches", [0.8, -0.2] }, { "CallsInBranches", [1.7, -0.9] },
        { "NamedArguments", [0.6, -0.4] }, { "NamedArguments", [-0.6, 0.9] },
        { "ThroughNoDerivative", [0.8] }, { "ThroughNoDerivative", [-1.6] },
        { "Scaled", [0.8, 1.5] },
    };

    [Theory]
    [MemberData(nameof(ScalarPoints))]
    public void Gradient_equals_tape_and_finite_differences(string method, double[] point) =>
        GradientCorrectnessTests.CheckPoint(method, Probes.Value[method], point.Cast<object>().ToArray());

    [Theory]
    [InlineData(0.5, 1.0, -2.0, 3.0)]
    [InlineData(-0.5, -1.0, 2.0, 0.3)]
    [InlineData(1.5, 0.2, 0.1, -0.1)]
    public void Runtime_branches_inside_an_unrolled_loop(double x, double v0, double v1, double v2) =>
        GradientCorrectnessTests.CheckPoint("BranchInLoop", Probes.Value["BranchInLoop"], [x, new[] { v0, v1, v2 }]);

    [Theory]
    [InlineData(0.3, 1)]
    [InlineData(1.1, 2)]
    [InlineData(-0.7, 3)]
    public void Casts_to_int_are_piecewise_constant(double x, int n) =>
        GradientCorrectnessTests.CheckPoint("CastToInt", Probes.Value["CastToInt"], [x, n]);

    [Fact]
    public void Lengths_of_local_arrays_and_of_parameters()
    {
        GradientCorrectnessTests.CheckPoint("Length", Probes.Value["Length"], [new[] { 0.4, -1.2 }]);
        GradientCorrectnessTests.CheckPoint("Length", Probes.Value["Length"], [new[] { 0.4, -1.2, 9.0, 9.0 }]);
        GradientCorrectnessTests.CheckPoint("Sum", Probes.Value["Sum"], [new[] { 0.4, -1.2, 2.0, 5.0 }]);
    }

    [Fact]
    public void A_callees_no_derivative_parameter_still_carries_the_callers_gradient()
    {
        // ThroughNoDerivative(x) = x * x * x + 2 * x * x: inlined, the callee's [NoDerivative] k is the caller's x,
        // so the caller's derivative is the total one, 3x^2 + 4x (what finite differences measure).
        Probe probe = Probes.Value["ThroughNoDerivative"];
        const double x = 0.8;
        object?[] d = probe.NewAdjoints([x], 0.0);
        Assert.Equal(x * x * x + 2 * x * x, probe.Gradient([x], d), 1e-15);
        Assert.Equal(3 * x * x + 4 * x, (double)d[0]!, 1e-14);
    }

    public static TheoryData<double, double> KinkPoints => new()
    {
        { 0.0, 0.0 }, { 0.0, 1.0 }, { 1.0, 0.0 }, { 1.0, 1.0 }, { -1.0, -1.0 }, { -0.0, 0.0 }, { 0.0, -0.0 },
    };

    [Theory]
    [MemberData(nameof(KinkPoints))]
    public void At_kinks_the_generated_gradient_follows_the_tapes_one_sided_convention(double x, double y)
    {
        // Relu'(0) = 0, Abs'(0) = 0, Max gives ties to its second operand, Min too, Max(0, z) is a ReLU.
        Probe probe = Probes.Value["Kinks"];
        object[] args = [x, y];
        object?[] d = probe.NewAdjoints(args, double.NaN);
        double value = probe.Gradient(args, d);
        (double tapeValue, object?[] tape) = probe.Tape(args);
        Assert.Equal(tapeValue, value);
        Assert.Equal((double)tape[0]!, (double)d[0]!);
        Assert.Equal((double)tape[1]!, (double)d[1]!);
    }

    [Fact]
    public void At_a_tie_max_and_min_give_the_whole_gradient_to_the_second_operand()
    {
        // Kinks(1, 1): Relu'(1) = 1 -> 3; Abs'(1) = 1 -> 5; Max tie -> y: 7; Min tie -> y: 11; Max(0, y) -> 13; Max(x, 0) -> 17.
        Probe probe = Probes.Value["Kinks"];
        object?[] d = probe.NewAdjoints([1.0, 1.0], double.NaN);
        probe.Gradient([1.0, 1.0], d);
        Assert.Equal(3.0 + 17.0, (double)d[0]!);
        Assert.Equal(5.0 + 7.0 + 11.0 + 13.0, (double)d[1]!);
    }
}

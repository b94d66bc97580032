using System.Text;
using SymGrad.Tests.Generator;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// IEEE corner cases: at NaN, ±Infinity, ±0, subnormal (double.Epsilon), huge (1e300) and tiny (1e-300) inputs, the
/// generated gradient has the tape's NaN/Infinity pattern (both NaN, or equal including the sign of an infinity,
/// finite values to 1e-12), and returns the method's own value. At the kinks of ReLU, Max, Min and Abs both follow
/// the documented one-sided convention: Relu'(0) = 0 (Math.Max(0, z) is a ReLU), ties of Max/Min go to the second
/// operand, Abs'(0) = 0.
/// </summary>
public class NumericsTests
{
    internal static readonly double[] Specials =
        [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, -double.Epsilon,
         1e300, -1e300, 1e-300, -1e-300, 1.0, -2.5];

    /// <summary>One-variable bodies over every supported function, raw (no domain guard), and a few compositions.</summary>
    public static readonly string[] Unary =
    [
        "Math.Exp(x)", "Math.Log(x)", "Math.Sqrt(x)", "Math.Tanh(x)", "Math.Sin(x)", "Math.Cos(x)", "Math.Tan(x)",
        "Math.Atan(x)", "Math.Abs(x)", "SymMath.Relu(x)", "Math.Max(0, x)", "Math.Max(x, 0.0)", "Math.Min(x, 0.0)",
        "SymMath.Sigmoid(x)", "SymMath.Softplus(x)", "Math.Pow(x, 2.0)", "Math.Pow(x, 3.0)", "Math.Pow(x, 0.5)",
        "Math.Pow(x, -1.0)", "Math.Pow(x, 1.0)", "Math.Pow(x, 0.0)", "Math.Pow(2.0, x)",
        "-x", "x * x", "1.0 / x", "x / 3.0", "x - x",
        "Math.Exp(x) * x", "Math.Log(x * x)", "Math.Sqrt(x * x)", "x * Math.PI + Math.E", "Math.Exp(-x * x)",
        "x > 0 ? Math.Sqrt(x) : -x", "Math.Tanh(Math.Exp(x))", "SymMath.Sigmoid(1e3 * x)",
        // A NaN or infinite adjoint arriving at a kink: the tape multiplies it by the local derivative 0.
        "SymMath.Relu(x) * Math.Log(SymMath.Relu(x))", "Math.Abs(x) * Math.Log(Math.Abs(x))",
        "Math.Max(x, 1.0) * Math.Log(Math.Max(x, 1.0) - 1.0)", "Math.Min(x, 0.0) / Math.Min(x, 0.0)",
    ];

    public static readonly string[] Binary =
    [
        "x * y", "x / y", "x + y", "x - y", "Math.Max(x, y)", "Math.Min(x, y)", "Math.Pow(x, y)", "Math.Atan(x) * y",
        "x > y ? x * y : x / y", "Math.Exp(x) * Math.Log(y)",
    ];

    private static string Source(string[] bodies, string parameters, string prefix)
    {
        var s = new StringBuilder("using SymGrad;\n\npublic static partial class Numerics\n{\n");
        for (int i = 0; i < bodies.Length; i++)
        {
            s.Append($"    [Differentiable]\n    public static double {prefix}{i}({parameters}) => {bodies[i]};\n\n");
        }
        return s.Append("}\n").ToString();
    }

    private static readonly Lazy<Dictionary<string, Probe>> Probes = new(() =>
    {
        GeneratorRun run = GeneratorHarness.Run(Source(Unary, "double x", "U") + Source(Binary, "double x, double y", "B")
            .Replace("using SymGrad;", ""), SampleSources.ImplicitUsings);
        string[] methods = [.. Unary.Select((_, i) => "U" + i), .. Binary.Select((_, i) => "B" + i)];
        return Probe.Load(run, methods).Probes; // the load context lives as long as the test run
    });

    /// <summary>Both NaN, or equal (an infinity with its sign), or finite and within 1e-12 relative.</summary>
    internal static bool SamePattern(double a, double b) =>
        double.IsNaN(a) ? double.IsNaN(b) : double.IsNaN(b) ? false :
        double.IsInfinity(a) || double.IsInfinity(b) ? a == b : ProgramChecker.Close(a, b, 1e-12);

    /// <summary>Every mismatch between the generated gradient and the tape for one method at the given arguments.</summary>
    private static IEnumerable<string> Mismatches(string body, Probe probe, double[] args)
    {
        object[] boxed = args.Cast<object>().ToArray();
        double value = probe.Value(boxed);
        object?[] generated = probe.NewAdjoints(boxed, 1e3);
        double returned = probe.Gradient(boxed, generated);
        (double tapeValue, object?[] tape) = probe.Tape(boxed);
        string at = string.Join(", ", args.Select(a => a.ToString("R")));
        if (!returned.Equals(value)) yield return $"{body} at ({at}): Gradient returned {returned:R}, the method {value:R}";
        if (!SamePattern(tapeValue, value)) yield return $"{body} at ({at}): tape value {tapeValue:R}, the method {value:R}";
        for (int i = 0; i < args.Length; i++)
        {
            double g = (double)generated[i]!, t = (double)tape[i]!;
            if (!SamePattern(g, t)) yield return $"{body} at ({at}): d/d{"xy"[i]} generated {g:R}, tape {t:R}";
        }
    }

    [Fact]
    public void One_variable_functions_have_the_tapes_nan_and_infinity_pattern()
    {
        var problems = new List<string>();
        for (int i = 0; i < Unary.Length; i++)
        {
            foreach (double x in Specials)
            {
                problems.AddRange(Mismatches(Unary[i], Probes.Value["U" + i], [x]));
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Two_variable_functions_have_the_tapes_nan_and_infinity_pattern()
    {
        var problems = new List<string>();
        for (int i = 0; i < Binary.Length; i++)
        {
            foreach (double x in Specials)
            foreach (double y in Specials)
            {
                problems.AddRange(Mismatches(Binary[i], Probes.Value["B" + i], [x, y]));
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static (double[] Generated, double[] Tape) Gradients(string body, params double[] args)
    {
        int index = Array.IndexOf(Unary, body);
        Probe probe = index >= 0 ? Probes.Value["U" + index] : Probes.Value["B" + Array.IndexOf(Binary, body)];
        object[] boxed = args.Cast<object>().ToArray();
        object?[] generated = probe.NewAdjoints(boxed, 1e3);
        probe.Gradient(boxed, generated);
        (_, object?[] tape) = probe.Tape(boxed);
        return (generated.Select(g => (double)g!).ToArray(), tape.Select(t => (double)t!).ToArray());
    }

    [Theory]
    [InlineData("SymMath.Relu(x)")]
    [InlineData("Math.Max(0, x)")]
    [InlineData("Math.Max(x, 0.0)")]
    [InlineData("Math.Abs(x)")]
    public void At_zero_relu_and_abs_have_derivative_zero(string body)
    {
        foreach (double zero in new[] { 0.0, -0.0 })
        {
            (double[] generated, double[] tape) = Gradients(body, zero);
            Assert.Equal(0.0, generated[0]);
            Assert.Equal(0.0, tape[0]);
        }
    }

    [Theory]
    [InlineData("Math.Max(x, y)", 1.5)]
    [InlineData("Math.Min(x, y)", 1.5)]
    [InlineData("Math.Max(x, y)", 0.0)]
    [InlineData("Math.Min(x, y)", -3.0)]
    public void Ties_of_max_and_min_go_to_the_second_operand(string body, double tie)
    {
        (double[] generated, double[] tape) = Gradients(body, tie, tie);
        Assert.Equal([0.0, 1.0], generated);
        Assert.Equal([0.0, 1.0], tape);
    }

    [Fact]
    public void Min_with_zero_is_not_a_relu_its_tie_goes_to_the_zero()
    {
        // Math.Min(x, 0.0) at x = 0: the constant second operand wins the tie, so d/dx = 0, as Max(x, 0.0) gives.
        (double[] generated, double[] tape) = Gradients("Math.Min(x, 0.0)", 0.0);
        Assert.Equal(0.0, generated[0]);
        Assert.Equal(0.0, tape[0]);
    }
}

using System.Reflection;
using System.Text;
using SymGrad.Tests.Generator;
using Xunit.Abstractions;

using static SymGrad.Tests.Fuzz.FuzzBatch;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// The random programs of <see cref="RandomPrograms"/> with their <c>Math.Tanh</c> and <c>Math.Sin</c> calls replaced
/// by calls of user functions of another class that carry <c>[DerivativeOf]</c> rules (issue 15): kept as calls, in
/// every kind of statement, branch and loop the programs have, in the gradient, the JVP and the tape twin. At every
/// point the value is the static program's to the bit, and the gradient and the JVP equal the static program's (the
/// built-in derivatives) to 1e-12 relative: a kept call is never shared, so where the static program shares one
/// <c>tanh</c> between two uses the sums round differently. A wrong rule is caught by <c>DerivativeCheck.MaxError</c>
/// at the programs' points. <c>SYMGRAD_FUZZ_RULE=N</c> runs more programs.
/// </summary>
public class RuleFuzzTests(ITestOutputHelper output)
{
    private const int BatchSize = 50;

    private const double Tolerance = 1e-12;

    [Fact]
    public void Random_programs_calling_functions_with_rules_match_the_built_in_derivatives()
    {
        int programs = DifferentialTests.EnvInt("SYMGRAD_FUZZ_RULE", 200);
        Program[] drawn = FixedSample.Draw(RandomPrograms.Programs, FixedSample.Seed(20261210), programs)
            .Where(p => p.Source(0).Contains("Math.Tanh(", StringComparison.Ordinal) || p.Source(0).Contains("Math.Sin(", StringComparison.Ordinal)).ToArray();
        int points = 0, partials = 0, nonZero = 0, ruleCalls = 0;
        var failures = new List<string>();
        for (int start = 0; start < drawn.Length; start += BatchSize)
        {
            Program[] batch = drawn.Skip(start).Take(BatchSize).ToArray();
            string[] sources = batch.Select((p, i) => p.Source(i) + ProgramChecker.Glue(i))
                .Concat(batch.Select((p, i) => RuleSource(p, i)))
                .Append(SampleSources.ImplicitUsings).Append(ProgramChecker.Shared).Append(Rules).ToArray();
            using LoadedAssembly loaded = FuzzBatch.Load(sources, RuleSource(batch[0], 0));
            for (int i = 0; i < batch.Length; i++)
            {
                ruleCalls += CountRuleCalls(RuleSource(batch[i], i));
                Type glue = loaded.Assembly.GetType("Fuzz.G" + i)!, ruleGlue = loaded.Assembly.GetType("Fuzz.RG" + i)!;
                foreach (Point point in batch[i].Points)
                {
                    points++;
                    double[] z = [.. point.Inputs];
                    int[] k = [];
                    string where = $"program {start + i} at ({string.Join(", ", z)}; s = {point.S}, n = {point.N})\n{RuleSource(batch[i], i)}";
                    double[] reference = new double[9], g = new double[9];
                    double expected;
                    try
                    {
                        expected = (double)glue.GetMethod("Gradient")!.Invoke(null, [z, point.S, point.N, k, reference])!;
                    }
                    catch (TargetInvocationException)
                    {
                        continue; // the static program throws here (an index out of range); the other fuzz tests hold that
                    }
                    double got = (double)ruleGlue.GetMethod("Gradient")!.Invoke(null, [z, point.S, point.N, g])!;
                    if (!SameBits(expected, got)) failures.Add($"{where}: the value {got:R} is not the static program's {expected:R}");
                    if (!double.IsFinite(expected) || reference.Any(r => !double.IsFinite(r))) continue;
                    double scale = reference.Max(Math.Abs);
                    for (int q = 0; q < 9; q++)
                    {
                        partials++;
                        if (reference[q] != 0) nonZero++;
                        if (Math.Abs(reference[q] - g[q]) > Tolerance * (1 + scale))
                        {
                            failures.Add($"{where}: partial {q} is {g[q]:R} with the rules, {reference[q]:R} with the built-in derivatives");
                            break;
                        }
                    }
                    // The JVP along a fixed direction: the rules' partials in forward mode.
                    double[] u = [0.3, -0.7, 0.2, 0.5, -0.4, 0.9, -0.1, 0.6, -0.8];
                    var args = new object[] { z, point.S, point.N, k, u, 0.0 };
                    glue.GetMethod("Jvp")!.Invoke(null, args);
                    double staticJvp = (double)args[5];
                    var ruleArgs = new object[] { z, point.S, point.N, u, 0.0 };
                    ruleGlue.GetMethod("Jvp")!.Invoke(null, ruleArgs);
                    double ruleJvp = (double)ruleArgs[4];
                    if (double.IsFinite(staticJvp) && Math.Abs(staticJvp - ruleJvp) > Tolerance * (1 + Math.Abs(staticJvp) + scale))
                    {
                        failures.Add($"{where}: the JVP is {ruleJvp:R} with the rules, {staticJvp:R} with the built-in derivatives");
                    }
                }
            }
        }
        // A wrong rule (the sign of sin's derivative flipped) is what DerivativeCheck is for: it must stand out at the
        // programs' points, where the right rules agree with finite differences.
        double[] at = drawn.SelectMany(p => p.Points).SelectMany(p => p.Inputs).Where(double.IsFinite).Take(400).ToArray();
        double right = DerivativeCheck.MaxError(Math.Sin, Math.Cos, at), rightTanh = DerivativeCheck.MaxError(Math.Tanh, x => 1 - Math.Tanh(x) * Math.Tanh(x), at);
        double wrong = DerivativeCheck.MaxError(Math.Sin, x => -Math.Cos(x), at);
        string summary = $"{drawn.Length} programs with {ruleCalls} calls of functions with rules, {points} points, {partials} partials ({nonZero} nonzero) within {Tolerance} of the built-in derivatives; "
                         + $"DerivativeCheck.MaxError: right rules {Math.Max(right, rightTanh):E1}, a wrong rule {wrong:E1}";
        output.WriteLine(summary);
        FixedSample.Record(nameof(Random_programs_calling_functions_with_rules_match_the_built_in_derivatives), summary);
        Assert.True(failures.Count == 0, failures.Count + " failures; first:\n" + string.Join("\n\n", failures.Take(3)));
        Assert.True(drawn.Length > programs / 2, summary); // most programs call tanh or sin
        Assert.True(nonZero * 4 > partials, summary);
        Assert.True(Math.Max(right, rightTanh) < 1e-6, summary);
        Assert.True(wrong > 0.1, summary);
    }

    /// <summary>The user's functions and rules, in a class of their own (calls across classes).</summary>
    private const string Rules = """
        using System;
        using SymGrad;

        namespace Fuzz;

        public static class UserMath
        {
            /// <summary>A function SymGrad is told the derivative of, rather than reading it.</summary>
            public static double Tanh(double x) => Math.Tanh(x);

            [DerivativeOf(nameof(Tanh))]
            public static double TanhDerivative(double x)
            {
                double t = Math.Tanh(x);
                return 1.0 - t * t;
            }

            public static double Sin(double x) => Math.Sin(x);

            [DerivativeOf(nameof(Sin))]
            public static double SinDerivative(double x) => Math.Cos(x);
        }
        """;

    private static int CountRuleCalls(string source) =>
        (source.Length - source.Replace("UserMath.", "", StringComparison.Ordinal).Length) / "UserMath.".Length;


    /// <summary>The program with its tanh and sin calls on the user's functions, its gradient and JVP only, as class <c>R{i}</c>, and glue <c>RG{i}</c>.</summary>
    internal static string RuleSource(Program p, int index)
    {
        string source = p.Source(index);
        string members = FuzzBatch.Members(source, index)
            .Replace("[Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.HessianVector | DerivativeModes.Hessian)]",
                     "[Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward)]")
            .Replace("Math.Tanh(", "UserMath.Tanh(").Replace("Math.Sin(", "UserMath.Sin(");
        var s = new StringBuilder();
        s.Append("#pragma warning disable CS0162, CS0219, CS1717, CS1718\nusing SymGrad;\n\nnamespace Fuzz;\n\n");
        s.Append("public static partial class R").Append(index).Append("\n{\n").Append(members).Append("\n}\n");
        s.Append($$"""

            public static class RG{{index}}
            {
                private static double[] V(double[] z) => [z[2], z[3], z[4]];

                private static double[,] W(double[] z) => new double[,] { { z[5], z[6] }, { z[7], z[8] } };

                public static double Gradient(double[] z, double s, int n, double[] g)
                {
                    double dX = 1e3, dY = -1e3;
                    double[] dV = [1e3, 1e3, 1e3];
                    var dW = new double[,] { { 1e3, 1e3 }, { 1e3, 1e3 } };
                    double r = R{{index}}.FGradient(z[0], z[1], V(z), W(z), s, n, ref dX, ref dY, dV, dW);
                    g[0] = dX; g[1] = dY; g[2] = dV[0]; g[3] = dV[1]; g[4] = dV[2];
                    g[5] = dW[0, 0]; g[6] = dW[0, 1]; g[7] = dW[1, 0]; g[8] = dW[1, 1];
                    return r;
                }

                public static double Jvp(double[] z, double s, int n, double[] u, out double derivative) =>
                    R{{index}}.FJvp(z[0], z[1], V(z), W(z), s, n, u[0], u[1], new double[] { u[2], u[3], u[4] }, new double[,] { { u[5], u[6] }, { u[7], u[8] } }, out derivative);
            }

            """);
        return s.ToString();
    }
}

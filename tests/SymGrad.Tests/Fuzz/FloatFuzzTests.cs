using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Generator;
using Xunit.Abstractions;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// The random programs of <see cref="RandomPrograms"/>, rewritten in <c>float</c> (<c>double</c> → <c>float</c>,
/// <c>Math.</c> → <c>MathF.</c>, <c>SymMath.</c> → <c>SymMathF.</c>, literals with an <c>f</c>), with every mode the double programs ask for (gradient,
/// JVP, HVP, Hessian, and the vector output's VJP, JVP and Jacobian). Each must compile with no SG diagnostic and no
/// compiler error or warning in the generated code (float adjoints, MathF calls, float literals and local arrays in
/// every emitter); at each point the gradient's value is the float method's own to the bit, and where the float method
/// agrees with the double tape twin (to 1e-5: the point is well conditioned in float), the float gradient and JVP
/// agree with the tape to a float tolerance. <c>SYMGRAD_FUZZ_FLOAT=N</c> runs more programs.
/// </summary>
public class FloatFuzzTests(ITestOutputHelper output)
{
    private const int BatchSize = 50;

    /// <summary>A float result of a few dozen roundings: 1e-3 of the largest partial (the double fuzz holds 1e-12).</summary>
    private const double GradientTolerance = 1e-3, ConditionTolerance = 1e-5;

    [Fact]
    public void Random_programs_in_float_compile_and_match_the_double_tape()
    {
        int programs = DifferentialTests.EnvInt("SYMGRAD_FUZZ_FLOAT", 200);
        Program[] drawn = FixedSample.Draw(RandomPrograms.Programs, FixedSample.Seed(20261203), programs);
        int points = 0, compared = 0, illConditioned = 0, nonFinite = 0, partials = 0, nonZero = 0;
        var failures = new List<string>();
        for (int start = 0; start < drawn.Length; start += BatchSize)
        {
            Program[] batch = drawn.Skip(start).Take(BatchSize).ToArray();
            string[] sources = batch.Select((p, i) => ToFloat(p.Source(i)) + Glue(i)).Append(SampleSources.ImplicitUsings).Append(SharedFloat).ToArray();
            using LoadedAssembly loaded = FuzzBatch.Load(sources, ToFloat(batch[0].Source(0)));
            for (int i = 0; i < batch.Length; i++)
            {
                Type glue = loaded.Assembly.GetType("Fuzz.G" + i)!;
                MethodInfo value = glue.GetMethod("Value")!, gradient = glue.GetMethod("Gradient")!, jvp = glue.GetMethod("Jvp")!, tape = glue.GetMethod("Tape")!;
                foreach (Point point in batch[i].Points)
                {
                    points++;
                    double[] z = [.. point.Inputs];
                    var g = new float[9];
                    var reference = new double[9];
                    float f = (float)value.Invoke(null, [z, point.S, point.N])!;
                    float fromGradient = (float)gradient.Invoke(null, [z, point.S, point.N, g])!;
                    string where = $"program {start + i} at ({string.Join(", ", z)}; s = {point.S}, n = {point.N})";
                    if (BitConverter.SingleToInt32Bits(f) != BitConverter.SingleToInt32Bits(fromGradient) && !(float.IsNaN(f) && float.IsNaN(fromGradient)))
                    {
                        failures.Add($"{where}: the gradient's value {fromGradient:R} is not the method's {f:R}\n{ToFloat(batch[i].Source(i))}");
                        continue;
                    }
                    double t = (double)tape.Invoke(null, [z, point.S, point.N, reference])!;
                    if (!float.IsFinite(f) || !double.IsFinite(t) || reference.Any(r => !double.IsFinite(r)) || g.Any(x => !float.IsFinite(x)))
                    {
                        nonFinite++;
                        continue;
                    }
                    if (Math.Abs(f - t) > ConditionTolerance * Math.Max(1, Math.Abs(t)))
                    {
                        illConditioned++; // float itself loses the value here: its gradient cannot be held to the double one
                        continue;
                    }
                    compared++;
                    double scale = Math.Max(1, reference.Max(Math.Abs));
                    for (int k = 0; k < 9; k++)
                    {
                        partials++;
                        if (reference[k] != 0) nonZero++;
                        if (Math.Abs(g[k] - reference[k]) > GradientTolerance * scale)
                        {
                            failures.Add($"{where}: partial {k} is {g[k]:R} in float, {reference[k]:R} on the double tape\n{ToFloat(batch[i].Source(i))}");
                            break;
                        }
                    }
                    double[] u = [.. Enumerable.Range(0, 9).Select(k => 0.25 * ((k * 7 + start + i) % 5) - 0.5)];
                    object?[] jvpArgs = [z, point.S, point.N, u, 0f];
                    jvp.Invoke(null, jvpArgs);
                    double expected = Enumerable.Range(0, 9).Sum(k => reference[k] * (double)(float)u[k]);
                    if (Math.Abs((float)jvpArgs[4]! - expected) > GradientTolerance * scale * 9)
                    {
                        failures.Add($"{where}: the JVP is {(float)jvpArgs[4]!:R}, the tape's gradient dotted with the tangent {expected:R}");
                    }
                }
            }
        }
        string summary = $"{drawn.Length} float programs, {points} points: {compared} compared with the double tape ({partials} partials, {nonZero} nonzero), " +
                         $"{illConditioned} ill-conditioned in float (skipped), {nonFinite} not finite (skipped)";
        output.WriteLine(summary);
        FixedSample.Record(nameof(Random_programs_in_float_compile_and_match_the_double_tape), summary);
        Assert.True(failures.Count == 0, failures.Count + " failures; first:\n" + string.Join("\n\n", failures.Take(3)));
        // The skips must stay a minority, or the comparison would be vacuous.
        Assert.True(compared * 2 > points, summary);
        Assert.True(nonZero * 4 > partials, summary);
    }

    /// <summary>A double program as a float one: its types, its Math and SymMath calls, its literals.</summary>
    internal static string ToFloat(string source)
    {
        string s = Regex.Replace(source, @"\bdouble\b", "float");
        s = Regex.Replace(s, @"(?<![\w.])Math\.", "MathF.");
        s = Regex.Replace(s, @"\bSymMath\.", "SymMathF.");
        return Regex.Replace(s, @"(?<![\w.])(\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)(?![\w.])", "$1f");
    }

    /// <summary>The glue of the float programs: doubles in (the points), rounded to float; the tape on the same floats.</summary>
    private static string Glue(int i) => $$"""

        public static class G{{i}}
        {
            public static float Value(double[] z, double s, int n) =>
                P{{i}}.F((float)z[0], (float)z[1], new float[] { (float)z[2], (float)z[3], (float)z[4] }, new float[,] { { (float)z[5], (float)z[6] }, { (float)z[7], (float)z[8] } }, (float)s, n);

            public static float Gradient(double[] z, double s, int n, float[] g)
            {
                float dX = 1e3f, dY = -1e3f;
                float[] dV = [1e3f, 1e3f, 1e3f];
                var dW = new float[,] { { 1e3f, 1e3f }, { 1e3f, 1e3f } };
                float r = P{{i}}.FGradient((float)z[0], (float)z[1], new float[] { (float)z[2], (float)z[3], (float)z[4] }, new float[,] { { (float)z[5], (float)z[6] }, { (float)z[7], (float)z[8] } }, (float)s, n,
                    ref dX, ref dY, dV, dW);
                g[0] = dX; g[1] = dY; g[2] = dV[0]; g[3] = dV[1]; g[4] = dV[2];
                g[5] = dW[0, 0]; g[6] = dW[0, 1]; g[7] = dW[1, 0]; g[8] = dW[1, 1];
                return r;
            }

            public static float Jvp(double[] z, double s, int n, double[] u, out float derivative) =>
                P{{i}}.FJvp((float)z[0], (float)z[1], new float[] { (float)z[2], (float)z[3], (float)z[4] }, new float[,] { { (float)z[5], (float)z[6] }, { (float)z[7], (float)z[8] } }, (float)s, n,
                    (float)u[0], (float)u[1], new float[] { (float)u[2], (float)u[3], (float)u[4] }, new float[,] { { (float)u[5], (float)u[6] }, { (float)u[7], (float)u[8] } }, out derivative);

            public static double Tape(double[] z, double s, int n, double[] g)
            {
                var x = new Value((float)z[0]);
                var y = new Value((float)z[1]);
                Value[] v = [new Value((float)z[2]), new Value((float)z[3]), new Value((float)z[4])];
                var w = new Value[,] { { new Value((float)z[5]), new Value((float)z[6]) }, { new Value((float)z[7]), new Value((float)z[8]) } };
                Value r = P{{i}}.FTape(x, y, v, w, (float)s, n);
                r.Backward();
                g[0] = x.Grad; g[1] = y.Grad; g[2] = v[0].Grad; g[3] = v[1].Grad; g[4] = v[2].Grad;
                g[5] = w[0, 0].Grad; g[6] = w[0, 1].Grad; g[7] = w[1, 0].Grad; g[8] = w[1, 1].Grad;
                return r.Data;
            }
        }

        """;

    /// <summary><see cref="ProgramChecker.Shared"/>'s methods that programs call, in float.</summary>
    private const string SharedFloat = """
        using SymGrad;

        namespace Fuzz;

        public static partial class Shared
        {
            [Differentiable]
            public static float K(float p)
            {
                float acc = 0.5f * p;
                for (int i = 1; i <= 2; i++) acc += MathF.Sin(i * p) / i;
                if (acc > 0) return acc * MathF.Exp(-p * p);
                return SymMathF.Softplus(acc) - p;
            }

            public static void Note(string text) { }

            [Differentiable]
            public static float Dot3(ReadOnlySpan<float> a, float p)
            {
                float acc = 0;
                for (int i = 0; i < 3; i++) acc += a[i] * MathF.Sin(p + i);
                return acc;
            }
        }
        """;
}

using System.Reflection;

namespace SymGrad.Tests.Generator;

/// <summary>
/// Probes of today's code: JVPs of methods with struct, tuple and in parameters (nested, with int members, beside
/// arrays and spans, [NoDerivative]); a vector-output method with a struct parameter (VJP and JVP);
/// System.Numerics Vector2/3/4 members in float methods; and [DerivativeOf] rules of 2..7 arguments called at
/// several sites (same and different arguments, loops, branches) in the gradient and the JVP. References: the
/// method's own value (bit for bit), the gradient dotted with the tangent, the tape twin and central differences.
/// </summary>
public class ForwardAndRuleProbeTests
{
    internal const string Source = """
        using System;
        using System.Numerics;
        using SymGrad;

        namespace Probe4;

        public record struct V2(double X, double Y);
        public struct Inner { public double A; public V2 B; }
        public struct Outer { public Inner In; public double C; public int N; }

        public static partial class S
        {
            const DerivativeModes RF = DerivativeModes.Reverse | DerivativeModes.Forward;

            [Differentiable(Modes = RF)]
            public static double Nested(Outer o, double s) => Math.Sin(o.In.A * s) + o.In.B.X * o.In.B.Y * o.C + o.N * s * o.In.B.X;

            [Differentiable(Modes = RF)]
            public static double Tup((double, double) t, (double A, double B) u, double x) => t.Item1 * Math.Exp(t.Item2 * x) + u.A * u.B * u.B - u.B / (1 + x * x);

            [Differentiable(Modes = RF)]
            public static double InP(in Outer o, in V2 p, double x) => o.C * p.X * p.X + Math.Cos(o.In.B.Y * p.Y) * x + o.In.A / (2 + p.Y * p.Y);

            [Differentiable(Modes = RF)]
            public static double NoDer([NoDerivative] V2 w, V2 p, double x) => w.X * p.X * p.X + w.Y * Math.Cos(p.Y * x);

            [Differentiable(Modes = RF)]
            public static double Mixed(V2 p, double[] a, ReadOnlySpan<double> b, Outer o)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    s += a[i] * p.X * b[i] + Math.Sin(b[i] * p.Y) * o.C;
                    if (s > 1) s = s * 0.5 + o.In.B.X;
                }
                return s * o.In.A + o.N;
            }
        }

        public static partial class Fl
        {
            [Differentiable]
            public static float V2All(float x, float y, float s)
            {
                var v = new Vector2(x, y);
                var b = new Vector2(s);
                Vector2 a = v + b - Vector2.One * 0.5f;
                Vector2 c = 2f * a - v * s + a / (1.5f + s * s) + v * b - (-a);
                Vector2 d = Vector2.Normalize(c + Vector2.UnitX * 3f + Vector2.UnitY);
                Vector2 e = Vector2.Add(v, Vector2.Subtract(b, Vector2.Multiply(a, v))) + Vector2.Divide(v, new Vector2(2f, 3f)) + Vector2.Negate(b) + Vector2.Zero;
                return Vector2.Dot(d, v) + c.Length() + 0.1f * c.LengthSquared() + Vector2.Distance(v, b) + 0.3f * Vector2.DistanceSquared(a, v) + e.X * e.Y + d.Y;
            }

            [Differentiable]
            public static float V3All(float x, float y, float z)
            {
                var v = new Vector3(x, y, z);
                var w = new Vector3(new Vector2(y, z), x * x);
                Vector3 c = Vector3.Cross(v, w) + Vector3.UnitZ * z - Vector3.UnitY * x + Vector3.UnitX;
                Vector3 n = Vector3.Normalize(c + 2f * Vector3.One);
                return Vector3.Dot(n, v) + c.Length() + Vector3.Distance(v, w) * 0.5f + Vector3.DistanceSquared(v, n) + (v / 2f).LengthSquared() + (-c).Z;
            }

            [Differentiable]
            public static float V4All(float x, float y, float z)
            {
                var v = new Vector4(x, y, z, x * y);
                var w = new Vector4(new Vector3(z, x, y), 1.5f) + Vector4.UnitW * z - Vector4.UnitX + Vector4.Zero;
                Vector4 c = v * w + new Vector4(0.5f) * v - w / (1f + x * x);
                return Vector4.Dot(c, Vector4.Normalize(w)) + c.Length() + 0.2f * c.LengthSquared() + Vector4.Distance(v, w) + Vector4.DistanceSquared(c, Vector4.One) * 0.01f;
            }
        }

        public static partial class Rules
        {
            const DerivativeModes RF = DerivativeModes.Reverse | DerivativeModes.Forward;

            public static double R2(double a, double b) => a * Math.Sin(b);
            [DerivativeOf(nameof(R2))] public static (double, double) R2D(double a, double b) => (Math.Sin(b), a * Math.Cos(b));
            public static double R3(double a, double b, double c) => a * b + Math.Exp(c) * a;
            [DerivativeOf(nameof(R3))] public static (double, double, double) R3D(double a, double b, double c) => (b + Math.Exp(c), a, Math.Exp(c) * a);
            public static double R4(double a, double b, double c, double d) => a * b * c + Math.Cos(d);
            [DerivativeOf(nameof(R4))] public static (double, double, double, double) R4D(double a, double b, double c, double d) => (b * c, a * c, a * b, -Math.Sin(d));
            public static double R5(double a, double b, double c, double d, double e) => a * e + b * d + c * c;
            [DerivativeOf(nameof(R5))] public static (double, double, double, double, double) R5D(double a, double b, double c, double d, double e) => (e, d, 2 * c, b, a);
            public static double R6(double a, double b, double c, double d, double e, double f) => a * b + c * d + e * f * f;
            [DerivativeOf(nameof(R6))] public static (double, double, double, double, double, double) R6D(double a, double b, double c, double d, double e, double f) => (b, a, d, c, f * f, 2 * e * f);
            public static double R7(double a, double b, double c, double d, double e, double f, double g) => a + 2 * b + 3 * c * c + d * e + Math.Sin(f * g);
            [DerivativeOf(nameof(R7))] public static (double, double, double, double, double, double, double) R7D(double a, double b, double c, double d, double e, double f, double g) => (1, 2, 6 * c, e, d, g * Math.Cos(f * g), f * Math.Cos(f * g));

            [Differentiable(Modes = RF)]
            public static double SameBlock(double x, double y, double z, int n) => R2(x, y) + R2(y * x, z) * R2(x, y) - R2(y, x) * R2(z, z);

            [Differentiable(Modes = RF)]
            public static double Reassigned(double x, double y, double z, int n)
            {
                double u = x, w = y;
                double a = R3(u, w, z);
                u = u * 2 + z;
                double b = R3(u, w, z);
                w = Math.Sin(w);
                double c = R3(u, w, z);
                return a * b + c;
            }

            [Differentiable(Modes = RF)]
            public static double InLoop(double x, double y, double z, int n)
            {
                double s = x, w = y;
                for (int i = 0; i < n; i++)
                {
                    s = 0.3 * R3(s, w, 0.1 * i + z) + R2(s, x);
                    w = w + 0.1 * s;
                }
                return s + R3(s, w, z);
            }

            [Differentiable(Modes = RF)]
            public static double Branches(double x, double y, double z, int n)
            {
                double a, u = x;
                if (x > 0) a = R4(x, y, z, x) * 2;
                else a = R4(x, y, z, x) - 1;
                double b = n > 2 ? R4(y, x, z, z) : R4(x, y, z, x);
                if (y > 0) { a += R4(u, y, z, u); u = u + 1; a += R4(u, y, z, u); }
                return a * b + R4(u, y, z, u);
            }

            [Differentiable(Modes = RF)]
            public static double AllArities(double x, double y, double z, int n)
            {
                double s = R2(x, y) + R3(x, y, z) + R4(x, y, z, x * y) + R5(x, y, z, y, x) + R6(x, y, z, x, y, z) + R7(x, y, z, x, y, z, x);
                double t = R7(z, y, x, z, y, x, z) * R6(z, y, x, z, y, x) + R5(z, z, y, x, x) * R7(x, y, z, x, y, z, x);
                return s + 0.1 * t;
            }

            [Differentiable(Modes = RF)]
            public static double LoopBranches(double x, double y, double z, int n)
            {
                double s = 0, w = z;
                int i = 0;
                while (i < n)
                {
                    if (i % 2 == 0) s += R5(x, y, w, s, x * i);
                    else s -= R6(s, x, y, w, x, s * 0.1);
                    if (s > 5) s = R7(s * 0.1, x, y, w, s * 0.01, x, y);
                    w = w * 0.9 + 0.01 * s;
                    i++;
                }
                return s + R2(w, s);
            }

            [Differentiable(Modes = RF)]
            public static double SameArgs(double x, double y, double z, int n) => R7(x, x, x, y, y, x, y) + R6(y, y, y, y, y, y) * R2(x, x) + R4(z, z, x, x) * R4(z, z, x, x);
        }

        public static class Driver
        {
            static Outer O(double[] v, int k, int n) => new Outer { In = new Inner { A = v[k], B = new V2(v[k + 1], v[k + 2]) }, C = v[k + 3], N = n };
            static double[] Flat(Outer o) => [o.In.A, o.In.B.X, o.In.B.Y, o.C];

            // value, jvp value, derivative, gradient·t ; g = gradient
            public static double[] Nested(double[] v, double[] t, int n, double[] g)
            {
                double value = S.Nested(O(v, 0, n), v[4]);
                double jv = S.NestedJvp(O(v, 0, n), v[4], O(t, 0, 1000), t[4], out double d);
                Outer dO = O([9, 9, 9, 9], 0, 5); double dS = 7;
                double gv = S.NestedGradient(O(v, 0, n), v[4], ref dO, ref dS);
                Flat(dO).CopyTo(g, 0); g[4] = dS;
                return [value, jv, d, Dot(g, t), gv, dO.N];
            }

            public static double[] Tup(double[] v, double[] t, int n, double[] g)
            {
                double value = S.Tup((v[0], v[1]), (v[2], v[3]), v[4]);
                double jv = S.TupJvp((v[0], v[1]), (v[2], v[3]), v[4], (t[0], t[1]), (t[2], t[3]), t[4], out double d);
                (double, double) a = (5, 5); (double A, double B) b = (5, 5); double c = 5;
                double gv = S.TupGradient((v[0], v[1]), (v[2], v[3]), v[4], ref a, ref b, ref c);
                (g[0], g[1], g[2], g[3], g[4]) = (a.Item1, a.Item2, b.A, b.B, c);
                return [value, jv, d, Dot(g, t), gv];
            }

            public static double[] InP(double[] v, double[] t, int n, double[] g)
            {
                Outer o = O(v, 0, n), to = O(t, 0, n);
                V2 p = new(v[4], v[5]), tp = new(t[4], t[5]);
                double value = S.InP(in o, in p, v[6]);
                double jv = S.InPJvp(in o, in p, v[6], to, tp, t[6], out double d);
                Outer dO = default; V2 dP = default; double dX = 0;
                double gv = S.InPGradient(in o, in p, v[6], ref dO, ref dP, ref dX);
                Flat(dO).CopyTo(g, 0); (g[4], g[5], g[6]) = (dP.X, dP.Y, dX);
                return [value, jv, d, Dot(g, t), gv];
            }

            // v = [w.X, w.Y, p.X, p.Y, x]; t[0], t[1] are ignored (w has no tangent): the test keeps them 0
            public static double[] NoDer(double[] v, double[] t, int n, double[] g)
            {
                V2 w = new(v[0], v[1]);
                double value = S.NoDer(w, new V2(v[2], v[3]), v[4]);
                double jv = S.NoDerJvp(w, new V2(v[2], v[3]), v[4], new V2(t[2], t[3]), t[4], out double d);
                V2 dP = default; double dX = 0;
                double gv = S.NoDerGradient(w, new V2(v[2], v[3]), v[4], ref dP, ref dX);
                (g[0], g[1], g[2], g[3], g[4]) = (0, 0, dP.X, dP.Y, dX);
                return [value, jv, d, Dot(g, t), gv];
            }

            // v = [p.X, p.Y, a0..a2, b0..b2, o(4)]
            public static double[] Mixed(double[] v, double[] t, int n, double[] g)
            {
                V2 p = new(v[0], v[1]);
                double[] a = v[2..5], b = v[5..8];
                Outer o = O(v, 8, n);
                double value = S.Mixed(p, a, b, o);
                double jv = S.MixedJvp(p, a, b, o, new V2(t[0], t[1]), t[2..5], t[5..8], O(t, 8, 0), out double d);
                V2 dP = default; double[] dA = [4, 4, 4]; double[] dB = [4, 4, 4]; Outer dO = default;
                double gv = S.MixedGradient(p, a, b, o, ref dP, dA, dB, ref dO);
                (g[0], g[1]) = (dP.X, dP.Y); dA.CopyTo(g, 2); dB.CopyTo(g, 5); Flat(dO).CopyTo(g, 8);
                return [value, jv, d, Dot(g, t), gv];
            }

            static double Dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }
        }
        """;

    private static readonly Lazy<LoadedAssembly> Loaded = new(() =>
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.Compile(GeneratorHarness.DocumentedParseOptions, Source));
        Assert.True(run.SymGradDiagnostics.Count == 0, GeneratorRun.Describe(run.SymGradDiagnostics));
        run.AssertCompilesCleanly();
        return run.Load();
    });

    private static MethodInfo M(string type, string name) => Loaded.Value.Method("Probe4." + type, name);

    private static bool Close(double a, double b, double tolerance) =>
        a.Equals(b) || Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    // ---- struct parameters in forward mode -------------------------------------------------------------------

    /// <summary>Calls a Driver method (value, jvp value, derivative, gradient · t, gradient value) and checks all of it.</summary>
    private static void CheckStructJvp(string name, double[] v, double[] t, int n)
    {
        double[] Run(double[] at, double[] g) => (double[])M("Driver", name).Invoke(null, [at, t, n, g])!;
        var g = new double[v.Length];
        double[] r = Run(v, g);
        Assert.True(r[0].Equals(r[1]), $"{name}: JVP value {r[1]:R}, method {r[0]:R}");
        Assert.True(r[0].Equals(r[4]), $"{name}: gradient value {r[4]:R}, method {r[0]:R}");
        Assert.True(Close(r[3], r[2], 1e-13), $"{name}: JVP derivative {r[2]:R}, gradient · t {r[3]:R}");
        Assert.True(Math.Abs(r[2]) > 1e-3, $"{name}: a degenerate direction ({r[2]:R})");
        const double h = 1e-6;
        double[] up = v.Zip(t, (a, b) => a + h * b).ToArray(), down = v.Zip(t, (a, b) => a - h * b).ToArray();
        double fd = (Run(up, new double[v.Length])[0] - Run(down, new double[v.Length])[0]) / (2 * h);
        Assert.True(Close(fd, r[2], 1e-6), $"{name}: JVP derivative {r[2]:R}, finite differences {fd:R}");
        // Each gradient component against finite differences along its own axis too.
        for (int i = 0; i < v.Length; i++)
        {
            if (t[i] == 0) continue; // a [NoDerivative] input
            double[] u = (double[])v.Clone(), d = (double[])v.Clone();
            u[i] += h;
            d[i] -= h;
            double fi = (Run(u, new double[v.Length])[0] - Run(d, new double[v.Length])[0]) / (2 * h);
            Assert.True(Close(fi, g[i], 1e-6), $"{name}: d/dv[{i}] = {g[i]:R}, finite differences {fi:R}");
        }
    }

    [Theory]
    [InlineData(0.3, -1.2, 0.8, 1.5, 2.0, 3)]
    [InlineData(-0.7, 0.4, 1.9, -0.6, 0.9, 0)]
    public void Nested_struct_parameter_with_an_int_member(double a, double bx, double by, double c, double s, int n) =>
        CheckStructJvp("Nested", [a, bx, by, c, s], [0.7, -0.2, 1.1, 0.4, -0.9], n);

    [Theory]
    [InlineData(0.3, -1.2, 0.8, 1.5, 0.6)]
    [InlineData(-2.0, 0.5, -0.4, 2.5, -1.1)]
    public void Tuple_parameters_plain_and_named(double a, double b, double c, double d, double x) =>
        CheckStructJvp("Tup", [a, b, c, d, x], [0.3, 0.5, -0.8, 1.2, 0.25], 0);

    [Theory]
    [InlineData(0.3, -1.2, 0.8, 1.5, 0.6, -0.4, 2.0, 4)]
    [InlineData(-1.0, 0.9, -0.3, 0.7, -1.6, 1.3, -0.5, 1)]
    public void In_struct_parameters(double a, double bx, double by, double c, double px, double py, double x, int n) =>
        CheckStructJvp("InP", [a, bx, by, c, px, py, x], [0.6, -0.3, 0.9, 0.2, -0.7, 0.5, 1.1], n);

    [Theory]
    [InlineData(1.5, -0.8, 0.4, 1.2, 0.7)]
    [InlineData(-0.3, 2.0, -1.4, 0.6, -0.9)]
    public void A_NoDerivative_struct_parameter_has_no_tangent(double wx, double wy, double px, double py, double x) =>
        CheckStructJvp("NoDer", [wx, wy, px, py, x], [0, 0, 0.8, -0.5, 0.3], 0);

    [Theory]
    [InlineData(new[] { 0.4, -0.7, 0.3, 0.9, -0.2, 1.1, 0.5, -0.8, 0.6, 0.2, -0.4, 1.3 }, 2)]
    [InlineData(new[] { 1.4, 0.7, 0.8, 0.9, 1.2, 1.1, 0.5, 0.8, -0.6, 1.2, 0.4, 0.3 }, 0)] // s > 1: the branch in the loop
    public void Struct_parameters_mixed_with_an_array_and_a_span(double[] v, int n) =>
        CheckStructJvp("Mixed", v, [0.3, -0.6, 0.2, 0.5, -0.1, 0.7, -0.4, 0.25, 0.9, -0.3, 0.6, 0.15], n);

    [Fact]
    public void A_tangent_of_an_int_member_is_ignored()
    {
        // Driver.Nested passes a tangent whose N is 1000: the derivative must not see it (checked against gradient · t).
        var g = new double[5];
        var r = (double[])M("Driver", "Nested").Invoke(null, [new[] { 0.3, -1.2, 0.8, 1.5, 2.0 }, new[] { 0.0, 0, 0, 0, 0 }, 3, g])!;
        Assert.Equal(0.0, r[2]);
        Assert.Equal(r[0], r[1]);
    }

    // ---- a vector output with a struct parameter: VJP and JVP -----------------------------------------------

    private const string VectorOutputSource = """
        using System;
        using SymGrad;
        public record struct V2(double X, double Y);
        public static partial class S
        {
            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward)]
            public static void F(V2 p, double s, [Output] Span<double> r)
            {
                r[0] = p.X * s;
                r[1] = Math.Sin(p.Y) * s;
            }
        }
        public static class Driver
        {
            public static double[] Run(double[] v, double[] t, double[] dR)
            {
                var p = new V2(v[0], v[1]);
                double[] r = new double[2], rJ = new double[2], tR = new double[2], rV = new double[2];
                S.F(p, v[2], r);
                S.FJvp(p, v[2], new V2(t[0], t[1]), t[2], rJ, tR);
                V2 dP = new(5, 5);
                double dS = 5;
                S.FVjp(p, v[2], rV, dR, ref dP, ref dS);
                return [.. r, .. rJ, .. tR, .. rV, dP.X, dP.Y, dS];
            }
        }
        """;

    [Fact]
    public void A_vector_output_method_with_a_struct_parameter_gets_a_vjp_and_a_jvp()
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything(VectorOutputSource);
        Assert.True(run.SymGradDiagnostics.Count == 0, GeneratorRun.Describe(run.SymGradDiagnostics));
        run.AssertCompilesCleanly();
        using LoadedAssembly loaded = run.Load();
        double[] v = [0.7, -0.4, 1.3], t = [0.2, -0.5, 0.9], dR = [0.6, -1.1];
        var o = (double[])loaded.Method("Driver", "Run").Invoke(null, [v, t, dR])!;
        double[,] j = { { v[2], 0, v[0] }, { 0, Math.Cos(v[1]) * v[2], Math.Sin(v[1]) } };
        Assert.Equal(o[0..2], o[2..4]); // JVP values, bit for bit
        Assert.Equal(o[0..2], o[6..8]); // VJP values
        for (int i = 0; i < 2; i++) Assert.Equal(j[i, 0] * t[0] + j[i, 1] * t[1] + j[i, 2] * t[2], o[4 + i], 1e-13);
        for (int k = 0; k < 3; k++) Assert.Equal(dR[0] * j[0, k] + dR[1] * j[1, k], o[8 + k], 1e-13);
    }

    [Theory]
    [InlineData("DerivativeModes.Reverse", "V2 p, double s, [Output] Span<double> r", "r[0] = p.X * s; r[1] = p.Y;")]
    [InlineData("DerivativeModes.Reverse", "double s, V2 p, [Output] Span<double> r", "r[0] = p.X * s; r[1] = p.Y;")]
    [InlineData("DerivativeModes.Forward", "V2 p, double s, [Output] Span<double> r", "r[0] = p.X * s; r[1] = p.Y;")]
    [InlineData("DerivativeModes.Reverse", "V2 p, [Output] Span<double> r", "r[0] = p.X * p.Y;")]
    public void A_vector_output_method_with_a_struct_parameter_has_no_diagnostic(string modes, string parameters, string body)
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything($$"""
            using System;
            using SymGrad;
            public record struct V2(double X, double Y);
            public static partial class S
            {
                [Differentiable(Modes = {{modes}})]
                public static void F({{parameters}}) { {{body}} }
            }
            """);
        Assert.True(run.SymGradDiagnostics.Count == 0, GeneratorRun.Describe(run.SymGradDiagnostics));
        run.AssertCompilesCleanly();
    }

    // ---- System.Numerics vectors in float methods -----------------------------------------------------------

    private static void CheckFloat(string name, float[] v)
    {
        MethodInfo f = M("Fl", name), gradient = M("Fl", name + "Gradient"), tape = M("Fl", name + "Tape");
        float F(float[] p) => (float)f.Invoke(null, p.Cast<object>().ToArray())!;
        object[] args = [v[0], v[1], v[2], 0f, 0f, 0f];
        float value = (float)gradient.Invoke(null, args)!;
        float[] g = [(float)args[3], (float)args[4], (float)args[5]];
        float method = F(v);
        Assert.True(Math.Abs(value - method) <= 1e-6f * (1 + Math.Abs(method)), $"{name}: gradient value {value} vs method {method}");
        Value[] leaves = v.Select(x => new Value(x)).ToArray();
        var result = (Value)tape.Invoke(null, leaves.Cast<object>().ToArray())!;
        result.Backward();
        Assert.True(Math.Abs(value - result.Data) <= 1e-5 * (1 + Math.Abs(result.Data)), $"{name}: value {value} vs tape {result.Data}");
        Assert.Contains(g, d => Math.Abs(d) > 1e-2f);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(g[i] - leaves[i].Grad) <= 1e-4 * (1 + Math.Abs(leaves[i].Grad)), $"{name}: input {i}: {g[i]} vs tape {leaves[i].Grad}");
            const float h = 1e-2f;
            float[] up = (float[])v.Clone(), down = (float[])v.Clone();
            up[i] += h;
            down[i] -= h;
            double difference = (F(up) - F(down)) / (2.0 * h);
            Assert.True(Math.Abs(g[i] - difference) <= 2e-2 * (1 + Math.Abs(difference)), $"{name}: input {i}: {g[i]} vs float differences {difference}");
        }
    }

    [Theory]
    [InlineData(0.5f, 3.0f, 2.0f)]
    [InlineData(-1.5f, 0.25f, 0.5f)]
    public void Vector2_members_match_the_double_tape_and_float_differences(float x, float y, float s) => CheckFloat("V2All", [x, y, s]);

    [Theory]
    [InlineData(0.5f, 1.5f, -0.7f)]
    [InlineData(-1.2f, 0.3f, 0.9f)]
    public void Vector3_members_match_the_double_tape_and_float_differences(float x, float y, float z) => CheckFloat("V3All", [x, y, z]);

    [Theory]
    [InlineData(0.5f, 1.5f, -0.7f)]
    [InlineData(-1.2f, 0.3f, 0.9f)]
    public void Vector4_members_match_the_double_tape_and_float_differences(float x, float y, float z) => CheckFloat("V4All", [x, y, z]);

    // ---- [DerivativeOf] rules of 2..7 arguments, several call sites ----------------------------------------

    private static double RuleValue(string name, double[] v, int n) => (double)M("Rules", name).Invoke(null, [v[0], v[1], v[2], n])!;

    private static void CheckRules(string name, double[] v, int n)
    {
        double value = RuleValue(name, v, n);
        object[] args = [v[0], v[1], v[2], n, 9.0, 9.0, 9.0];
        double returned = (double)M("Rules", name + "Gradient").Invoke(null, args)!;
        double[] g = [(double)args[4], (double)args[5], (double)args[6]];
        Assert.True(value.Equals(returned), $"{name}: gradient value {returned:R}, method {value:R}");

        Value[] leaves = Value.Leaves(v);
        var tape = (Value)M("Rules", name + "Tape").Invoke(null, [leaves[0], leaves[1], leaves[2], n])!;
        tape.Backward();
        Assert.True(Close(value, tape.Data, 1e-13), $"{name}: tape value {tape.Data:R}, method {value:R}");
        Assert.Contains(g, d => Math.Abs(d) > 1e-3);
        const double h = 1e-6;
        for (int i = 0; i < 3; i++)
        {
            Assert.True(Close(g[i], leaves[i].Grad, 1e-12), $"{name}: d/dv[{i}] = {g[i]:R}, tape {leaves[i].Grad:R}");
            double[] up = (double[])v.Clone(), down = (double[])v.Clone();
            up[i] += h;
            down[i] -= h;
            double fd = (RuleValue(name, up, n) - RuleValue(name, down, n)) / (2 * h);
            Assert.True(Close(g[i], fd, 1e-6), $"{name}: d/dv[{i}] = {g[i]:R}, finite differences {fd:R}");
        }

        double[] t = [0.7, -0.45, 1.2];
        object[] jargs = [v[0], v[1], v[2], n, t[0], t[1], t[2], 0.0];
        double jvpValue = (double)M("Rules", name + "Jvp").Invoke(null, jargs)!;
        double derivative = (double)jargs[7];
        Assert.True(value.Equals(jvpValue), $"{name}: JVP value {jvpValue:R}, method {value:R}");
        double dot = g[0] * t[0] + g[1] * t[1] + g[2] * t[2];
        Assert.True(Close(dot, derivative, 1e-13), $"{name}: JVP derivative {derivative:R}, gradient · t {dot:R}");
        double[] vu = v.Zip(t, (a, b) => a + h * b).ToArray(), vd = v.Zip(t, (a, b) => a - h * b).ToArray();
        double dfd = (RuleValue(name, vu, n) - RuleValue(name, vd, n)) / (2 * h);
        Assert.True(Close(dfd, derivative, 1e-6), $"{name}: JVP derivative {derivative:R}, finite differences {dfd:R}");
    }

    [Theory]
    [InlineData(0.6, -1.3, 0.8)]
    [InlineData(-1.1, 0.4, 2.2)]
    public void One_rule_called_on_the_same_and_on_different_arguments_in_one_block(double x, double y, double z) => CheckRules("SameBlock", [x, y, z], 0);

    [Theory]
    [InlineData(0.6, -1.3, 0.8)]
    [InlineData(-0.4, 0.9, -0.5)]
    public void The_same_call_text_after_its_arguments_were_reassigned(double x, double y, double z) => CheckRules("Reassigned", [x, y, z], 0);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void A_rule_in_a_loop_whose_arguments_change_each_iteration(int n) => CheckRules("InLoop", [0.4, -0.7, 0.3], n);

    [Theory]
    [InlineData(0.6, 1.3, 0.8, 3)]   // x > 0, y > 0, n > 2
    [InlineData(-0.6, 1.3, 0.8, 0)]  // x < 0, y > 0
    [InlineData(0.6, -1.3, -0.8, 0)] // y < 0
    [InlineData(-0.9, -0.2, 1.4, 4)]
    public void The_same_rule_call_in_both_branches_and_after_a_reassignment(double x, double y, double z, int n) => CheckRules("Branches", [x, y, z], n);

    [Theory]
    [InlineData(0.6, -1.3, 0.8)]
    [InlineData(-0.3, 0.5, 1.1)]
    public void Rules_of_two_to_seven_arguments_each_give_their_own_partials(double x, double y, double z) => CheckRules("AllArities", [x, y, z], 0);

    [Theory]
    [InlineData(0.6, -0.3, 0.8, 1)]
    [InlineData(0.6, -0.3, 0.8, 2)]
    [InlineData(0.6, -0.3, 0.8, 6)]
    [InlineData(1.7, 1.2, 0.9, 5)] // s passes 5: the seven-argument rule in the loop
    public void Rules_in_a_while_loop_with_branches(double x, double y, double z, int n) => CheckRules("LoopBranches", [x, y, z], n);

    [Theory]
    [InlineData(0.6, -1.3, 0.8)]
    [InlineData(-0.8, 0.35, 1.6)]
    public void Rules_whose_arguments_are_the_same_variable(double x, double y, double z) => CheckRules("SameArgs", [x, y, z], 0);

    [Fact]
    public void LoopBranches_reaches_the_seven_argument_rule_at_the_last_point()
    {
        // Guards the test above: the point must take the s > 5 branch, or R7 in the loop goes unchecked.
        double with = RuleValue("LoopBranches", [1.7, 1.2, 0.9], 5);
        Assert.True(double.IsFinite(with));
        double s = 0, w = 0.9;
        bool reached = false;
        for (int i = 0; i < 5; i++)
        {
            if (i % 2 == 0) s += 1.7 * (1.7 * i) + 1.2 * s + w * w;
            else s -= (s * 1.7 + 1.2 * w + 1.7 * (s * 0.1) * (s * 0.1));
            if (s > 5) { reached = true; s = s * 0.1 + 2 * 1.7 + 3 * 1.2 * 1.2 + w * (s * 0.01) + Math.Sin(1.7 * 1.2); }
            w = w * 0.9 + 0.01 * s;
        }
        Assert.True(reached);
        Assert.Equal(s + w * Math.Sin(s), with, 1e-12);
    }
}

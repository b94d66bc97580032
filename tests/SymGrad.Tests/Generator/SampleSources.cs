namespace SymGrad.Tests.Generator;

/// <summary>
/// The [Differentiable] programs the generator tests compile in memory: the snapshot baselines are their generated
/// code, and the gradient tests run them. Each covers one part of the supported language.
/// </summary>
internal static class SampleSources
{
    /// <summary>The SDK's implicit usings for a console app (the example relies on them: <c>Span</c> without <c>using System</c>).</summary>
    public const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    /// <summary>The example's own examples/SeedNotebook/Network/SeedNet.cs, read from the repository, so the snapshot
    /// and the gradient tests follow the example as it changes.</summary>
    public static readonly string SeedNet = File.ReadAllText(Path.Combine(RepositoryRoot(), "examples", "SeedNotebook", "Network", "SeedNet.cs"));

    /// <summary>The folder holding SymGrad.sln, found from this source file's path.</summary>
    public static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "")
    {
        string? dir = Path.GetDirectoryName(path);
        while (dir is not null && !File.Exists(Path.Combine(dir, "SymGrad.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("SymGrad.sln not found above " + path);
    }

    /// <summary>micrograd's test_sanity_check and test_more_ops (test/test_engine.py), as in Engine/MicrogradTests.</summary>
    public const string Micrograd = """
        using System;
        using SymGrad;

        namespace Samples;

        public static partial class Micrograd
        {
            [Differentiable]
            public static double SanityCheck(double x)
            {
                double z = 2 * x + 2 + x;
                double q = SymMath.Relu(z) + z * x;
                double h = SymMath.Relu(z * z);
                double y = h + q + q * x;
                return y;
            }

            [Differentiable]
            public static double MoreOps(double a, double b)
            {
                double c = a + b;
                double d = a * b + Math.Pow(b, 3);
                c += c + 1;
                c += 1 + c + (-a);
                d += d * 2 + SymMath.Relu(b + a);
                d += 3 * d + SymMath.Relu(b - a);
                double e = c - d;
                double f = Math.Pow(e, 2);
                double g = f / 2.0;
                g += 10.0 / f;
                return g;
            }
        }
        """;

    /// <summary>if/else and ?: on runtime values, kept as real branches: the untaken side is never evaluated.</summary>
    public const string Branches = """
        using System;
        using SymGrad;

        namespace Samples;

        public static partial class Branches
        {
            [Differentiable]
            public static double Piecewise(double x, double y)
            {
                double r;
                if (x > 0.5)
                {
                    r = y / x + Math.Log(x);
                }
                else if (x < -0.5 && y > 0)
                {
                    r = x * y;
                }
                else
                {
                    r = y * y - x;
                }
                double s = x > y ? x - y : (y - x) * 0.5;
                return r * s;
            }

            /// <summary>At x = 0 the then-branch would divide by zero: it must not be evaluated, forward or backward.</summary>
            [Differentiable]
            public static double GuardedDivision(double x, double y)
            {
                double r = y;
                if (x != 0) r = y / x;
                double q = x != 0 ? Math.Sqrt(Math.Abs(x)) * y : 2 * y;
                return r + q;
            }

            [Differentiable]
            public static double EarlyReturn(double x, double y)
            {
                if (x < 0 || !(y < 1)) return -x * y;
                double t = Math.Sqrt(x + 1);
                return t * y;
            }
        }
        """;

    /// <summary>Nested constant loops, a bound depending on the outer variable, a condition known after unrolling.</summary>
    /// <summary>
    /// A network big enough (8-24-1 over a batch of 8, tanh) that its unrolled gradient is split into parts, each
    /// small enough for the JIT to optimise, sharing values through a frame.
    /// </summary>
    public const string Large = """
        using System;
        using SymGrad;

        namespace Samples;

        public static partial class Large
        {
            [Differentiable]
            public static double Net(double[,] w1, double[] w2, [NoDerivative] double[,] x)
            {
                double loss = 0;
                for (int s = 0; s < 8; s++)
                {
                    double y = 0;
                    for (int i = 0; i < 24; i++)
                    {
                        double z = 0;
                        for (int j = 0; j < 8; j++) z += w1[i, j] * x[s, j];
                        y += w2[i] * Math.Tanh(z);
                    }
                    loss += (y - 0.5) * (y - 0.5);
                }
                return loss;
            }
        }
        """;

    public const string Loops = """
        using System;
        using SymGrad;

        namespace Samples;

        public static partial class Loops
        {
            const int N = 3;

            [Differentiable]
            public static double Nested(double[,] m, double[] v)
            {
                double s = 0;
                for (int i = 0; i < N; i++)
                {
                    for (int j = i; j < N + 1; j++)
                    {
                        s += m[i, j] * v[j] * (i + 1);
                        if (j == i) s -= v[i];
                    }
                }
                const int K = 2;
                for (int k = K; k > 0; k--)
                {
                    for (int l = 0; l < k * 2; l += 2) s *= 1 + 0.1 * v[l / 2];
                }
                return s;
            }
        }
        """;

    /// <summary>Calls between [Differentiable] methods, in one class and across classes, nested, with a local array argument.</summary>
    public const string Calls = """
        using System;
        using SymGrad;

        namespace Samples
        {
            public static partial class Calls
            {
                [Differentiable]
                public static double Square(double x) => x * x;

                [Differentiable]
                public static double Dot(ReadOnlySpan<double> a, double[] b)
                {
                    double s = 0;
                    for (int i = 0; i < 3; i++) s += a[i] * b[i];
                    return s;
                }

                [Differentiable]
                public static double Outer(double x, double[] v, double[] w)
                {
                    double[] t = [x, Square(x), 1.5];
                    return Square(Square(Dot(v, w) + x)) / 10 + Helpers.Inner.Scale(Dot(t, w), 2.0) - Dot(v, v);
                }
            }

            public static partial class Helpers
            {
                public static partial class Inner
                {
                    [Differentiable]
                    internal static double Scale(double x, [NoDerivative] double k) => Math.Tanh(x * k) * k;
                }
            }
        }
        """;

    /// <summary>Local arrays of constant size (stackalloc, new, 2D new, collection expression, initializers), scalarised.</summary>
    public const string LocalArrays = """
        using System;
        using SymGrad;

        namespace Samples;

        public partial struct LocalArrays
        {
            [Differentiable]
            public static double Arrays(double a, double b, ReadOnlySpan<double> s)
            {
                Span<double> st = stackalloc double[3];
                double[] n = new double[2];
                double[] c = [a, b, a * b];
                double[,] m = new double[2, 2];
                for (int i = 0; i < 3; i++) st[i] = c[i] * s[i];
                n[0] = st[0] + st[1];
                n[1] = st[2] - a;
                m[0, 0] = n[0];
                m[1, 1] = n[1];
                m[0, 1] = a;
                m[1, 0] = b;
                Span<double> init = stackalloc double[] { a, b };
                double[] lit = { 1.0, 2.0 };
                double[,] grid = new double[,] { { a, 1 }, { 2, b } };
                Span<double> alias = st;
                alias[0] *= 2;
                return m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0] + init[0] * init[1] + lit[1] * a + grid[0, 0] * grid[1, 1] + st[0] + n.Length;
            }
        }
        """;

    /// <summary>Compound assignments on locals and local array elements, ++/--, int arithmetic folded after unrolling.</summary>
    public const string Compound = """
        using System;
        using SymGrad;

        namespace Samples;

        public static partial class Compound
        {
            [Differentiable]
            public static double Assignments(double x, double y, double[] v)
            {
                double a = x, b = y, c;
                a += y;
                a -= 0.5 * x;
                a *= b;
                a /= 1 + x * x;
                c = a = a + 1;
                Span<double> acc = stackalloc double[2];
                for (int i = 0; i < 5; i++)
                {
                    acc[i % 2] += v[i / 2] * (i / 2);
                    acc[1] -= v[i % 3] * a;
                }
                int k = 3;
                k++;
                k--;
                k *= 2;
                double r = c * acc[0] + acc[1] * k + 7 / 2 * x + x * (k / 4);
                r -= -x;
                return r;
            }
        }
        """;

    /// <summary>
    /// Every supported math function, one method each, on arguments that stay inside the function's domain for
    /// x in [0.3, 2] and y in [-1.2, 1.2] (y away from 0 and x away from y, so no kink is near).
    /// </summary>
    public const string Functions = """
        using System;
        using SymGrad;

        namespace Samples;

        public static partial class Functions
        {
            [Differentiable] public static double OfExp(double x, double y) => Math.Exp(x * y) * y;
            [Differentiable] public static double OfLog(double x, double y) => Math.Log(x) * y + Math.Log(x * x + y * y);
            [Differentiable] public static double OfSqrt(double x, double y) => Math.Sqrt(x) * y + Math.Sqrt(x * x + y * y);
            [Differentiable] public static double OfPow(double x, double y) => Math.Pow(x, y) + Math.Pow(x + y * y, 2.5) + Math.Pow(y, 2) + Math.Pow(x, -1.5);
            [Differentiable] public static double OfTanh(double x, double y) => Math.Tanh(x * y) * x;
            [Differentiable] public static double OfSin(double x, double y) => Math.Sin(x * y) + Math.Sin(x) * y;
            [Differentiable] public static double OfCos(double x, double y) => Math.Cos(x * y) + Math.Cos(x) * y;
            [Differentiable] public static double OfTan(double x, double y) => Math.Tan(y) * x + Math.Tan(x * 0.5);
            [Differentiable] public static double OfAbs(double x, double y) => Math.Abs(y) * x + Math.Abs(x - 3 * y);
            [Differentiable] public static double OfMax(double x, double y) => Math.Max(x, y) * y + Math.Max(x * y, 0.1);
            [Differentiable] public static double OfMin(double x, double y) => Math.Min(x, y) * x + Math.Min(-x, y * y);
            [Differentiable] public static double OfAtan(double x, double y) => Math.Atan(x * y) + Math.Atan(y) * x;
            [Differentiable] public static double OfRelu(double x, double y) => SymMath.Relu(y) * x + SymMath.Relu(x - 1.1);
            [Differentiable] public static double OfSigmoid(double x, double y) => SymMath.Sigmoid(x * y) * y;
            [Differentiable] public static double OfSoftplus(double x, double y) => SymMath.Softplus(x * y) + SymMath.Softplus(-x);
            [Differentiable] public static double OfMaxZero(double x, double y) => Math.Max(0, y * x) + Math.Max(y - 0.3, 0.0) * x;
            [Differentiable] public static double OfConstants(double x, double y) => Math.PI * x + Math.E * y * y;
        }
        """;

    /// <summary>
    /// The contract's signature: every parameter kind, an int and a [NoDerivative] parameter, both used in the body
    /// (the int also in a runtime condition and in int division, the span written as a local alias).
    /// </summary>
    public const string Mixed = """
        using System;
        using SymGrad;

        namespace Samples;

        public static partial class Mixed
        {
            [Differentiable]
            public static double F(double a, double[] v, double[,] m, ReadOnlySpan<double> s, int n, [NoDerivative] double c)
            {
                double r = a * c + n;
                for (int i = 0; i < 2; i++) r += v[i] * m[i, 1] * s[i] / n;
                if (n > 2) r *= a;
                r += (n / 2) * s[2] + (double)n / 4 * a;
                return r + m[1, 0] * v.Length;
            }

            [Differentiable]
            public static double WithSpan(Span<double> w, [NoDerivative] double[] k, double t)
            {
                double r = 0;
                for (int i = 0; i < 3; i++) r += w[i] * k[i] * t;
                return r * w[0];
            }
        }
        """;
}

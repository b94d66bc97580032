namespace SymGrad.Tests.Generator;

/// <summary>
/// Methods with a vector output (<c>void F(inputs, [Output] Span&lt;double&gt; r)</c>), each beside a glue class
/// that calls F, FVjp, FJvp, FJacobian and FTape on flat arrays (reflection cannot pass spans or refs): <c>z</c>
/// holds every input scalar in the Jacobian's column order, <c>r</c> the outputs, <c>dR</c> a seed, <c>t</c> a
/// tangent and <c>g</c> the flat gradient the VJP writes. Each case is named after the class that holds it.
/// </summary>
internal static class VectorOutputSources
{
    /// <summary>The cases: class name, number of inputs n, number of outputs m (the glue fixes both).</summary>
    public static readonly (string Name, int Inputs, int Outputs)[] Cases =
    [
        ("CurveLike", 3, 9),        // a runtime loop over the data, more rows than columns: Jacobian by columns
        ("Branches", 4, 3),         // branches, return; unwritten and twice-written elements, an element read back
        ("Matrix", 7, 3),           // a 2-D input and a double, nested loops, a double[] output
        ("Residual", 6, 2),         // straight-line, constant indices (bundle adjustment's shape)
        ("Accumulate", 3, 4),       // += into the output in a while loop that breaks on data
        ("Recurrence", 5, 3),       // a scalar carried through a loop (taped), more columns than rows: rows share one forward sweep
        ("Fallback", 7, 2),         // a backward sweep that cannot be rerun (found by the fuzz): one VJP per row
    ];

    public const string Source = """
        using System;
        using SymGrad;

        namespace Vec;

        public static partial class CurveLike
        {
            const DerivativeModes All = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.Jacobian;

            [Differentiable(Modes = All)]
            public static void F(double[] p, [NoDerivative] double[] ts, [NoDerivative] double[] ys, [Output] Span<double> r)
            {
                for (int i = 0; i < ts.Length; i++)
                {
                    double t = ts[i];
                    r[i] = p[0] * Math.Exp(-p[1] * t) + Math.Sin(p[2] * t) - ys[i];
                }
            }

            static readonly double[] Ts = [0.0, 0.4, 0.9, 1.3, 1.8, 2.2, 2.9, 3.1, 3.7];
            static readonly double[] Ys = [1.0, 0.8, 0.7, 0.5, 0.1, -0.2, 0.3, 0.2, 0.6];
            public static void Primal(double[] z, double[] r) => F(z, Ts, Ys, r);
            public static void Vjp(double[] z, double[] r, double[] dR, double[] g) => FVjp(z, Ts, Ys, r, dR, g);
            public static void Jvp(double[] z, double[] t, double[] r, double[] tR) => FJvp(z, Ts, Ys, t, r, tR);
            public static void Jacobian(double[] z, double[] r, double[,] j) => FJacobian(z, Ts, Ys, r, j);
            public static double[] TapeRow(double[] z, int row)
            {
                Value[] p = Array.ConvertAll(z, x => new Value(x));
                var r = new Value[Ts.Length];
                FTape(p, Ts, Ys, r);
                r[row].Backward();
                return Array.ConvertAll(p, x => x.Grad);
            }
        }

        public static partial class Branches
        {
            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.Jacobian)]
            public static void F(double a, double b, ReadOnlySpan<double> v, [Output] Span<double> r)
            {
                r[0] = a * b;
                if (a > 0)
                {
                    r[0] = r[0] * Math.Cos(v[0]) + r[2]; // r[2] is the caller's value here: a constant
                    r[1] = Math.Exp(b) * v[1];
                    return;
                }
                r[1] = a / (1 + b * b);
                r[2] = Math.Sqrt(v[0] * v[0] + v[1] * v[1]) * r[0];
            }

            public static void Primal(double[] z, double[] r) => F(z[0], z[1], z.AsSpan(2), r);
            public static void Vjp(double[] z, double[] r, double[] dR, double[] g)
            {
                double dA = 0, dB = 0;
                FVjp(z[0], z[1], z.AsSpan(2), r, dR, ref dA, ref dB, g.AsSpan(2));
                g[0] = dA;
                g[1] = dB;
            }
            public static void Jvp(double[] z, double[] t, double[] r, double[] tR) => FJvp(z[0], z[1], z.AsSpan(2), t[0], t[1], t.AsSpan(2), r, tR);
            public static void Jacobian(double[] z, double[] r, double[,] j) => FJacobian(z[0], z[1], z.AsSpan(2), r, j);
            public static double[] TapeRow(double[] z, int row)
            {
                Value[] leaves = Array.ConvertAll(z, x => new Value(x));
                Value[] r = [0.0, 0.0, 0.0];
                FTape(leaves[0], leaves[1], leaves.AsSpan(2), r);
                r[row].Backward();
                return Array.ConvertAll(leaves, x => x.Grad);
            }
        }

        public static partial class Matrix
        {
            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.Jacobian)]
            public static void F(double[,] w, double s, [NoDerivative] double[] x, [Output] double[] r)
            {
                for (int i = 0; i < w.GetLength(0); i++)
                {
                    double z = 0;
                    for (int k = 0; k < w.GetLength(1); k++) z += w[i, k] * x[k];
                    r[i] = Math.Tanh(s * z);
                }
                r[w.GetLength(0)] = s * s;
            }

            static readonly double[] X = [0.5, -1.25, 2.0];
            static double[,] W(double[] z) => new double[,] { { z[0], z[1], z[2] }, { z[3], z[4], z[5] } };
            public static void Primal(double[] z, double[] r) => F(W(z), z[6], X, r);
            public static void Vjp(double[] z, double[] r, double[] dR, double[] g)
            {
                var dW = new double[2, 3];
                double dS = 0;
                FVjp(W(z), z[6], X, r, dR, dW, ref dS);
                for (int k = 0; k < 6; k++) g[k] = dW[k / 3, k % 3];
                g[6] = dS;
            }
            public static void Jvp(double[] z, double[] t, double[] r, double[] tR) => FJvp(W(z), z[6], X, W(t), t[6], r, tR);
            public static void Jacobian(double[] z, double[] r, double[,] j) => FJacobian(W(z), z[6], X, r, j);
            public static double[] TapeRow(double[] z, int row)
            {
                Value[] leaves = Array.ConvertAll(z, x => new Value(x));
                var w = new Value[,] { { leaves[0], leaves[1], leaves[2] }, { leaves[3], leaves[4], leaves[5] } };
                var r = new Value[3];
                FTape(w, leaves[6], X, r);
                r[row].Backward();
                return Array.ConvertAll(leaves, x => x.Grad);
            }
        }

        public static partial class Residual
        {
            [Differentiable(Modes = DerivativeModes.Jacobian)]
            public static void F(ReadOnlySpan<double> cam, ReadOnlySpan<double> x, [NoDerivative] ReadOnlySpan<double> feat, [Output] Span<double> r)
            {
                double xc0 = x[0] - cam[0], xc1 = x[1] - cam[1], xc2 = x[2] + cam[2];
                double p0 = xc0 / xc2, p1 = xc1 / xc2;
                double l = 1.0 + 0.1 * (p0 * p0 + p1 * p1);
                r[0] = p0 * l - feat[0];
                r[1] = p1 * l - feat[1];
            }

            static readonly double[] Feat = [0.1, -0.2];
            public static void Primal(double[] z, double[] r) => F(z.AsSpan(0, 3), z.AsSpan(3), Feat, r);
            public static void Vjp(double[] z, double[] r, double[] dR, double[] g) => FVjp(z.AsSpan(0, 3), z.AsSpan(3), Feat, r, dR, g.AsSpan(0, 3), g.AsSpan(3));
            public static void Jvp(double[] z, double[] t, double[] r, double[] tR) => FJvp(z.AsSpan(0, 3), z.AsSpan(3), Feat, t.AsSpan(0, 3), t.AsSpan(3), r, tR);
            public static void Jacobian(double[] z, double[] r, double[,] j) => FJacobian(z.AsSpan(0, 3), z.AsSpan(3), Feat, r, j);
            public static double[] TapeRow(double[] z, int row)
            {
                Value[] leaves = Array.ConvertAll(z, x => new Value(x));
                var r = new Value[2];
                FTape(leaves.AsSpan(0, 3), leaves.AsSpan(3), Feat, r);
                r[row].Backward();
                return Array.ConvertAll(leaves, x => x.Grad);
            }
        }

        public static partial class Accumulate
        {
            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.Jacobian)]
            public static void F(double[] p, [Output] Span<double> r)
            {
                for (int i = 0; i < r.Length; i++) r[i] = 0;
                double x = p[0];
                int k = 0;
                while (k < 20)
                {
                    r[k % r.Length] += x * p[1];
                    x = x * p[2] + 0.25;
                    if (x > 3) break;
                    k++;
                }
                r[r.Length - 1] += x;
            }

            public static void Primal(double[] z, double[] r) => F(z, r);
            public static void Vjp(double[] z, double[] r, double[] dR, double[] g) => FVjp(z, r, dR, g);
            public static void Jvp(double[] z, double[] t, double[] r, double[] tR) => FJvp(z, t, r, tR);
            public static void Jacobian(double[] z, double[] r, double[,] j) => FJacobian(z, r, j);
            public static double[] TapeRow(double[] z, int row)
            {
                Value[] p = Array.ConvertAll(z, x => new Value(x));
                var r = new Value[4];
                FTape(p, r);
                r[row].Backward();
                return Array.ConvertAll(p, x => x.Grad);
            }
        }

        public static partial class Fallback
        {
            [Differentiable(Modes = DerivativeModes.Jacobian)]
            public static void F(double x, Span<double> v, double[,] w, [NoDerivative] double s, [Output] Span<double> r)
            {
                double acc = 0.0;
                for (int k = 0; k < 163; k++)
                {
                    ReadOnlySpan<double> r0 = [w[k % 2, (k + 1) % 2], acc, x];
                    for (int i1 = 0; i1 < 3; i1++)
                    {
                        double a2 = w[0, i1 % 2] / (1.5 + r0[k % 3] * r0[k % 3]);
                    }
                    acc = 0.9 * acc + Math.Tanh(s) * Math.Cos(acc);
                }
                r[0] = w[0, 0] * acc + x * Math.Sin(v[1]) + v[0];
                for (int q = 1; q < r.Length; q++) r[q] = r[q - 1] + 0.5 * q * (r[0] * r[0]);
            }

            static double[,] W(double[] z) => new double[,] { { z[3], z[4] }, { z[5], z[6] } };
            public static void Primal(double[] z, double[] r) => F(z[0], z.AsSpan(1, 2), W(z), 0.6, r);
            public static void Vjp(double[] z, double[] r, double[] dR, double[] g)
            {
                double dX = 0;
                var dW = new double[2, 2];
                FVjp(z[0], z.AsSpan(1, 2), W(z), 0.6, r, dR, ref dX, g.AsSpan(1, 2), dW);
                g[0] = dX;
                for (int k = 0; k < 4; k++) g[3 + k] = dW[k / 2, k % 2];
            }
            public static void Jvp(double[] z, double[] t, double[] r, double[] tR) => FJvp(z[0], z.AsSpan(1, 2), W(z), 0.6, t[0], t.AsSpan(1, 2), W(t), r, tR);
            public static void Jacobian(double[] z, double[] r, double[,] j) => FJacobian(z[0], z.AsSpan(1, 2), W(z), 0.6, r, j);
            public static double[] TapeRow(double[] z, int row)
            {
                Value[] leaves = Array.ConvertAll(z, x => new Value(x));
                var w = new Value[,] { { leaves[3], leaves[4] }, { leaves[5], leaves[6] } };
                var r = new Value[2];
                FTape(leaves[0], leaves.AsSpan(1, 2), w, 0.6, r);
                r[row].Backward();
                return Array.ConvertAll(leaves, x => x.Grad);
            }
        }

        public static partial class Recurrence
        {
            [Differentiable(Modes = DerivativeModes.Jacobian)]
            public static void F(double[] p, [Output] Span<double> r)
            {
                double x = p[0];
                for (int k = 1; k < p.Length; k++)
                {
                    x = Math.Sin(x * p[k]) + 0.5 * x;
                    if (k < r.Length) r[k] = x * p[k - 1];
                }
                r[0] = x * x;
            }

            public static void Primal(double[] z, double[] r) => F(z, r);
            public static void Vjp(double[] z, double[] r, double[] dR, double[] g) => FVjp(z, r, dR, g);
            public static void Jvp(double[] z, double[] t, double[] r, double[] tR) => FJvp(z, t, r, tR);
            public static void Jacobian(double[] z, double[] r, double[,] j) => FJacobian(z, r, j);
            public static double[] TapeRow(double[] z, int row)
            {
                Value[] p = Array.ConvertAll(z, x => new Value(x));
                var r = new Value[3];
                FTape(p, r);
                r[row].Backward();
                return Array.ConvertAll(p, x => x.Grad);
            }
        }
        """;
}

namespace SymGrad.Tests.Loops;

/// <summary>Methods whose loops run a number of times known only at run time: every loop form the language has.</summary>
internal static class LoopSources
{
    public const string Runtime = """
        using System;
        using SymGrad;

        public static partial class RuntimeLoops
        {
            [Differentiable]
            public static double SumSquares(double[] x)
            {
                double s = 0;
                for (int i = 0; i < x.Length; i++) s += x[i] * x[i];
                return s;
            }

            [Differentiable]
            public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
                return s;
            }

            [Differentiable]
            public static double Logistic([NoDerivative] double[,] xs, [NoDerivative] double[] ys, double[] w, double b)
            {
                int n = xs.GetLength(0);
                double loss = 0;
                for (int i = 0; i < n; i++)
                {
                    double z = b;
                    for (int j = 0; j < xs.GetLength(1); j++) z += w[j] * xs[i, j];
                    double p = 1 / (1 + Math.Exp(-z));
                    loss -= ys[i] * Math.Log(p) + (1 - ys[i]) * Math.Log(1 - p);
                }
                return loss / n;
            }

            [Differentiable]
            public static double Recurrence(double x0, double a, int n)
            {
                double x = x0;
                for (int k = 0; k < n; k++) x = a * x * (1 - x);
                return x;
            }

            [Differentiable]
            public static double Power(double x, int n)
            {
                double p = 1;
                int k = 0;
                while (k < n)
                {
                    p *= x;
                    k++;
                }
                return p;
            }

            [Differentiable]
            public static double Heron(double a)
            {
                double x = a, change = 1;
                while (change > 1e-10)
                {
                    double next = 0.5 * (x + a / x);
                    change = Math.Abs(next - x);
                    x = next;
                }
                return x;
            }

            [Differentiable]
            public static double Triangular(double[] v)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++)
                {
                    for (int j = 0; j < i; j++) s += v[i] * v[j] * Math.Sin(v[j]);
                }
                return s;
            }

            [Differentiable]
            public static double Down(double[] v)
            {
                double s = 0;
                for (int i = v.Length - 1; i >= 0; i--) s = s * 0.5 + Math.Tanh(v[i] * s + v[i]);
                return s;
            }

            [Differentiable]
            public static double Pairs(double[] v)
            {
                double s = 0;
                for (int i = 1; i < v.Length; i += 2) s += v[i] * v[i - 1];
                return s;
            }

            [Differentiable]
            public static double BranchInLoop(double[] v, double c)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++)
                {
                    if (v[i] > 0) s += Math.Log(1 + v[i] * c);
                    else s -= v[i] * v[i] * c;
                }
                return s;
            }

            [Differentiable]
            public static double QuadraticForm(double[] x, double[,] a)
            {
                double s = 0;
                for (int i = 0; i < 100; i++)
                {
                    for (int j = 0; j < 100; j++) s += x[i] * a[i, j] * x[j];
                }
                return s;
            }

            [Differentiable]
            public static double DoubleIndex(double a)
            {
                double s = 0;
                for (double t = 0; t < 1; t += 0.25) s += Math.Sin(a * t);
                return s;
            }

            [Differentiable]
            public static double DoWhile(double x, int n)
            {
                double y = x;
                int k = 0;
                do
                {
                    y = Math.Sin(y) + 0.5 * y;
                    k++;
                } while (k < n);
                return y;
            }

            [Differentiable]
            public static double Rnn(double[] xs, double w, double u)
            {
                double h = 0, total = 0;
                for (int t = 0; t < xs.Length; t++)
                {
                    h = Math.Tanh(w * h + u * xs[t]);
                    total += h * h;
                }
                return total + h;
            }

            [Differentiable]
            public static double Mlp(double[,] w1, double[] b1, double[,] w2, double[] b2, [NoDerivative] double[,] xs, [NoDerivative] double[] labels)
            {
                int batch = xs.GetLength(0), inputs = xs.GetLength(1), hidden = b1.Length, classes = b2.Length;
                double[] h = new double[hidden];
                double[] logits = new double[classes];
                double loss = 0;
                for (int s = 0; s < batch; s++)
                {
                    for (int j = 0; j < hidden; j++)
                    {
                        double z = b1[j];
                        for (int k = 0; k < inputs; k++) z += w1[j, k] * xs[s, k];
                        h[j] = Math.Tanh(z);
                    }
                    double max = double.NegativeInfinity;
                    for (int c = 0; c < classes; c++)
                    {
                        double z = b2[c];
                        for (int j = 0; j < hidden; j++) z += w2[c, j] * h[j];
                        logits[c] = z;
                        max = Math.Max(max, z);
                    }
                    double sum = 0;
                    for (int c = 0; c < classes; c++) sum += Math.Exp(logits[c] - max);
                    loss += Math.Log(sum) + max - logits[(int)labels[s]];
                }
                return loss / batch;
            }

            [Differentiable]
            public static double Smooth(double[] v, int passes)
            {
                int n = v.Length;
                Span<double> a = stackalloc double[n];
                for (int i = 0; i < n; i++) a[i] = v[i];
                for (int p = 0; p < passes; p++)
                {
                    for (int i = 1; i < n; i++) a[i] = 0.5 * (a[i] + a[i - 1] * a[i - 1]);
                }
                double s = 0;
                for (int i = 0; i < n; i++) s += a[i] * Math.Sin(a[i]);
                return s;
            }

            [Differentiable]
            public static double Grid(double[] v)
            {
                int n = v.Length;
                double[,] g = new double[n, n];
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++) g[i, j] = v[i] * v[j] + (i > 0 ? g[i - 1, j] : 0);
                }
                double s = 0;
                for (int i = 0; i < n; i++) s += g[n - 1, i] * g[i, i];
                return s;
            }

            [Differentiable]
            public static double PerIteration(double[] v)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++)
                {
                    double[] pair = new double[2];
                    pair[0] = v[i];
                    pair[1] = pair[0] * pair[0];
                    for (int k = 0; k < 2; k++) s += Math.Exp(pair[k] * 0.3);
                }
                return s;
            }

            [Differentiable]
            public static double ForEach(ReadOnlySpan<double> v, double[] w)
            {
                double s = 0;
                foreach (double x in v) s += Math.Sin(x) * x;
                double[] squares = new double[w.Length];
                for (int i = 0; i < w.Length; i++) squares[i] = w[i] * w[i];
                foreach (double q in squares) s = s * 0.5 + q;
                return s;
            }

            /// <summary>A load made in a branch and kept for the backward sweep (found by the fuzz: a stale leaf).</summary>
            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.HessianVector | DerivativeModes.Hessian)]
            public static double BranchLoad(ReadOnlySpan<double> v, int n)
            {
                double acc = 0.0;
                for (int r = 0; r < 40; r++)
                {
                    double a0 = acc;
                    if (n != 2) a0 += SymMath.Softplus(v[r % v.Length]);
                    acc = 0.9 * acc + Math.Tanh(a0) * Math.Cos(acc);
                }
                return acc;
            }

            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.HessianVector)]
            public static double BreakContinue(double[] v, double limit)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++)
                {
                    if (v[i] > limit) break;
                    if (v[i] < -0.5) continue;
                    s += Math.Sin(v[i]) * s + v[i] * limit;
                }
                return s;
            }

            [Differentiable]
            public static double IndexAfterBreak(double[] v, double x)
            {
                int i;
                for (i = 0; i < v.Length; i++)
                {
                    if (v[i] * x > 0.5) break;
                }
                return x * i + (i < v.Length ? v[i] : 0);
            }

            [Differentiable]
            public static double Converge(double x)
            {
                double y = x;
                while (true)
                {
                    double next = 0.5 * y + Math.Sin(y) * 0.25;
                    if (Math.Abs(next - y) < 1e-9) break;
                    y = next;
                }
                return y + x;
            }

            /// <summary>Found by the loop fuzz: a parameter both the initial value of a carried variable and read in the body.</summary>
            [Differentiable]
            public static double InitFromParameter(double x, int n)
            {
                double a = x;
                for (int k = 0; k < n; k++) a *= x;
                return a;
            }

            /// <summary>Found by the loop fuzz: a next value taken straight from outside the loop.</summary>
            [Differentiable]
            public static double NextFromOutside(double x, int n)
            {
                double a = 0.0;
                for (int k = 0; k < n; k++) a = x;
                double b = 0.5;
                int e = 0;
                do
                {
                    b = Math.Sin(x);
                    e++;
                } while (e < n);
                return a + b;
            }

            /// <summary>Found by the loop fuzz: a while loop after an early return, its counter read by the backward sweep.</summary>
            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.HessianVector)]
            public static double WhileAfterReturn(double x, double[] xs)
            {
                if (x <= 0) return x;
                double a = x;
                int k = 0;
                while (k < xs.Length && a < 3.0)
                {
                    a += 0.5 + x * x * xs[k];
                    k++;
                }
                return a;
            }
            /// <summary>break and continue in a do loop, its first iteration included.</summary>
            [Differentiable]
            public static double DoBreakContinue(double[] v, double x, int n)
            {
                double s = x;
                int i = 0;
                do
                {
                    double e = Math.Cos(i * x) - 0.2 * i;
                    i++;
                    if (e < -0.5) continue;
                    s = s * 0.9 + Math.Sin(e * x);
                    if (s > 1.5) break;
                } while (i < n);
                double t = 0;
                for (int k = 0; k < v.Length; k++) t += v[k] * s;
                return s * x + t;
            }
            /// <summary>return inside a triangular nest: the first pair whose product passes a bound.</summary>
            [Differentiable]
            public static double FirstAbove(double[] v, double bound)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++)
                {
                    for (int j = 0; j < i; j++)
                    {
                        double p = v[i] * v[j];
                        if (p > bound) return p + s;
                        s += 0.1 * p;
                    }
                }
                return s * bound;
            }

            /// <summary>return inside a while loop (Newton's iteration for a square root, left once it has converged).</summary>
            [Differentiable]
            public static double NewtonSqrt(double a)
            {
                double x = a;
                int k = 0;
                while (k < 50)
                {
                    double next = 0.5 * (x + a / x);
                    if (Math.Abs(next - x) < 1e-12 * next) return next;
                    x = next;
                    k++;
                }
                return x;
            }

            /// <summary>return inside a foreach, and inside a do loop, with code after both loops.</summary>
            [Differentiable]
            public static double SumOfRoots(double[] v, double cap)
            {
                double s = 0;
                foreach (double e in v)
                {
                    if (e < 0) return s - e;
                    s += Math.Sqrt(e);
                }
                int i = 0;
                do
                {
                    s = s * 0.5 + cap;
                    if (s > 2 * cap) return s * s;
                    i++;
                } while (i < v.Length);
                return s + cap;
            }
            /// <summary>
            /// A do loop ending in an if whose branch only continues (the loop fuzz's bug 3: SG0099). In place: the
            /// loop's sum is also read before the loop, by the peeled first iteration.
            /// </summary>
            [Differentiable]
            public static double DoEndsInContinue(double x, [NoDerivative] double s, int n)
            {
                int k = 0;
                double t = 0.0;
                do
                {
                    k++;
                    t += x * x;
                    if (s < 0.5) continue;
                } while (k < n);
                return t + x;
            }

            /// <summary>
            /// Do loops with values nothing reads, made in a branch from a carried value (bug 3, second shape, and
            /// bug 4): a local of the body, a variable declared before the loop, and a branch around an inner loop.
            /// </summary>
            [Differentiable]
            public static double DoDeadBranches(double x, int n)
            {
                double c5 = x;
                double dead = 1.0;
                int k = 0;
                double t = 0.0;
                do
                {
                    k++;
                    double c7 = c5;
                    if (3.0 < x)
                    {
                        c7 += Math.Tanh(Math.Cos(x));
                        dead += Math.Tanh(t);
                        if (t >= Math.PI)
                        {
                            for (int i = 0; i < n; i++) c5 *= Math.Tanh(x);
                        }
                    }
                    c5 = 0.5 * c5 + x;
                    t += x;
                } while (k < 3);
                return c5 + t;
            }

            /// <summary>A for loop whose break is certain (bug 2: its step was emitted under if (true), CS0162).</summary>
            [Differentiable]
            public static double CertainBreak(double x, int n)
            {
                double c = 1.0;
                double t = 0.0;
                for (int i = 0; i < n; i++)
                {
                    c += c * x;
                    if (t <= 0.25) break;
                }
                return c;
            }

            /// <summary>
            /// A local array made after a loop that returns, read by loops that never write it (so the backward sweep
            /// rereads it rather than taping its elements): it lives in the branch that runs when the loop did not
            /// return, and the backward sweep of that branch, another region, reads it too (the campaign's CS0103).
            /// The loop fuzz's program, shrunk.
            /// </summary>
            #pragma warning disable CS0162 // the loop's step: the body always returns (the user's code, as the fuzz drew it)
            [Differentiable]
            public static double ArrayAfterReturn(double x, double[,] w, int n)
            {
                double c0 = x;
                for (int i1 = 0; i1 < n; i1 += 2)
                {
                    return c0;
                }
                Span<double> a5 = stackalloc double[w.GetLength(0)];
                foreach (double i6 in a5)
                {
                    foreach (double i7 in a5)
                    {
                        if ((1.0 <= c0) && (c0 >= i6))
                        {
                            for (int i8 = n - 1; i8 >= 0; i8--)
                            {
                                double c9 = c0;
                                c0 *= 0.5 + SymMath.Sigmoid(c9);
                            }
                        }
                    }
                }
                return c0;
            }
            #pragma warning restore CS0162

            /// <summary>foreach over an int[] parameter (an index table), and over a span of ints.</summary>
            [Differentiable]
            public static double ForEachInt(double[] v, int[] idx, ReadOnlySpan<int> weights)
            {
                double s = 0;
                foreach (int k in idx) s += v[k] * Math.Sin(v[k]);
                foreach (int m in weights) s = s * 0.5 + m * v[0];
                return s;
            }
        }
        """;
}

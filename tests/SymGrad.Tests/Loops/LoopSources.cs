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
        }
        """;
}

using SymGrad.Tests.Generator;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// Programs of the loop fuzz's campaigns (docs/loop-fuzz-campaign.md) that made generated code that did not compile,
/// shrunk by <see cref="ProgramChecker.Shrink"/>, kept as they were drawn.
/// </summary>
public class LoopRegressions
{
    /// <summary>
    /// A gradient of more than 2,400 statements whose loops are all inside branches (after a loop that may return):
    /// it was split into parts, which had no tape and no flat views of <c>w</c> and <c>dW</c> (CS0103 'tape',
    /// 'dWColumns'). A program with a loop anywhere is not split.
    /// </summary>
    [Fact]
    public void A_long_gradient_with_loops_only_inside_branches_is_not_split()
    {
        GeneratorRun run = GeneratorHarness.Run(LongWithLoopsInBranches, ProgramChecker.Shared, SampleSources.ImplicitUsings);
        string generated = string.Concat(run.Sources.Values);
        Assert.Contains("FGradient(", generated);
        Assert.DoesNotContain("FGradientPart", generated);
        Assert.Contains("tape.", generated); // its loops do use the tape
    }

    /// <summary>Seed 3001 of the campaign, shrunk in 15 steps.</summary>
    private const string LongWithLoopsInBranches = """
        #pragma warning disable CS0162, CS0219, CS1717, CS1718
        using SymGrad;

        namespace Fuzz;

        public static partial class P0
        {
            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.HessianVector | DerivativeModes.Hessian)]
            public static double F(double x, ReadOnlySpan<double> v, double[,] w, [NoDerivative] double s, int n, int[] idx)
            {
                if (n % 2 == 0)
                {
                    if (Math.E < x)
                    {
                        int k0 = 0;
                        double t0 = 0.0;
                        while (k0 < n && t0 < 1.0 + x * x)
                        {
                            k0++;
                            if (x >= (x * Math.PI))
                            {
                                continue;
                            }
                            if ((x < s) || (t0 > x))
                            {
                                return (k0 * t0);
                            }
                            t0 += 0.25 + SymMath.Sigmoid(((x >= s) ? (x - x) : Shared.K(x)));
                        }
                        if (x < 0.25)
                        {
                            for (int i1 = 1; i1 < idx.Length; i1++)
                            {
                                double c2 = (3.0 + v[idx[i1]]);
                            }
                            for (int i3 = 0; i3 < v.Length - 1; i3++)
                            {
                                double c4 = (t0 / (1.5 + (-1.5) * (-1.5)));
                                c4 -= 0.5 * Math.Sin(c4);
                                c4 *= Math.Tanh(Math.Cos(v[i3 + 1]));
                            }
                        }
                    }
                    else
                    {
                        double c5 = Math.Tanh(Math.Tanh(x));
                    }
                    for (int i6 = 1; i6 < w.GetLength(1); i6++)
                    {
                        for (int i7 = i6 + 1; i7 < w.GetLength(1); i7++)
                        {
                            if (n % 2 == 0)
                            {
                                if (0.25 < x)
                                {
                                    return Math.Min(s, x);
                                }
                            }
                            if (s <= Math.PI)
                            {
                                return (1.0 / 4.0);
                            }
                            if ((i7 >= x) || (x >= s))
                            {
                                return x;
                            }
                        }
                        for (int i8 = 0; i8 < i6; i8++)
                        {
                            int k9 = 0;
                            double t9 = 0.0;
                            do
                            {
                                k9++;
                                t9 += 0.25 + SymMath.Sigmoid(Math.Pow(s, 0.0));
                                if (!((t9 > 2.0)))
                                {
                                    return Math.Pow(2.0 + Math.Sin(x), n / (1.0 + n * n));
                                }
                            }
                            while (k9 < v.Length && t9 < 0.5 + x * x);
                            for (int i10 = 1; i10 < w.GetLength(1); i10++)
                            {
                                if (x > Math.Min(x, t9))
                                {
                                    break;
                                }
                            }
                            if (x <= s)
                            {
                                break;
                            }
                        }
                        if (x > Math.Min((-1.5), n))
                        {
                            break;
                        }
                    }
                }
                else
                {
                    double c11 = SymMath.Sigmoid((x * n));
                }
                for (int i12 = w.GetLength(1) - 1; i12 >= 0; i12--)
                {
                    if (x > (x / (1.5 + x * x)))
                    {
                        continue;
                    }
                    int k13 = 0;
                    double t13 = 0.0;
                    while (t13 < 2.5 && k13 < v.Length)
                    {
                        k13++;
                        if (v[k13 - 1] > x)
                        {
                            return (k13 * v[k13 - 1]);
                        }
                        if ((t13 < 0.25) || (v[k13 - 1] <= 1.0))
                        {
                            if (t13 > x)
                            {
                                if (!((k13 < t13)))
                                {
                                    return k13;
                                }
                            }
                        }
                        if (n > 3.0)
                        {
                            for (int i14 = 0; i14 < i12; i14++)
                            {
                                double c15 = Math.Exp(Math.Tanh(x));
                            }
                            for (double i16 = 0.5; i16 < n; i16 += 0.75)
                            {
                                double c17 = t13;
                                if (Math.Tanh(((1.0 >= v[k13 - 1]) ? Math.E : c17)) > c17) c17 = Math.Tanh(((1.0 >= v[k13 - 1]) ? Math.E : c17));
                                if (0.25 >= i16)
                                {
                                    return Math.Pow(1.5 + i16 * i16, 0.5);
                                }
                            }
                        }
                        else
                        {
                            for (double i18 = 0.5; i18 < n; i18 += 0.75)
                            {
                                double c19 = (x + Math.PI);
                            }
                        }
                        t13 += 0.25 + SymMath.Sigmoid(Math.Pow(2.0 + Math.Sin(x), s / (1.0 + s * s)));
                    }
                }
                Span<double> a20 = stackalloc double[w.GetLength(0)];
                for (int i21 = 0; i21 < v.Length; i21++)
                {
                    for (int i22 = 0; i22 < i21; i22++)
                    {
                        foreach (int i23 in idx)
                        {
                            double c24 = Math.PI;
                            double c25 = Math.Sqrt(1.0 + s * s);
                        }
                        foreach (int i26 in idx)
                        {
                            if (i26 == 1)
                            {
                                if (i26 == 1)
                                {
                                    return Math.Sqrt(2.0 + Math.Cos(v[i22]));
                                }
                            }
                        }
                        if (x >= (v[i22 + 1] + x))
                        {
                            break;
                        }
                    }
                    if (x > Math.Min(n, x))
                    {
                        break;
                    }
                    double c27 = (x + v[i21]);
                }
                double c28 = Math.Tan(0.5 * Math.Sin((s + x)));
                double live = 0.0;
                for (int e = 0; e < a20.Length; e++) live += Math.Tanh(a20[e]);
                return ((Math.Min(x, c28) - (c28 + x)) + live) + Math.Tanh(c28);
            }
        }
        """;
}

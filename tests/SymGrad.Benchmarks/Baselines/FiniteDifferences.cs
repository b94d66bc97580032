using System.Runtime.InteropServices;
using SymGrad.Benchmarks.Cases;
using SymGrad.Benchmarks.Problems;

namespace SymGrad.Benchmarks.Baselines;

/// <summary>
/// Central finite differences, <c>(f(p + h) - f(p - h)) / 2h</c> for every parameter in turn (2n primal calls), with
/// <c>h = eps^(1/3) max(1, |p|)</c>, which balances truncation (h^2) against rounding (eps/h) error. Parameters are
/// perturbed in place and restored bit for bit.
/// </summary>
internal static class FiniteDifferences
{
    private static readonly double Step = Math.Cbrt(2.220446049250313e-16); // machine epsilon^(1/3)

    /// <summary>Fills <paramref name="grad"/> with the central difference of <paramref name="f"/> in each entry of <paramref name="param"/>.</summary>
    public static void Central<TState>(Span<double> param, Span<double> grad, TState state, Func<TState, double> f)
    {
        for (int i = 0; i < param.Length; i++)
        {
            double v = param[i];
            double h = Step * Math.Max(1.0, Math.Abs(v));
            param[i] = v + h;
            double fp = f(state);
            param[i] = v - h;
            double fm = f(state);
            param[i] = v;
            grad[i] = (fp - fm) / (2 * h);
        }
    }

    /// <summary>The central difference of <paramref name="f"/> in one entry, perturbed in place and restored.</summary>
    public static double Central(ref double param, Func<double> f)
    {
        double g = 0;
        Central(MemoryMarshal.CreateSpan(ref param, 1), MemoryMarshal.CreateSpan(ref g, 1), f, static f => f());
        return g;
    }

    public static void Gradient(MlpProblem p, MlpGradient g)
    {
        Func<MlpProblem, double> f = p.Primal;
        Central(Flat.Of(p.W1), Flat.Of(g.DW1), p, f);
        Central(p.B1, g.DB1, p, f);
        Central(Flat.Of(p.W2), Flat.Of(g.DW2), p, f);
        Central(p.B2, g.DB2, p, f);
        Central(p.WOut, g.DWOut, p, f);
        Central(MemoryMarshal.CreateSpan(ref p.BOut, 1), MemoryMarshal.CreateSpan(ref g.DBOut, 1), p, f);
    }

    private static readonly Func<BundleAdjustmentProblem, double> BaPrimal =
        b => BundleAdjustment.Objective(b.Cam, b.X, b.W, b.Feat);

    public static void Gradient(BundleAdjustmentProblem b)
    {
        Central(b.Cam, b.DCam, b, BaPrimal);
        Central(b.X, b.DX, b, BaPrimal);
        Central(MemoryMarshal.CreateSpan(ref b.W, 1), MemoryMarshal.CreateSpan(ref b.DW, 1), b, BaPrimal);
    }

    private static readonly Func<LstmProblem, double> LstmPrimal = p => p.Objective();

    /// <summary>Every parameter of the LSTM case, into its gradient buffers.</summary>
    public static void Gradient(LstmProblem p)
    {
        Central(Flat.Of(p.MainParams), Flat.Of(p.DMainParams), p, LstmPrimal);
        Central(Flat.Of(p.ExtraParams), Flat.Of(p.DExtraParams), p, LstmPrimal);
    }
}

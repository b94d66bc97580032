using SymGrad;

namespace SeedNotebook.SecondOrder;

/// <summary>
/// A small logistic regression, for second-order methods: the mean log-loss of a linear classifier over
/// <see cref="Samples"/> points in the plane, labels ±1, with an L2 penalty on the weights. SymGrad generates its
/// gradient and its dense Hessian (over w₀, w₁, b).
/// </summary>
public static partial class LogisticRegression
{
    public const int Samples = 40, Features = 2;

    /// <summary>The penalty λ/2 |w|²'s λ: small, so that the fit is the data's, and the Hessian positive definite.</summary>
    public const double Lambda = 1e-2;

    /// <summary>mean over i of log(1 + exp(-yᵢ (w·xᵢ + b))) + λ/2 |w|².</summary>
    [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Hessian)]
    public static double Loss(double[] w, double b, [NoDerivative] double[,] xs, [NoDerivative] double[] ys)
    {
        double total = 0;
        int n = xs.GetLength(0);
        for (int i = 0; i < n; i++)
        {
            double margin = ys[i] * (w[0] * xs[i, 0] + w[1] * xs[i, 1] + b);
            total += SymMath.Softplus(-margin);
        }
        return total / n + 0.5 * Lambda * (w[0] * w[0] + w[1] * w[1]);
    }

    /// <summary>
    /// The data: two overlapping clouds, labels from a noisy linear rule (seeded, so the same on every run and machine:
    /// a seeded <see cref="Random"/> draws the same sequence everywhere).
    /// </summary>
    public static (double[,] Xs, double[] Ys) Data()
    {
        var random = new Random(20261202);
        var xs = new double[Samples, Features];
        var ys = new double[Samples];
        for (int i = 0; i < Samples; i++)
        {
            double x0 = 4 * random.NextDouble() - 2, x1 = 4 * random.NextDouble() - 2;
            xs[i, 0] = x0;
            xs[i, 1] = x1;
            ys[i] = 1.5 * x0 - x1 + 0.3 + (random.NextDouble() - 0.5) > 0 ? 1 : -1;
        }
        return (xs, ys);
    }
}

using SymGrad;

namespace SeedNotebook.SecondOrder;

/// <summary>
/// A curve fit, for least squares: a damped oscillation y(t) = a e^(-b t) sin(ω t) + c through
/// <see cref="Points"/> noisy samples. <see cref="Residuals"/> writes one residual per sample into a vector output;
/// SymGrad generates its Jacobian (one forward sweep per parameter: 4 columns against 40 rows), which
/// Levenberg-Marquardt (<see cref="LevenbergMarquardt"/>) uses as Gauss-Newton's J.
/// </summary>
public static partial class CurveFit
{
    public const int Points = 40, Parameters = 4;

    /// <summary>The parameters the data were drawn from: a, b, ω, c.</summary>
    public static readonly double[] Truth = [2.0, 0.35, 1.7, 0.5];

    /// <summary>rᵢ = a e^(-b tᵢ) sin(ω tᵢ) + c - yᵢ, for θ = (a, b, ω, c).</summary>
    [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.Jacobian)]
    public static void Residuals(double[] theta, [NoDerivative] double[] ts, [NoDerivative] double[] ys, [Output] Span<double> r)
    {
        for (int i = 0; i < ts.Length; i++)
        {
            double t = ts[i];
            double model = theta[0] * Math.Exp(-theta[1] * t) * Math.Sin(theta[2] * t) + theta[3];
            r[i] = model - ys[i];
        }
    }

    /// <summary>The model at t, for the plot.</summary>
    public static double Model(ReadOnlySpan<double> theta, double t) => theta[0] * Math.Exp(-theta[1] * t) * Math.Sin(theta[2] * t) + theta[3];

    /// <summary>The data: the truth at evenly spaced t in [0, 10], plus seeded Gaussian-ish noise (the same on every machine).</summary>
    public static (double[] Ts, double[] Ys) Data()
    {
        var random = new Random(20261203);
        var ts = new double[Points];
        var ys = new double[Points];
        for (int i = 0; i < Points; i++)
        {
            ts[i] = 10.0 * i / (Points - 1);
            double noise = (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 0.1;
            ys[i] = Model(Truth, ts[i]) + noise;
        }
        return (ts, ys);
    }
}

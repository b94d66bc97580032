namespace SeedNotebook.SecondOrder;

/// <summary>One step of a least-squares fit: its number, the cost ½|r|², the damping λ, and |Jᵀr| before it.</summary>
public sealed record LeastSquaresStep(int Step, double Cost, double Damping, double GradientNorm);

/// <summary>
/// Levenberg-Marquardt on <see cref="CurveFit"/>: at each step the generated Jacobian J of the residuals (one call,
/// <c>CurveFit.ResidualsJacobian</c>), then the damped Gauss-Newton step (JᵀJ + λ diag(JᵀJ)) δ = -Jᵀr. A step that
/// lowers the cost is taken and λ shrinks towards Gauss-Newton; one that does not is refused and λ grows towards
/// gradient descent (Marquardt's scaling by diag(JᵀJ), Nielsen's factors of 3 and 2).
/// </summary>
public static class LevenbergMarquardt
{
    /// <summary>Where the fit starts: the right shape, wrong numbers (a, b, ω, c).</summary>
    public static readonly double[] Start = [1.0, 0.1, 1.5, 0.0];

    public static (double[] Theta, List<LeastSquaresStep> Steps) Fit(double tolerance = 1e-10, int maxSteps = 100)
    {
        (double[] ts, double[] ys) = CurveFit.Data();
        const int m = CurveFit.Points, n = CurveFit.Parameters;
        double[] theta = (double[])Start.Clone(), r = new double[m], trial = new double[n], rTrial = new double[m];
        var jacobian = new double[m, n];
        double damping = 1e-3;
        var steps = new List<LeastSquaresStep>();
        CurveFit.ResidualsJacobian(theta, ts, ys, r, jacobian);
        double cost = HalfSquares(r);
        for (int step = 0; step <= maxSteps; step++)
        {
            // The normal equations' JᵀJ and Jᵀr.
            var a = new double[n, n];
            var g = new double[n];
            for (int i = 0; i < m; i++)
            {
                for (int p = 0; p < n; p++)
                {
                    g[p] += jacobian[i, p] * r[i];
                    for (int q = 0; q < n; q++) a[p, q] += jacobian[i, p] * jacobian[i, q];
                }
            }
            double norm = Math.Sqrt(g.Sum(x => x * x));
            steps.Add(new LeastSquaresStep(step, cost, damping, norm));
            if (norm <= tolerance) break;
            while (true)
            {
                var damped = (double[,])a.Clone();
                for (int p = 0; p < n; p++) damped[p, p] += damping * a[p, p];
                double[] delta = NewtonFit.Solve(damped, g);
                for (int p = 0; p < n; p++) trial[p] = theta[p] - delta[p];
                CurveFit.Residuals(trial, ts, ys, rTrial);
                double trialCost = HalfSquares(rTrial);
                if (trialCost < cost)
                {
                    Array.Copy(trial, theta, n);
                    damping = Math.Max(damping / 3, 1e-12);
                    break;
                }
                damping *= 2;
                if (damping > 1e12) return (theta, steps); // no step lowers the cost: a minimum to rounding
            }
            CurveFit.ResidualsJacobian(theta, ts, ys, r, jacobian);
            cost = HalfSquares(r);
        }
        return (theta, steps);
    }

    private static double HalfSquares(ReadOnlySpan<double> r)
    {
        double s = 0;
        foreach (double x in r) s += x * x;
        return 0.5 * s;
    }
}

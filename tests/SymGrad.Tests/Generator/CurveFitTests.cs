using SeedNotebook.SecondOrder;

namespace SymGrad.Tests.Generator;

/// <summary>
/// The example's curve fit: the generated Jacobian of its residual vector against the closed form
/// ∂r/∂(a, b, ω, c) = (e^(-bt) sin ωt, -a t e^(-bt) sin ωt, a t e^(-bt) cos ωt, 1); Levenberg-Marquardt on it; and
/// warm calls of the vector-output methods allocating nothing.
/// </summary>
public class CurveFitTests
{
    private static readonly double[] Theta = [1.3, 0.2, 1.9, -0.4];

    [Fact]
    public void Jacobian_matches_the_closed_form_and_the_residuals_are_the_methods()
    {
        (double[] ts, double[] ys) = CurveFit.Data();
        double[] r = new double[CurveFit.Points], expected = new double[CurveFit.Points];
        var j = new double[CurveFit.Points, CurveFit.Parameters];
        CurveFit.ResidualsJacobian(Theta, ts, ys, r, j);
        CurveFit.Residuals(Theta, ts, ys, expected);
        Assert.Equal(expected, r);
        (double a, double b, double w) = (Theta[0], Theta[1], Theta[2]);
        for (int i = 0; i < CurveFit.Points; i++)
        {
            double t = ts[i], e = Math.Exp(-b * t);
            double[] closed = [e * Math.Sin(w * t), -a * t * e * Math.Sin(w * t), a * t * e * Math.Cos(w * t), 1];
            for (int k = 0; k < CurveFit.Parameters; k++)
            {
                Assert.True(Math.Abs(j[i, k] - closed[k]) <= 1e-13 * Math.Max(1, Math.Abs(closed[k])), $"J[{i}, {k}] = {j[i, k]:R}, closed form {closed[k]:R}");
            }
        }
    }

    [Fact]
    public void Levenberg_marquardt_converges_to_a_stationary_point_near_the_truth()
    {
        (double[] theta, List<LeastSquaresStep> steps) = LevenbergMarquardt.Fit();
        Assert.True(steps[^1].GradientNorm <= 1e-10, $"stopped at |Jᵀr| = {steps[^1].GradientNorm:R}");
        Assert.InRange(steps.Count, 3, 30);
        for (int s = 1; s < steps.Count; s++) Assert.True(steps[s].Cost <= steps[s - 1].Cost); // only cost-lowering steps are taken
        // Noise of about 0.05 on 40 points: the fit is close to the parameters the data were drawn from.
        double[] tolerance = [0.15, 0.05, 0.03, 0.03];
        for (int k = 0; k < CurveFit.Parameters; k++) Assert.True(Math.Abs(theta[k] - CurveFit.Truth[k]) <= tolerance[k], $"θ[{k}] = {theta[k]:R}");
        // The residual at the fit is the noise: its rms is about the noise's standard deviation (0.05).
        Assert.InRange(Math.Sqrt(2 * steps[^1].Cost / CurveFit.Points), 0.02, 0.08);
    }

    [Fact]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Warm_jacobians_vjps_and_jvps_allocate_nothing()
    {
        (double[] ts, double[] ys) = CurveFit.Data();
        double[] r = new double[CurveFit.Points], dR = new double[CurveFit.Points], tR = new double[CurveFit.Points];
        double[] dTheta = new double[CurveFit.Parameters], tTheta = [0.1, 0.2, 0.3, 0.4];
        var j = new double[CurveFit.Points, CurveFit.Parameters];
        var wide = new double[3, CurveFit.Parameters]; // three residuals, four inputs: the rows way
        double[] three = new double[3], ts3 = ts[..3], ys3 = ys[..3];
        dR.AsSpan().Fill(1.0);
        double sum = 0;
        void Round()
        {
            CurveFit.ResidualsJacobian(Theta, ts, ys, r, j);
            CurveFit.ResidualsJacobian(Theta, ts3, ys3, three, wide);
            CurveFit.ResidualsVjp(Theta, ts, ys, r, dR, dTheta);
            CurveFit.ResidualsJvp(Theta, ts, ys, tTheta, r, tR);
            sum += j[5, 2] + wide[2, 1] + dTheta[1] + tR[7];
        }
        for (int i = 0; i < 500; i++) Round();
        long allocated = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++) Round();
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, allocated);
        Assert.True(double.IsFinite(sum) && sum != 0);
    }

    [Fact]
    public void Jacobians_on_several_threads_at_once_equal_the_same_jacobians_one_after_another()
    {
        (double[] ts, double[] ys) = CurveFit.Data();
        const int points = 64;
        double[][] thetas = Enumerable.Range(0, points).Select(k => new[] { 1 + 0.01 * k, 0.2, 1.5 + 0.005 * k, 0.1 }).ToArray();
        double[][,] Run(bool parallel)
        {
            var results = new double[points][,];
            void One(int k)
            {
                // Wide and tall alternately: both the rows' and the columns' buffers are shared per thread.
                int m = k % 2 == 0 ? CurveFit.Points : 3;
                results[k] = new double[m, CurveFit.Parameters];
                CurveFit.ResidualsJacobian(thetas[k], ts[..m], ys[..m], new double[m], results[k]);
            }
            if (parallel) Parallel.For(0, points, new ParallelOptions { MaxDegreeOfParallelism = 4 }, One);
            else for (int k = 0; k < points; k++) One(k);
            return results;
        }
        double[][,] serial = Run(false), concurrent = Run(true);
        for (int k = 0; k < points; k++) Assert.Equal(serial[k], concurrent[k]);
    }
}

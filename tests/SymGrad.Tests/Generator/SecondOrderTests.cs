using SeedNotebook.SecondOrder;

namespace SymGrad.Tests.Generator;

/// <summary>
/// The generated Hessian and Hessian-vector product of the example's logistic regression, against the closed form
/// H = (1/N) Σ σ(mᵢ)(1 - σ(mᵢ)) zᵢ zᵢᵀ + λ diag(1, 1, 0), zᵢ = (x_i0, x_i1, 1), mᵢ = yᵢ (w·xᵢ + b); and Newton's
/// method on it, which the example prints.
/// </summary>
public class SecondOrderTests
{
    private static readonly double[] W = [0.3, -0.2];
    private const double B = 0.1;

    private static double[,] ClosedFormHessian(double[] w, double b)
    {
        (double[,] xs, double[] ys) = LogisticRegression.Data();
        var h = new double[3, 3];
        for (int i = 0; i < LogisticRegression.Samples; i++)
        {
            double m = ys[i] * (w[0] * xs[i, 0] + w[1] * xs[i, 1] + b);
            double s = 1 / (1 + Math.Exp(-m)), weight = s * (1 - s) / LogisticRegression.Samples;
            double[] z = [xs[i, 0], xs[i, 1], 1];
            for (int r = 0; r < 3; r++)
            {
                for (int c = 0; c < 3; c++) h[r, c] += weight * z[r] * z[c]; // y² = 1
            }
        }
        h[0, 0] += LogisticRegression.Lambda;
        h[1, 1] += LogisticRegression.Lambda;
        return h;
    }

    [Fact]
    public void Hessian_matches_the_closed_form_and_is_symmetric_to_the_bit()
    {
        (double[,] xs, double[] ys) = LogisticRegression.Data();
        double[] dW = new double[2];
        double dB = 0;
        var h = new double[3, 3];
        double loss = LogisticRegression.LossHessian(W, B, xs, ys, dW, ref dB, h);

        Assert.Equal(LogisticRegression.Loss(W, B, xs, ys), loss);
        double[,] expected = ClosedFormHessian(W, B);
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(h[r, c], h[c, r]); // bit for bit
                Assert.True(Math.Abs(h[r, c] - expected[r, c]) <= 1e-12 * Math.Max(1, Math.Abs(expected[r, c])), $"H[{r}, {c}] = {h[r, c]:R}, closed form {expected[r, c]:R}");
            }
        }
        // The gradient it also writes is the gradient's.
        double[] gW = new double[2];
        double gB = 0;
        LogisticRegression.LossGradient(W, B, xs, ys, gW, ref gB);
        Assert.Equal(gW, dW);
        Assert.Equal(gB, dB);
        // A Hessian of the wrong shape is named.
        Assert.Equal("hessian", Assert.Throws<ArgumentException>(() => LogisticRegression.LossHessian(W, B, xs, ys, dW, ref dB, new double[3, 2])).ParamName);
    }

    [Fact]
    public void Hessian_vector_product_is_the_hessian_times_the_tangent()
    {
        (double[,] xs, double[] ys) = LogisticRegression.Data();
        double[] t = [0.7, -1.1], dW = new double[2], hvW = new double[2];
        const double tB = 0.4;
        double dB = 0, hvB = 0;
        LogisticRegression.LossHvp(W, B, xs, ys, t, tB, dW, ref dB, hvW, ref hvB);
        double[,] h = ClosedFormHessian(W, B);
        double[] full = [t[0], t[1], tB];
        double[] product = [hvW[0], hvW[1], hvB];
        for (int r = 0; r < 3; r++)
        {
            double expected = h[r, 0] * full[0] + h[r, 1] * full[1] + h[r, 2] * full[2];
            Assert.True(Math.Abs(product[r] - expected) <= 1e-12, $"(H·t)[{r}] = {product[r]:R}, closed form {expected:R}");
        }
    }

    [Fact]
    public void Newton_converges_in_a_handful_of_steps_where_gradient_descent_needs_hundreds()
    {
        (double[] newton, List<FitStep> newtonSteps) = NewtonFit.Newton(tolerance: 1e-12);
        (double[] descent, List<FitStep> descentSteps) = NewtonFit.GradientDescent(learningRate: 1.0, tolerance: 1e-6, maxSteps: 100_000);

        Assert.True(newtonSteps[^1].GradientNorm <= 1e-12, $"Newton stopped at |g| = {newtonSteps[^1].GradientNorm:R}");
        Assert.InRange(newtonSteps[^1].Step, 3, 10);
        Assert.True(descentSteps[^1].GradientNorm <= 1e-6);
        Assert.True(descentSteps[^1].Step > 10 * newtonSteps[^1].Step, $"descent took {descentSteps[^1].Step} steps, Newton {newtonSteps[^1].Step}");
        // Both found the same minimiser (descent to its looser tolerance).
        for (int k = 0; k < 3; k++) Assert.True(Math.Abs(newton[k] - descent[k]) <= 1e-4, $"θ[{k}]: Newton {newton[k]:R}, descent {descent[k]:R}");
        // Newton's loss falls at every step (the loss is convex).
        for (int s = 1; s < newtonSteps.Count; s++) Assert.True(newtonSteps[s].Loss <= newtonSteps[s - 1].Loss);
    }
}

namespace SeedNotebook.SecondOrder;

/// <summary>One step of a fit: its number, the loss and the gradient's norm before it.</summary>
public sealed record FitStep(int Step, double Loss, double GradientNorm);

/// <summary>
/// Newton's method on <see cref="LogisticRegression"/>, with the generated gradient and Hessian, against plain
/// gradient descent on the same gradient: Newton converges in a handful of steps, descent needs hundreds.
/// </summary>
public static class NewtonFit
{
    /// <summary>Newton's method from zero: θ ← θ - H⁻¹ g until |g| ≤ <paramref name="tolerance"/>.</summary>
    public static (double[] Theta, List<FitStep> Steps) Newton(double tolerance = 1e-12, int maxSteps = 50)
    {
        (double[,] xs, double[] ys) = LogisticRegression.Data();
        double[] w = new double[LogisticRegression.Features], dW = new double[LogisticRegression.Features];
        double b = 0, dB = 0;
        var hessian = new double[3, 3];
        var steps = new List<FitStep>();
        for (int step = 0; step <= maxSteps; step++)
        {
            double loss = LogisticRegression.LossHessian(w, b, xs, ys, dW, ref dB, hessian);
            double[] g = [dW[0], dW[1], dB];
            double norm = Math.Sqrt(g.Sum(x => x * x));
            steps.Add(new FitStep(step, loss, norm));
            if (norm <= tolerance) break;
            double[] delta = Solve(hessian, g);
            w[0] -= delta[0];
            w[1] -= delta[1];
            b -= delta[2];
        }
        return ([w[0], w[1], b], steps);
    }

    /// <summary>Gradient descent from zero with a fixed step, until |g| ≤ <paramref name="tolerance"/> or <paramref name="maxSteps"/>.</summary>
    public static (double[] Theta, List<FitStep> Steps) GradientDescent(double learningRate, double tolerance, int maxSteps)
    {
        (double[,] xs, double[] ys) = LogisticRegression.Data();
        double[] w = new double[LogisticRegression.Features], dW = new double[LogisticRegression.Features];
        double b = 0, dB = 0;
        var steps = new List<FitStep>();
        for (int step = 0; step <= maxSteps; step++)
        {
            double loss = LogisticRegression.LossGradient(w, b, xs, ys, dW, ref dB);
            double norm = Math.Sqrt(dW[0] * dW[0] + dW[1] * dW[1] + dB * dB);
            steps.Add(new FitStep(step, loss, norm));
            if (norm <= tolerance) break;
            w[0] -= learningRate * dW[0];
            w[1] -= learningRate * dW[1];
            b -= learningRate * dB;
        }
        return ([w[0], w[1], b], steps);
    }

    /// <summary>Solves the symmetric positive definite system A x = r by Cholesky (A = L Lᵀ).</summary>
    public static double[] Solve(double[,] a, double[] r)
    {
        int n = r.Length;
        var l = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = a[i, j];
                for (int k = 0; k < j; k++) s -= l[i, k] * l[j, k];
                if (i == j)
                {
                    if (s <= 0) throw new ArgumentException("the Hessian is not positive definite", nameof(a));
                    l[i, i] = Math.Sqrt(s);
                }
                else
                {
                    l[i, j] = s / l[j, j];
                }
            }
        }
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = r[i];
            for (int k = 0; k < i; k++) s -= l[i, k] * y[k];
            y[i] = s / l[i, i];
        }
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = y[i];
            for (int k = i + 1; k < n; k++) s -= l[k, i] * x[k];
            x[i] = s / l[i, i];
        }
        return x;
    }
}

using SymGrad;

namespace SymGrad.Benchmarks.Cases;

/// <summary>
/// Case (a): the seed notebook's 3-4-4-1 ReLU network and its micrograd loss, the sum of squared errors over the
/// four samples. The generator turns <see cref="Loss"/> into <c>LossGradient</c> and <c>LossTape</c>.
/// </summary>
public static partial class SeedNet
{
    public const int Samples = 4, In = 3, Hidden = 4;

    /// <summary>
    /// Sum over the samples of <c>(predict(x_s) - y_s)^2</c>, additions in the notebook's order (z starts at 0, the
    /// products are added, then the bias), so it reproduces the notebook's 3.165349361996877 to the last bit.
    /// </summary>
    [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.HessianVector)]
    public static double Loss(double[,] w1, double[] b1, double[,] w2, double[] b2, double[] wOut, double bOut,
                              [NoDerivative] double[,] x, [NoDerivative] double[] y)
    {
        // Declared once, outside the sample loop: a stackalloc in a loop grows the frame (CA2014).
        Span<double> h1 = stackalloc double[Hidden];
        Span<double> h2 = stackalloc double[Hidden];
        double loss = 0;
        for (int s = 0; s < Samples; s++)
        {
            for (int i = 0; i < Hidden; i++)
            {
                double z = 0;
                for (int j = 0; j < In; j++) z += w1[i, j] * x[s, j];
                z += b1[i];
                h1[i] = SymMath.Relu(z);
            }

            for (int i = 0; i < Hidden; i++)
            {
                double z = 0;
                for (int j = 0; j < Hidden; j++) z += w2[i, j] * h1[j];
                z += b2[i];
                h2[i] = SymMath.Relu(z);
            }

            double pred = 0;
            for (int j = 0; j < Hidden; j++) pred += wOut[j] * h2[j];
            pred += bOut;

            double err = pred - y[s];
            loss += err * err;
        }
        return loss;
    }
}

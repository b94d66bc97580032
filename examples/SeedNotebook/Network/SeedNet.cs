using SymGrad;

namespace SeedNotebook.Network;

/// <summary>
/// The notebook's 3-4-4-1 ReLU network and its loss, written as ordinary C#. SymGrad's generator adds
/// <c>PredictGradient</c>/<c>LossGradient</c> (straight-line reverse mode) and <c>PredictTape</c>/<c>LossTape</c>
/// (the same code on the Value engine) beside them at compile time.
/// </summary>
public static partial class SeedNet
{
    public const int In = 3, Hidden = 4, Samples = 4;

    /// <summary>The network's output for one input, summed in the notebook's order (z starts at 0, then w·x, then b).</summary>
    [Differentiable]
    public static double Predict(double[,] w1, double[] b1, double[,] w2, double[] b2, double[] wOut, double bOut,
                                 ReadOnlySpan<double> x)
    {
        Span<double> h1 = stackalloc double[Hidden];
        for (int i = 0; i < Hidden; i++)
        {
            double z = 0;
            for (int j = 0; j < In; j++) z += w1[i, j] * x[j];
            z += b1[i];
            h1[i] = SymMath.Relu(z);
        }
        Span<double> h2 = stackalloc double[Hidden];
        for (int i = 0; i < Hidden; i++)
        {
            double z = 0;
            for (int j = 0; j < Hidden; j++) z += w2[i, j] * h1[j];
            z += b2[i];
            h2[i] = SymMath.Relu(z);
        }
        double y = 0;
        for (int j = 0; j < Hidden; j++) y += wOut[j] * h2[j];
        y += bOut;
        return y;
    }

    /// <summary>
    /// The notebook's loss: the sum over its samples (the rows of <paramref name="xs"/>, four in the notebook) of the
    /// squared error. The loop over the rows runs as often as the data says, in the gradient too. It gets a gradient
    /// (reverse mode) and a directional derivative (forward mode, <c>LossJvp</c>).
    /// </summary>
    [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward)]
    public static double Loss(double[,] w1, double[] b1, double[,] w2, double[] b2, double[] wOut, double bOut,
                              double[,] xs, [NoDerivative] double[] targets)
    {
        double loss = 0;
        for (int s = 0; s < xs.GetLength(0); s++)
        {
            double[] x = [xs[s, 0], xs[s, 1], xs[s, 2]];
            double e = Predict(w1, b1, w2, b2, wOut, bOut, x) - targets[s];
            loss += e * e;
        }
        return loss;
    }
}

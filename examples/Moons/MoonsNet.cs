using SymGrad;

namespace Moons;

/// <summary>
/// micrograd's demo model, <c>MLP(2, [16, 16, 1])</c>, and its loss, as one <see cref="DifferentiableAttribute"/>
/// method. The generator adds <c>LossGradient</c> (the value, the gradient written into one adjoint per layer array)
/// and <c>LossTape</c> (the same body on the <see cref="Value"/> tape) beside it at compile time.
/// </summary>
public static partial class MoonsNet
{
    /// <summary>The L2 regularisation's weight (micrograd's <c>alpha</c>).</summary>
    public const double Alpha = 1e-4;

    /// <summary>
    /// micrograd's demo loss: the SVM max-margin loss <c>mean(relu(1 - y·score))</c> over the samples plus
    /// <c>1e-4 · Σ p²</c> over every parameter. Layer sizes come from the arrays (<paramref name="w1"/> is
    /// hidden1 × inputs, <paramref name="w2"/> hidden2 × hidden1, <paramref name="w3"/> one weight per hidden2 unit),
    /// samples from the rows of <paramref name="xs"/>: every loop runs as often as the data says. Each neuron's sum
    /// starts from its bias, as micrograd's <c>Neuron.__call__</c> does.
    /// </summary>
    [Differentiable]
    public static double Loss(double[,] w1, double[] b1, double[,] w2, double[] b2, double[] w3, double b3,
                              [NoDerivative] double[,] xs, [NoDerivative] double[] ys)
    {
        int n = xs.GetLength(0), inputs = xs.GetLength(1), hidden1 = b1.Length, hidden2 = b2.Length;
        double[] h1 = new double[hidden1];
        double[] h2 = new double[hidden2];
        double data = 0;
        for (int s = 0; s < n; s++)
        {
            for (int j = 0; j < hidden1; j++)
            {
                double z = b1[j];
                for (int k = 0; k < inputs; k++) z += w1[j, k] * xs[s, k];
                h1[j] = SymMath.Relu(z);
            }
            for (int j = 0; j < hidden2; j++)
            {
                double z = b2[j];
                for (int k = 0; k < hidden1; k++) z += w2[j, k] * h1[k];
                h2[j] = SymMath.Relu(z);
            }
            double score = b3;
            for (int k = 0; k < hidden2; k++) score += w3[k] * h2[k];
            data += SymMath.Relu(1.0 - ys[s] * score);
        }
        double reg = 0;
        for (int j = 0; j < hidden1; j++)
        {
            for (int k = 0; k < inputs; k++) reg += w1[j, k] * w1[j, k];
            reg += b1[j] * b1[j];
        }
        for (int j = 0; j < hidden2; j++)
        {
            for (int k = 0; k < hidden1; k++) reg += w2[j, k] * w2[j, k];
            reg += b2[j] * b2[j];
        }
        for (int k = 0; k < hidden2; k++) reg += w3[k] * w3[k];
        reg += b3 * b3;
        return data / n + Alpha * reg;
    }
}

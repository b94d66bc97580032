using SymGrad;

namespace FashionMnist;

/// <summary>
/// The classifier's loss, an MLP 784-128-10 (ReLU hidden layer, softmax cross-entropy), as one
/// <see cref="DifferentiableAttribute"/> method. The generator adds <c>LossGradient</c> beside it at compile time: the
/// same parameters, then <c>dW1, dB1, dW2, dB2</c>, which it overwrites with the gradient. The tape twin
/// <c>LossTape</c> runs the same body on <see cref="Value"/>s.
/// </summary>
public static partial class FashionNet
{
    /// <summary>
    /// The mean softmax cross-entropy over the images <paramref name="batch"/> names (indices of rows of
    /// <paramref name="images"/> and of <paramref name="labels"/>). Every size is read at run time: the batch from the
    /// span, the pixels from the images' columns, the layers from the biases. The logits have their maximum subtracted
    /// before the exponentials (log Σ exp(z - max) + max - z_label), so no exponential overflows. A mini-batch split
    /// into chunks is one call per chunk over a slice of the same index array: the chunk's mean, weighted by its share.
    /// </summary>
    [Differentiable]
    public static double Loss(double[,] w1, double[] b1, double[,] w2, double[] b2,
                              [NoDerivative] double[,] images, int[] labels, ReadOnlySpan<int> batch)
    {
        int n = batch.Length, inputs = images.GetLength(1), hidden = b1.Length, classes = b2.Length;
        // Declared once, outside the sample loop: a stackalloc in a loop grows the frame (CA2014).
        Span<double> h = stackalloc double[hidden];
        Span<double> logits = stackalloc double[classes];
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            int s = batch[i];
            for (int j = 0; j < hidden; j++)
            {
                double z = b1[j];
                for (int k = 0; k < inputs; k++) z += w1[j, k] * images[s, k];
                h[j] = SymMath.Relu(z);
            }

            double max = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                double z = b2[c];
                for (int j = 0; j < hidden; j++) z += w2[c, j] * h[j];
                logits[c] = z;
                max = Math.Max(max, z);
            }

            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.Exp(logits[c] - max);
            loss += Math.Log(sum) + max - logits[labels[s]];
        }
        return loss / n;
    }
}

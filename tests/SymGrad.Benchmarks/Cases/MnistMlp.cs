using SymGrad;

namespace SymGrad.Benchmarks.Cases;

/// <summary>
/// Case (f): an MNIST-shaped classifier, 784-128-10 with a ReLU hidden layer and softmax cross-entropy (max
/// subtracted for stability), mean over a batch whose size, like every other size, is read from the arrays at
/// run time: the generator keeps these loops as loops (unrolled, one sample would be ~100,000 multiply-adds).
/// Labels are class indices stored as doubles (<c>int[]</c> parameters are not supported yet).
/// This file is also embedded in the program and fed to the generator by <c>GeneratorRunner</c>.
/// </summary>
public static partial class MnistMlp
{
    public const int Inputs = 784, Hidden = 128, Classes = 10, Batch = 64;

    [Differentiable]
    public static double Loss(double[,] w1, double[] b1, double[,] w2, double[] b2,
                              [NoDerivative] double[,] x, [NoDerivative] double[] labels)
    {
        int batch = x.GetLength(0), inputs = x.GetLength(1), hidden = b1.Length, classes = b2.Length;
        // Declared once, outside the sample loop: a stackalloc in a loop grows the frame (CA2014).
        Span<double> h = stackalloc double[hidden];
        Span<double> logits = stackalloc double[classes];
        double loss = 0;
        for (int s = 0; s < batch; s++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double z = b1[j];
                for (int k = 0; k < inputs; k++) z += w1[j, k] * x[s, k];
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
            loss += Math.Log(sum) + max - logits[(int)labels[s]];
        }
        return loss / batch;
    }
}

using SymGrad;

namespace SymGrad.Benchmarks.Cases;

/// <summary>
/// Case (b): a wider 16-32-32-1 ReLU network, sum of squared errors over a batch of 32, all sizes constant.
/// Unrolled, its gradient is about 50,000 multiply-adds forward and twice that backward: the stress test for
/// the generator's output size, its own running time, and the JIT's handling of one very long method.
/// This file is also embedded in the program and fed to the generator by <c>GeneratorCostBenchmarks</c>.
/// </summary>
public static partial class WideNet
{
    public const int Batch = 32, In = 16, Hidden = 32;

    [Differentiable]
    public static double Loss(double[,] w1, double[] b1, double[,] w2, double[] b2, double[] wOut, double bOut,
                              [NoDerivative] double[,] x, [NoDerivative] double[] y)
    {
        // Declared once, outside the sample loop: a stackalloc in a loop grows the frame (CA2014).
        Span<double> h1 = stackalloc double[Hidden];
        Span<double> h2 = stackalloc double[Hidden];
        double loss = 0;
        for (int s = 0; s < Batch; s++)
        {
            for (int i = 0; i < Hidden; i++)
            {
                double z = b1[i];
                for (int j = 0; j < In; j++) z += w1[i, j] * x[s, j];
                h1[i] = SymMath.Relu(z);
            }

            for (int i = 0; i < Hidden; i++)
            {
                double z = b2[i];
                for (int j = 0; j < Hidden; j++) z += w2[i, j] * h1[j];
                h2[i] = SymMath.Relu(z);
            }

            double pred = bOut;
            for (int j = 0; j < Hidden; j++) pred += wOut[j] * h2[j];

            double err = pred - y[s];
            loss += err * err;
        }
        return loss;
    }
}

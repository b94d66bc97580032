namespace SymGrad.Benchmarks.Baselines;

/// <summary>
/// The careful hand-written backward pass for the in-hidden-hidden-1 ReLU networks of cases (a) and (b): the
/// notebook's manual numpy cell (delta3, dW3 = A2^T delta3, delta2 = delta3 W3^T * relu'(Z2), ...) as straight loops
/// over one sample at a time, activations in <c>stackalloc</c> buffers, no allocation, dead ReLU units skipped.
/// Same contract as a generated <c>LossGradient</c>: returns the loss and overwrites the gradient buffers.
/// </summary>
internal static class MlpHandWritten
{
    public static double LossGradient(double[,] w1, double[] b1, double[,] w2, double[] b2, double[] wOut, double bOut,
                                      double[,] x, double[] y,
                                      double[,] dW1, Span<double> dB1, double[,] dW2, Span<double> dB2,
                                      Span<double> dWOut, ref double dBOut)
    {
        int nIn = w1.GetLength(1), n1 = w1.GetLength(0), n2 = w2.GetLength(0), batch = y.Length;
        if (dW1.GetLength(0) != n1 || dW1.GetLength(1) != nIn) throw new ArgumentException("shape differs from w1", nameof(dW1));
        if (dW2.GetLength(0) != n2 || dW2.GetLength(1) != n1) throw new ArgumentException("shape differs from w2", nameof(dW2));
        if (dB1.Length < n1) throw new ArgumentException("too short", nameof(dB1));
        if (dB2.Length < n2) throw new ArgumentException("too short", nameof(dB2));
        if (dWOut.Length < n2) throw new ArgumentException("too short", nameof(dWOut));

        ReadOnlySpan<double> fw1 = Flat.Of(w1), fw2 = Flat.Of(w2), fx = Flat.Of(x);
        Span<double> gw1 = Flat.Of(dW1), gw2 = Flat.Of(dW2);
        Flat.Zero(gw1); Flat.Zero(gw2); Flat.Zero(dB1[..n1]); Flat.Zero(dB2[..n2]); Flat.Zero(dWOut[..n2]);
        double gbOut = 0, loss = 0;

        Span<double> z1 = stackalloc double[n1];
        Span<double> h1 = stackalloc double[n1];
        Span<double> z2 = stackalloc double[n2];
        Span<double> h2 = stackalloc double[n2];
        Span<double> g2 = stackalloc double[n2];
        Span<double> g1 = stackalloc double[n1];

        for (int s = 0; s < batch; s++)
        {
            ReadOnlySpan<double> xs = fx.Slice(s * nIn, nIn);

            // Forward, keeping pre-activations for relu'.
            for (int i = 0; i < n1; i++)
            {
                ReadOnlySpan<double> row = fw1.Slice(i * nIn, nIn);
                double z = b1[i];
                for (int j = 0; j < row.Length; j++) z += row[j] * xs[j];
                z1[i] = z;
                h1[i] = z > 0 ? z : 0;
            }
            for (int i = 0; i < n2; i++)
            {
                ReadOnlySpan<double> row = fw2.Slice(i * n1, n1);
                double z = b2[i];
                for (int j = 0; j < row.Length; j++) z += row[j] * h1[j];
                z2[i] = z;
                h2[i] = z > 0 ? z : 0;
            }
            double pred = bOut;
            for (int j = 0; j < n2; j++) pred += wOut[j] * h2[j];
            double err = pred - y[s];
            loss += err * err;

            // Backward: d loss / d pred = 2 err.
            double g = 2 * err;
            gbOut += g;
            for (int j = 0; j < n2; j++)
            {
                dWOut[j] += g * h2[j];
                g2[j] = z2[j] > 0 ? g * wOut[j] : 0;
            }
            Flat.Zero(g1);
            for (int i = 0; i < n2; i++)
            {
                double gi = g2[i];
                if (gi == 0) continue; // a dead unit contributes nothing
                dB2[i] += gi;
                Span<double> grow = gw2.Slice(i * n1, n1);
                ReadOnlySpan<double> row = fw2.Slice(i * n1, n1);
                for (int j = 0; j < grow.Length; j++)
                {
                    grow[j] += gi * h1[j];
                    g1[j] += gi * row[j];
                }
            }
            for (int i = 0; i < n1; i++)
            {
                if (z1[i] <= 0) continue;
                double gi = g1[i];
                dB1[i] += gi;
                Span<double> grow = gw1.Slice(i * nIn, nIn);
                for (int j = 0; j < grow.Length; j++) grow[j] += gi * xs[j];
            }
        }
        dBOut = gbOut;
        return loss;
    }
}

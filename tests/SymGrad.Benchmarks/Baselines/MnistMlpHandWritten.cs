using System.Buffers;
using System.Numerics;

namespace SymGrad.Benchmarks.Baselines;

/// <summary>
/// The careful hand-written primal and backward pass of case (f), the in-hidden-classes ReLU classifier with
/// softmax cross-entropy averaged over the batch: plain scalar loops, one sample at a time, over row-major spans of
/// the 2-D arrays (<see cref="Flat"/>: no 2-D bounds checks), activations in one scratch block (stack for the sizes
/// benchmarked, the shared array pool beyond), no allocation, dead ReLU units skipped in the backward pass.
/// Dot products are summed in the order of <c>MnistMlp.Loss</c>, so the value agrees with the primal to the bit.
/// Same contract as a generated <c>LossGradient</c>: returns the loss and overwrites the gradient buffers.
/// Written once for <c>double</c> and <c>float</c> (generic math, which the JIT specialises for each: the same
/// machine code as a copy per type).
/// </summary>
internal static class MnistMlpHandWritten<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Scratch blocks up to this many elements live on the stack, larger ones come from the pool.</summary>
    private const int StackLimit = 2048;

    public static T Loss(T[,] w1, T[] b1, T[,] w2, T[] b2, T[,] x, T[] labels)
    {
        var (batch, nIn, n1, nc) = Shapes(w1, b1, w2, b2, x, labels);
        ReadOnlySpan<T> fw1 = Flat.Of(w1), fw2 = Flat.Of(w2), fx = Flat.Of(x);

        int need = n1 + 2 * nc;
        T[]? rented = null;
        Span<T> scratch = need <= StackLimit ? stackalloc T[need] : (rented = ArrayPool<T>.Shared.Rent(need));
        try
        {
            Span<T> h = scratch[..n1], logits = scratch.Slice(n1, nc), exps = scratch.Slice(n1 + nc, nc);
            T loss = T.Zero;
            for (int s = 0; s < batch; s++)
            {
                ReadOnlySpan<T> xs = fx.Slice(s * nIn, nIn);
                Hidden(fw1, b1, xs, h, h);
                loss += CrossEntropy(fw2, b2, h, logits, exps, int.CreateTruncating(labels[s]), out _);
            }
            return loss / T.CreateTruncating(batch);
        }
        finally
        {
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }
    }

    public static T LossGradient(T[,] w1, T[] b1, T[,] w2, T[] b2, T[,] x, T[] labels,
                                      T[,] dW1, Span<T> dB1, T[,] dW2, Span<T> dB2)
    {
        var (batch, nIn, n1, nc) = Shapes(w1, b1, w2, b2, x, labels);
        if (dW1.GetLength(0) != n1 || dW1.GetLength(1) != nIn) throw new ArgumentException("shape differs from w1", nameof(dW1));
        if (dW2.GetLength(0) != nc || dW2.GetLength(1) != n1) throw new ArgumentException("shape differs from w2", nameof(dW2));
        if (dB1.Length != n1) throw new ArgumentException("length differs from b1", nameof(dB1));
        if (dB2.Length != nc) throw new ArgumentException("length differs from b2", nameof(dB2));

        ReadOnlySpan<T> fw1 = Flat.Of(w1), fw2 = Flat.Of(w2), fx = Flat.Of(x);
        Span<T> gw1 = Flat.Of(dW1), gw2 = Flat.Of(dW2);
        Flat.Zero(gw1); Flat.Zero(gw2); Flat.Zero(dB1); Flat.Zero(dB2);

        int need = 3 * n1 + 2 * nc;
        T[]? rented = null;
        Span<T> scratch = need <= StackLimit ? stackalloc T[need] : (rented = ArrayPool<T>.Shared.Rent(need));
        try
        {
            Span<T> z1 = scratch[..n1], h = scratch.Slice(n1, n1), gh = scratch.Slice(2 * n1, n1);
            Span<T> logits = scratch.Slice(3 * n1, nc);
            Span<T> g = scratch.Slice(3 * n1 + nc, nc); // exp(logit - max), then d (loss / batch) / d logit
            T loss = T.Zero, invBatch = T.One / T.CreateTruncating(batch);
            for (int s = 0; s < batch; s++)
            {
                ReadOnlySpan<T> xs = fx.Slice(s * nIn, nIn);

                // Forward, keeping the pre-activations for relu'.
                Hidden(fw1, b1, xs, z1, h);
                int label = int.CreateTruncating(labels[s]);
                loss += CrossEntropy(fw2, b2, h, logits, g, label, out T sum);

                // d (loss / batch) / d logit_c = (softmax_c - [c = label]) / batch.
                T scale = invBatch / sum;
                for (int c = 0; c < g.Length; c++) g[c] *= scale;
                g[label] -= invBatch;

                // Output layer: dW2 += g h^T, dB2 += g, gh = W2^T g.
                Flat.Zero(gh);
                for (int c = 0; c < nc; c++)
                {
                    T gc = g[c];
                    dB2[c] += gc;
                    Span<T> grow = gw2.Slice(c * n1, n1);
                    ReadOnlySpan<T> row = fw2.Slice(c * n1, n1);
                    for (int j = 0; j < grow.Length; j++)
                    {
                        grow[j] += gc * h[j];
                        gh[j] += gc * row[j];
                    }
                }

                // Hidden layer through relu': dW1 += gz x^T, dB1 += gz, for the live units only.
                for (int j = 0; j < n1; j++)
                {
                    if (z1[j] <= T.Zero) continue; // a dead unit contributes nothing
                    T gj = gh[j];
                    dB1[j] += gj;
                    Span<T> grow = gw1.Slice(j * nIn, nIn);
                    for (int k = 0; k < grow.Length; k++) grow[k] += gj * xs[k];
                }
            }
            return loss / T.CreateTruncating(batch);
        }
        finally
        {
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>z = W1 xs + b1 into <paramref name="z"/>, relu(z) into <paramref name="h"/> (which may be <paramref name="z"/>).</summary>
    private static void Hidden(ReadOnlySpan<T> fw1, T[] b1, ReadOnlySpan<T> xs, Span<T> z, Span<T> h)
    {
        int nIn = xs.Length;
        for (int j = 0; j < z.Length; j++)
        {
            ReadOnlySpan<T> row = fw1.Slice(j * nIn, nIn);
            T acc = b1[j];
            for (int k = 0; k < row.Length; k++) acc += row[k] * xs[k];
            z[j] = acc;
            h[j] = acc > T.Zero ? acc : T.Zero;
        }
    }

    /// <summary>
    /// The logits W2 h + b2, <c>exp(logit - max)</c> into <paramref name="exps"/> and their sum, and the sample's loss
    /// <c>log sum exp(logits) - logits[label]</c> with the maximum subtracted.
    /// </summary>
    private static T CrossEntropy(ReadOnlySpan<T> fw2, T[] b2, ReadOnlySpan<T> h, Span<T> logits,
                                       Span<T> exps, int label, out T sum)
    {
        int n1 = h.Length;
        T max = T.NegativeInfinity;
        for (int c = 0; c < logits.Length; c++)
        {
            ReadOnlySpan<T> row = fw2.Slice(c * n1, n1);
            T acc = b2[c];
            for (int j = 0; j < row.Length; j++) acc += row[j] * h[j];
            logits[c] = acc;
            max = T.Max(max, acc);
        }
        sum = T.Zero;
        for (int c = 0; c < logits.Length; c++) sum += exps[c] = T.Exp(logits[c] - max);
        return T.Log(sum) + max - logits[label];
    }

    private static (int Batch, int In, int Hidden, int Classes) Shapes(T[,] w1, T[] b1, T[,] w2, T[] b2,
                                                                       T[,] x, T[] labels)
    {
        int batch = x.GetLength(0), nIn = x.GetLength(1), n1 = b1.Length, nc = b2.Length;
        if (w1.GetLength(0) != n1 || w1.GetLength(1) != nIn) throw new ArgumentException("w1 must be hidden x inputs", nameof(w1));
        if (w2.GetLength(0) != nc || w2.GetLength(1) != n1) throw new ArgumentException("w2 must be classes x hidden", nameof(w2));
        if (labels.Length < batch) throw new ArgumentException("one label per sample", nameof(labels));
        return (batch, nIn, n1, nc);
    }
}

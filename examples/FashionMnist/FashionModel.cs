using System.Numerics;
using System.Runtime.InteropServices;

namespace FashionMnist;

/// <summary>
/// The MLP's parameters: <see cref="W1"/> hidden × inputs and <see cref="B1"/>, <see cref="W2"/> classes × hidden and
/// <see cref="B2"/>. The same shape holds a gradient, or Adam's moments. <see cref="Logits"/> and
/// <see cref="Predict"/> are the forward pass in plain C# (the loss's first half) for accuracy and the pictures.
/// </summary>
public sealed class FashionModel
{
    public const int Inputs = 784, Hidden = 128, Classes = 10;

    public FashionModel(int inputs = Inputs, int hidden = Hidden, int classes = Classes)
    {
        W1 = new double[hidden, inputs];
        B1 = new double[hidden];
        W2 = new double[classes, hidden];
        B2 = new double[classes];
    }

    public double[,] W1 { get; }
    public double[] B1 { get; }
    public double[,] W2 { get; }
    public double[] B2 { get; }

    public int InputCount => W1.GetLength(1);
    public int HiddenCount => B1.Length;
    public int ClassCount => B2.Length;
    public int ParameterCount => W1.Length + B1.Length + W2.Length + B2.Length;

    /// <summary>
    /// He initialisation for the ReLU layer, weights N(0, 2 / inputs); the output layer N(0, 1 / hidden); biases 0.
    /// Drawn from SplitMix64 with Box-Muller, W1 row by row then W2, so the same seed gives the same weights everywhere.
    /// </summary>
    public static FashionModel He(ulong seed, int inputs = Inputs, int hidden = Hidden, int classes = Classes)
    {
        var model = new FashionModel(inputs, hidden, classes);
        var rng = new SplitMix64(seed);
        double s1 = Math.Sqrt(2.0 / inputs), s2 = Math.Sqrt(1.0 / hidden);
        for (int j = 0; j < hidden; j++)
        {
            for (int k = 0; k < inputs; k++) model.W1[j, k] = rng.Normal(s1);
        }
        for (int c = 0; c < classes; c++)
        {
            for (int j = 0; j < hidden; j++) model.W2[c, j] = rng.Normal(s2);
        }
        return model;
    }

    public FashionModel Clone()
    {
        var copy = new FashionModel(InputCount, HiddenCount, ClassCount);
        CopyTo(copy);
        return copy;
    }

    public void CopyTo(FashionModel target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Array.Copy(W1, target.W1, W1.Length);
        Array.Copy(B1, target.B1, B1.Length);
        Array.Copy(W2, target.W2, W2.Length);
        Array.Copy(B2, target.B2, B2.Length);
    }

    /// <summary>The four arrays as flat spans, in the loss's order (a <c>double[,]</c> is one block, row by row).</summary>
    public Span<double> Part(int i) => i switch
    {
        0 => MemoryMarshal.CreateSpan(ref W1[0, 0], W1.Length),
        1 => B1,
        2 => MemoryMarshal.CreateSpan(ref W2[0, 0], W2.Length),
        3 => B2,
        _ => throw new ArgumentOutOfRangeException(nameof(i)),
    };

    public const int Parts = 4;

    /// <summary>
    /// The ten logits of row <paramref name="s"/> of <paramref name="images"/> into <paramref name="logits"/>: the same
    /// sums as the loss's, on rows taken as spans with SIMD dot products (evaluation only: no gradient flows here).
    /// </summary>
    public void Logits(double[,] images, int s, Span<double> logits)
    {
        ArgumentNullException.ThrowIfNull(images);
        int inputs = InputCount, hidden = HiddenCount;
        if (images.GetLength(1) != inputs) throw new ArgumentException($"images have {images.GetLength(1)} pixels, the model {inputs} inputs", nameof(images));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)s, (uint)images.GetLength(0), nameof(s));
        ReadOnlySpan<double> x = MemoryMarshal.CreateReadOnlySpan(ref images[s, 0], inputs);
        Span<double> h = stackalloc double[hidden];
        for (int j = 0; j < hidden; j++) h[j] = Math.Max(0, B1[j] + Dot(MemoryMarshal.CreateReadOnlySpan(ref W1[j, 0], inputs), x));
        for (int c = 0; c < ClassCount; c++) logits[c] = B2[c] + Dot(MemoryMarshal.CreateReadOnlySpan(ref W2[c, 0], hidden), h);
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length, i = 0;
        var acc = Vector<double>.Zero;
        for (; i + Vector<double>.Count <= n; i += Vector<double>.Count)
            acc += new Vector<double>(a.Slice(i, Vector<double>.Count)) * new Vector<double>(b.Slice(i, Vector<double>.Count));
        double sum = Vector.Sum(acc);
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>The class of the largest logit of row <paramref name="s"/> (the first on a tie).</summary>
    public int Predict(double[,] images, int s)
    {
        Span<double> logits = stackalloc double[ClassCount];
        Logits(images, s, logits);
        int best = 0;
        for (int c = 1; c < logits.Length; c++)
        {
            if (logits[c] > logits[best]) best = c;
        }
        return best;
    }

    /// <summary>The predicted class of each of the first <paramref name="count"/> rows (all by default), in parallel.</summary>
    public int[] PredictAll(double[,] images, int count = -1)
    {
        ArgumentNullException.ThrowIfNull(images);
        int n = count < 0 ? images.GetLength(0) : count;
        var predictions = new int[n];
        Parallel.For(0, n, s => predictions[s] = Predict(images, s));
        return predictions;
    }
}

namespace FashionMnist;

/// <summary>
/// The mini-batch gradient of <see cref="FashionNet.Loss"/> computed over the cores: the batch's indices are cut into
/// <see cref="Chunks"/> consecutive slices, <c>Parallel.For</c> runs the generated <c>FashionNet.LossGradient</c> on each
/// into that chunk's own adjoint arrays (made once, reused every step; the generated code keeps its tape and local
/// arrays per thread, so the calls do not share anything writable), and the chunks' means are summed, each weighted by
/// its share of the batch: Σ (n_c / n) ∇L_c = ∇ of the batch's mean.
/// </summary>
public sealed class ParallelGradient
{
    private readonly FashionModel[] _chunkGradients;
    private readonly double[] _chunkLosses;

    public ParallelGradient(FashionModel shape, int chunks)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunks, 1);
        _chunkGradients = new FashionModel[chunks];
        for (int c = 0; c < chunks; c++) _chunkGradients[c] = new FashionModel(shape.InputCount, shape.HiddenCount, shape.ClassCount);
        _chunkLosses = new double[chunks];
    }

    public int Chunks => _chunkGradients.Length;

    /// <summary>
    /// The mean loss over the images <c>indices[offset .. offset + count)</c>, its gradient written into
    /// <paramref name="gradient"/>. With one chunk (or a batch of one image) it is a single call on this thread.
    /// </summary>
    public double Compute(FashionModel model, double[,] images, int[] labels, int[] indices, int offset, int count, FashionModel gradient)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int chunks = Math.Min(Chunks, count);
        if (chunks == 1) return Sequential(model, images, labels, indices.AsSpan(offset, count), gradient);

        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
        {
            (int from, int length) = Slice(offset, count, chunks, c);
            _chunkLosses[c] = Sequential(model, images, labels, indices.AsSpan(from, length), _chunkGradients[c]);
        });

        double loss = 0;
        for (int c = 0; c < chunks; c++)
        {
            double weight = (double)Slice(offset, count, chunks, c).Length / count;
            loss += weight * _chunkLosses[c];
            for (int p = 0; p < FashionModel.Parts; p++)
            {
                Span<double> into = gradient.Part(p), from = _chunkGradients[c].Part(p);
                if (c == 0)
                {
                    for (int i = 0; i < into.Length; i++) into[i] = weight * from[i];
                }
                else
                {
                    for (int i = 0; i < into.Length; i++) into[i] += weight * from[i];
                }
            }
        }
        return loss;
    }

    /// <summary>One call of the generated gradient over <paramref name="batch"/>, on the calling thread.</summary>
    public static double Sequential(FashionModel model, double[,] images, int[] labels, ReadOnlySpan<int> batch, FashionModel gradient)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(gradient);
        return FashionNet.LossGradient(model.W1, model.B1, model.W2, model.B2, images, labels, batch,
                                       gradient.W1, gradient.B1, gradient.W2, gradient.B2);
    }

    /// <summary>Chunk <paramref name="c"/> of <paramref name="chunks"/> near-equal consecutive slices of the range.</summary>
    public static (int From, int Length) Slice(int offset, int count, int chunks, int c)
    {
        int start = (int)((long)count * c / chunks), end = (int)((long)count * (c + 1) / chunks);
        return (offset + start, end - start);
    }
}

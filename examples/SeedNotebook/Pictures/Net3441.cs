namespace SeedNotebook.Pictures;

/// <summary>
/// The notebook's 3-4-4-1 ReLU network over ONE flat parameter vector, so that a training step, a frame of the
/// animation and a gradient function all speak the same layout:
/// W1 (4x3, row-major) | b1 (4) | W2 (4x4) | b2 (4) | W_out (4) | b_out — 41 numbers.
/// </summary>
public static class Net3441
{
    public static readonly int[] Layers = [3, 4, 4, 1];

    public const int W1Offset = 0, B1Offset = 12, W2Offset = 16, B2Offset = 32, WOutOffset = 36, BOutOffset = 40;
    public const int ParameterCount = 41;

    /// <summary>The notebook's manual weights packed in the layout above.</summary>
    public static double[] ManualParameters()
    {
        var p = new double[ParameterCount];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 3; j++) p[W1Offset + 3 * i + j] = NotebookNumbers.W1[i, j];
            for (int j = 0; j < 4; j++) p[W2Offset + 4 * i + j] = NotebookNumbers.W2[i, j];
            p[B1Offset + i] = NotebookNumbers.B1[i];
            p[B2Offset + i] = NotebookNumbers.B2[i];
            p[WOutOffset + i] = NotebookNumbers.WOut[i];
        }
        p[BOutOffset] = NotebookNumbers.BOut;
        return p;
    }

    /// <summary>
    /// A random initialisation like the notebook's comparison cell (every weight and bias ~ N(0, 1), as
    /// np.random.randn), but seeded so the picture is reproducible.
    /// </summary>
    public static double[] RandomParameters(int seed)
    {
        var rng = new Random(seed);
        var p = new double[ParameterCount];
        for (int i = 0; i < p.Length; i++)
        {
            // Box-Muller: 1 - NextDouble() is in (0, 1], so the log is finite.
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            p[i] = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
        return p;
    }

    /// <summary>Sample <paramref name="row"/> of the notebook's inputs X_s.</summary>
    public static double[] Input(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, NotebookNumbers.X.GetLength(0));
        return [NotebookNumbers.X[row, 0], NotebookNumbers.X[row, 1], NotebookNumbers.X[row, 2]];
    }

    public static int SampleCount => NotebookNumbers.X.GetLength(0);

    public static double Target(int row) => NotebookNumbers.Targets[row];

    /// <summary>
    /// Every node's value, layer by layer: the input itself, relu(W1 x + b1), relu(W2 h1 + b2), W_out h2 + b_out.
    /// </summary>
    public static double[][] Activations(ReadOnlySpan<double> p, ReadOnlySpan<double> x)
    {
        if (p.Length != ParameterCount)
            throw new ArgumentException($"expected {ParameterCount} parameters, got {p.Length}", nameof(p));
        if (x.Length != 3) throw new ArgumentException($"expected 3 inputs, got {x.Length}", nameof(x));
        var h1 = new double[4];
        var h2 = new double[4];
        for (int i = 0; i < 4; i++)
        {
            double z = p[B1Offset + i];
            for (int j = 0; j < 3; j++) z += p[W1Offset + 3 * i + j] * x[j];
            h1[i] = Math.Max(0.0, z);
        }
        for (int i = 0; i < 4; i++)
        {
            double z = p[B2Offset + i];
            for (int j = 0; j < 4; j++) z += p[W2Offset + 4 * i + j] * h1[j];
            h2[i] = Math.Max(0.0, z);
        }
        double y = p[BOutOffset];
        for (int j = 0; j < 4; j++) y += p[WOutOffset + j] * h2[j];
        return [x.ToArray(), h1, h2, [y]];
    }

    public static double Predict(ReadOnlySpan<double> p, ReadOnlySpan<double> x) => Activations(p, x)[3][0];

    /// <summary>Weight of the edge from node <paramref name="from"/> of layer <paramref name="layer"/> to node
    /// <paramref name="to"/> of the next layer.</summary>
    public static double EdgeWeight(ReadOnlySpan<double> p, int layer, int from, int to) => layer switch
    {
        0 => p[W1Offset + 3 * to + from],
        1 => p[W2Offset + 4 * to + from],
        2 => p[WOutOffset + from],
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, "edges leave layers 0, 1 and 2 only"),
    };
}

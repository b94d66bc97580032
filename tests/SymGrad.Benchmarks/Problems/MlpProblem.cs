using SymGrad.Benchmarks.Cases;

namespace SymGrad.Benchmarks.Problems;

/// <summary>
/// Parameters, data and gradient buffers of an in-hidden-hidden-1 network, shared by every implementation that
/// is benchmarked or verified on it (cases a and b).
/// </summary>
public sealed class MlpProblem
{
    public required string Name { get; init; }
    public required double[,] W1 { get; init; }
    public required double[] B1 { get; init; }
    public required double[,] W2 { get; init; }
    public required double[] B2 { get; init; }
    public required double[] WOut { get; init; }
    public double BOut;
    public required double[,] X { get; init; }
    public required double[] Y { get; init; }

    /// <summary>The primal (the case's <c>[Differentiable] Loss</c> called directly), for finite differences.</summary>
    public required Func<MlpProblem, double> Primal { get; init; }

    public double Loss() => Primal(this);

    /// <summary>A fresh set of gradient buffers shaped like the parameters.</summary>
    public MlpGradient NewGradient() => new(
        new double[W1.GetLength(0), W1.GetLength(1)], new double[B1.Length],
        new double[W2.GetLength(0), W2.GetLength(1)], new double[B2.Length], new double[WOut.Length]);

    /// <summary>The seed notebook's hand-set weights, its four inputs <c>X_s</c> and targets <c>y_s</c>.</summary>
    public static MlpProblem Seed() => new()
    {
        Name = "seed 3-4-4-1",
        W1 = new[,] { { -0.7731, 0.1601, 0.4321 }, { -0.0346, -0.2008, 0.3647 },
                      { -0.7577, 0.4841, -0.0354 }, { 0.1601, -0.2008, 0.4841 } },
        B1 = [-0.0132, 0.7161, -0.4399, 0.5371],
        W2 = new[,] { { -0.4812, -0.3530, -0.4004, -0.0734 }, { 0.7681, -0.3188, 0.5793, 0.9179 },
                      { 0.1169, -0.2848, -0.4631, 0.1716 }, { 0.8809, 0.6788, 0.2416, 0.3609 } },
        B2 = [0.1427, -0.7043, -0.8546, 0.4936],
        WOut = [-0.2537, -0.5915, -0.0293, -0.3593],
        BOut = 0.3446,
        X = new[,] { { 2.5, 3.0, -2.5 }, { 4.0, -1.0, 0.5 }, { 0.5, 1.5, 1.0 }, { 3.0, 2.0, -2.0 } },
        Y = [1.0, -1.0, 1.0, 1.0],
        Primal = p => SeedNet.Loss(p.W1, p.B1, p.W2, p.B2, p.WOut, p.BOut, p.X, p.Y),
    };

    /// <summary>
    /// The 16-32-32-1 network with He-scaled uniform weights and a batch of 32 random inputs and targets, from a
    /// fixed seed so every run measures the same ReLU pattern.
    /// </summary>
    public static MlpProblem Wide(int seed = 20261126)
    {
        var rng = new Random(seed);
        double U(double scale) => (2 * rng.NextDouble() - 1) * scale;
        double[,] M(int r, int c, double scale)
        {
            var m = new double[r, c];
            for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) m[i, j] = U(scale);
            return m;
        }
        double[] V(int n, double scale)
        {
            var v = new double[n];
            for (int i = 0; i < n; i++) v[i] = U(scale);
            return v;
        }
        const int n = WideNet.Hidden, nIn = WideNet.In, batch = WideNet.Batch;
        return new MlpProblem
        {
            Name = "wide 16-32-32-1 x32",
            W1 = M(n, nIn, Math.Sqrt(6.0 / nIn)), B1 = V(n, 0.1),
            W2 = M(n, n, Math.Sqrt(6.0 / n)), B2 = V(n, 0.1),
            WOut = V(n, Math.Sqrt(6.0 / n)), BOut = U(0.1),
            X = M(batch, nIn, 1.0), Y = V(batch, 1.0),
            Primal = p => WideNet.Loss(p.W1, p.B1, p.W2, p.B2, p.WOut, p.BOut, p.X, p.Y),
        };
    }
}

/// <summary>Gradient buffers of an <see cref="MlpProblem"/>, in parameter order.</summary>
public sealed class MlpGradient(double[,] dW1, double[] dB1, double[,] dW2, double[] dB2, double[] dWOut)
{
    public double[,] DW1 { get; } = dW1;
    public double[] DB1 { get; } = dB1;
    public double[,] DW2 { get; } = dW2;
    public double[] DB2 { get; } = dB2;
    public double[] DWOut { get; } = dWOut;
    public double DBOut;

    /// <summary>All entries in parameter order, for comparisons.</summary>
    public double[] ToVector() =>
        [.. DW1.Cast<double>(), .. DB1, .. DW2.Cast<double>(), .. DB2, .. DWOut, DBOut];
}

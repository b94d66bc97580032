using SymGrad.Benchmarks.Cases;

namespace SymGrad.Benchmarks.Problems;

/// <summary>
/// Parameters, a batch and gradient buffers of the 784-128-10 classifier (case f), shared by every implementation
/// benchmarked or verified on it. The images are synthetic, MNIST-shaped: 28 x 28 pixels in [0, 1], about a fifth
/// of them lit (no data set is downloaded); labels are class indices stored as doubles. Fixed seed, so every run
/// measures the same ReLU pattern.
/// </summary>
public sealed class MnistProblem
{
    public required double[,] W1 { get; init; }
    public required double[] B1 { get; init; }
    public required double[,] W2 { get; init; }
    public required double[] B2 { get; init; }
    public required double[,] X { get; init; }
    public required double[] Labels { get; init; }

    public double[,] DW1 { get; private init; } = null!;
    public double[] DB1 { get; private init; } = null!;
    public double[,] DW2 { get; private init; } = null!;
    public double[] DB2 { get; private init; } = null!;

    public string Name => $"mnist {X.GetLength(1)}-{B1.Length}-{B2.Length} x{X.GetLength(0)}";

    /// <summary>The case's <c>[Differentiable] Loss</c>, called directly.</summary>
    public double Loss() => MnistMlp.Loss(W1, B1, W2, B2, X, Labels);

    /// <summary>The gradient buffers in parameter order, for comparisons.</summary>
    public double[] GradientVector() => [.. DW1.Cast<double>(), .. DB1, .. DW2.Cast<double>(), .. DB2];

    public static MnistProblem Create(int batch = MnistMlp.Batch, int inputs = MnistMlp.Inputs, int hidden = MnistMlp.Hidden,
                                      int classes = MnistMlp.Classes, int seed = 20261202)
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

        var x = new double[batch, inputs];
        for (int s = 0; s < batch; s++)
            for (int k = 0; k < inputs; k++)
                x[s, k] = rng.NextDouble() < 0.2 ? 1 - rng.NextDouble() : 0; // (0, 1] where lit
        var labels = new double[batch];
        for (int s = 0; s < batch; s++) labels[s] = rng.Next(classes);

        return new MnistProblem
        {
            W1 = M(hidden, inputs, Math.Sqrt(6.0 / inputs)), B1 = V(hidden, 0.1),
            W2 = M(classes, hidden, Math.Sqrt(6.0 / hidden)), B2 = V(classes, 0.1),
            X = x, Labels = labels,
            DW1 = new double[hidden, inputs], DB1 = new double[hidden],
            DW2 = new double[classes, hidden], DB2 = new double[classes],
        };
    }
}

using SymGrad.Benchmarks.Cases;

namespace SymGrad.Benchmarks.Problems;

/// <summary>
/// Parameters, points and gradient buffers of ADBench's GMM objective (case g), shared by every implementation
/// benchmarked or verified on it. Drawn as ADBench's gmm-data-gen.py draws them, from a fixed seed (its numbers are
/// not downloaded): alphas, icf and the points standard normal, the means uniform in [0, 1); Wishart gamma = 1,
/// m = 0 as ADBench's data files, unless given (the verification also runs m != 0, where the prior's
/// <c>-m sum log diag Q</c> term counts).
/// </summary>
public sealed class GmmProblem
{
    public required double[] Alphas { get; init; }
    public required double[,] Means { get; init; }
    public required double[,] Icf { get; init; }
    public required double[,] X { get; init; }
    public required double Gamma { get; init; }
    public required int M { get; init; }

    public double[] DAlphas { get; private init; } = null!;
    public double[,] DMeans { get; private init; } = null!;
    public double[,] DIcf { get; private init; } = null!;

    public int D => Means.GetLength(1);
    public int K => Alphas.Length;
    public int N => X.GetLength(0);

    public string Name => $"gmm d={D} k={K} n={N:N0}, wishart gamma={Gamma} m={M}";

    /// <summary>The case's <c>[Differentiable] Objective</c>, called directly.</summary>
    public double Objective() => Gmm.Objective(Alphas, Means, Icf, X, Gamma, M);

    /// <summary>The gradient buffers in parameter order, for comparisons.</summary>
    public double[] GradientVector() => [.. DAlphas, .. DMeans.Cast<double>(), .. DIcf.Cast<double>()];

    public static GmmProblem Create(int d = Gmm.Dims, int k = Gmm.Components, int n = Gmm.Points, double gamma = 1.0, int m = 0,
                                    int seed = 31337)
    {
        var rng = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()); // Box-Muller
        double[,] Matrix(int r, int c, Func<double> draw)
        {
            var a = new double[r, c];
            for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) a[i, j] = draw();
            return a;
        }
        int icfSize = d * (d + 1) / 2;
        double[] alphas = [.. Enumerable.Range(0, k).Select(_ => Normal())];
        return new GmmProblem
        {
            Alphas = alphas,
            Means = Matrix(k, d, rng.NextDouble),
            Icf = Matrix(k, icfSize, Normal),
            X = Matrix(n, d, Normal),
            Gamma = gamma,
            M = m,
            DAlphas = new double[k], DMeans = new double[k, d], DIcf = new double[k, icfSize],
        };
    }
}

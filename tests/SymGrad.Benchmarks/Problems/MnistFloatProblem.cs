using SymGrad.Benchmarks.Cases;

namespace SymGrad.Benchmarks.Problems;

/// <summary>
/// <see cref="MnistProblem"/>'s parameters and batch rounded to <c>float</c> (the same network and images), with
/// float gradient buffers: case (f) in single precision.
/// </summary>
public sealed class MnistFloatProblem
{
    public required float[,] W1 { get; init; }
    public required float[] B1 { get; init; }
    public required float[,] W2 { get; init; }
    public required float[] B2 { get; init; }
    public required float[,] X { get; init; }
    public required float[] Labels { get; init; }

    public float[,] DW1 { get; private init; } = null!;
    public float[] DB1 { get; private init; } = null!;
    public float[,] DW2 { get; private init; } = null!;
    public float[] DB2 { get; private init; } = null!;

    /// <summary>The case's float <c>[Differentiable] Loss</c>, called directly.</summary>
    public float Loss() => MnistMlpFloat.Loss(W1, B1, W2, B2, X, Labels);

    /// <summary>The gradient buffers in parameter order, widened, for comparisons.</summary>
    public double[] GradientVector() => [.. DW1.Cast<float>().Select(v => (double)v), .. DB1.Select(v => (double)v),
                                         .. DW2.Cast<float>().Select(v => (double)v), .. DB2.Select(v => (double)v)];

    public static MnistFloatProblem From(MnistProblem p) => new()
    {
        W1 = Round(p.W1), B1 = Round(p.B1), W2 = Round(p.W2), B2 = Round(p.B2), X = Round(p.X), Labels = Round(p.Labels),
        DW1 = new float[p.W1.GetLength(0), p.W1.GetLength(1)], DB1 = new float[p.B1.Length],
        DW2 = new float[p.W2.GetLength(0), p.W2.GetLength(1)], DB2 = new float[p.B2.Length],
    };

    private static float[] Round(double[] a) => Array.ConvertAll(a, v => (float)v);

    private static float[,] Round(double[,] a)
    {
        var r = new float[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) r[i, j] = (float)a[i, j];
        return r;
    }
}

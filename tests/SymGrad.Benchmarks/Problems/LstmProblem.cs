using SymGrad.Benchmarks.Cases;

namespace SymGrad.Benchmarks.Problems;

/// <summary>
/// Parameters, state, sequence and gradient buffers of ADBench's LSTM objective (case h), shared by every
/// implementation benchmarked or verified on it. As ADBench's gen_data.py: parameters and state uniform in [0, 1)
/// (from a fixed seed), the sequence a text's characters as rows of b bits, most significant first (ADBench reads
/// them from a text file; here a fixed sentence with a few non-ASCII characters, repeated to length).
/// </summary>
public sealed class LstmProblem
{
    private const string Text = "SymGrad differentiates C# at compile time: ∂loss/∂θ for θ ∈ ℝⁿ, no tape, λ-free. ";

    public required double[,] MainParams { get; init; }
    public required double[,] ExtraParams { get; init; }
    public required double[,] State { get; init; }
    public required double[,] Sequence { get; init; }

    public double[,] DMainParams { get; private init; } = null!;
    public double[,] DExtraParams { get; private init; } = null!;

    public int Layers => State.GetLength(0) / 2;
    public int B => State.GetLength(1);
    public int C => Sequence.GetLength(0);

    public string Name => $"lstm l={Layers} b={B} c={C}";

    /// <summary>The case's <c>[Differentiable] Objective</c>, called directly.</summary>
    public double Objective() => Lstm.Objective(MainParams, ExtraParams, State, Sequence);

    /// <summary>The gradient buffers in parameter order, for comparisons.</summary>
    public double[] GradientVector() => [.. DMainParams.Cast<double>(), .. DExtraParams.Cast<double>()];

    public static LstmProblem Create(int layers = Lstm.Layers, int b = Lstm.Hidden, int c = Lstm.Characters, int seed = 20261202)
    {
        var rng = new Random(seed);
        double[,] U(int r, int cols)
        {
            var a = new double[r, cols];
            for (int i = 0; i < r; i++) for (int j = 0; j < cols; j++) a[i, j] = rng.NextDouble();
            return a;
        }
        var sequence = new double[c, b];
        for (int t = 0; t < c; t++)
        {
            int ch = Text[t % Text.Length];
            if (ch >> b != 0) throw new ArgumentException($"'{(char)ch}' needs more than {b} bits", nameof(b));
            for (int i = 0; i < b; i++) sequence[t, i] = (ch >> (b - 1 - i)) & 1;
        }
        return new LstmProblem
        {
            MainParams = U(2 * layers, 4 * b),
            ExtraParams = U(3, b),
            State = U(2 * layers, b),
            Sequence = sequence,
            DMainParams = new double[2 * layers, 4 * b], DExtraParams = new double[3, b],
        };
    }
}

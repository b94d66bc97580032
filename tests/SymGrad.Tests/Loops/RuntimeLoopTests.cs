using SymGrad.Tests.Generator;

namespace SymGrad.Tests.Loops;

/// <summary>
/// Loops kept as loops, checked as every sample is: the gradient equals the tape twin's and central finite
/// differences, returns the method's value bit for bit, and overwrites its adjoints; at several sizes, zero trips included.
/// </summary>
public class RuntimeLoopTests
{
    private static readonly Lazy<Dictionary<string, Probe>> Probes = new(() =>
        Probe.Load(GeneratorHarness.Run(LoopSources.Runtime, SampleSources.ImplicitUsings),
            "SumSquares", "Dot", "Logistic", "Recurrence", "Power", "Heron", "Triangular", "Down", "Pairs", "BranchInLoop",
            "QuadraticForm", "DoubleIndex", "DoWhile", "Rnn", "Mlp", "Smooth", "Grid", "PerIteration", "ForEach", "BranchLoad", "BreakContinue", "IndexAfterBreak", "Converge", "InitFromParameter", "NextFromOutside", "WhileAfterReturn",
            "DoBreakContinue", "FirstAbove", "NewtonSqrt", "SumOfRoots", "ForEachInt",
            "DoEndsInContinue", "DoDeadBranches", "CertainBreak", "ArrayAfterReturn").Probes);

    internal static double[] Vec(Random r, int n, double lo = -1, double hi = 1) => Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * r.NextDouble()).ToArray();

    internal static double[,] Mat(Random r, int rows, int columns)
    {
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++)
        for (int j = 0; j < columns; j++)
            m[i, j] = 2 * r.NextDouble() - 1;
        return m;
    }

    private static void Check(string method, object[] args) => GradientCorrectnessTests.CheckPoint(method, Probes.Value[method], args);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void One_dimensional_loops_over_a_runtime_length(int n)
    {
        var r = new Random(1000 + n);
        Check("SumSquares", [Vec(r, n)]);
        Check("Dot", [Vec(r, n), Vec(r, n)]);
        Check("Triangular", [Vec(r, n)]);
        Check("Down", [Vec(r, n)]);
        Check("Pairs", [Vec(r, n)]);
        Check("Rnn", [Vec(r, n), 0.7, -0.4]);
        Check("BranchInLoop", [Vec(r, n).Select(v => Math.Abs(v) < 0.05 ? 0.5 : v).ToArray(), 0.8]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 3)]
    [InlineData(16, 4)]
    public void Logistic_regression_over_rows_and_features_of_runtime_size(int rows, int features)
    {
        var r = new Random(rows * 31 + features);
        double[] ys = Enumerable.Range(0, rows).Select(_ => (double)r.Next(2)).ToArray();
        Check("Logistic", [Mat(r, rows, features), ys, Vec(r, features), 0.1]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    public void Carried_values_with_a_runtime_trip_count(int n)
    {
        Check("Recurrence", [0.3, 3.1, n]);
        Check("Power", [1.3, n]);
        Check("DoWhile", [0.8, n]);
        Check("InitFromParameter", [1.28, n]);
        Check("NextFromOutside", [0.7, Math.Max(n, 1)]);
        Check("WhileAfterReturn", [0.6, Vec(new Random(n), n, 0.1, 1)]);
        Check("WhileAfterReturn", [-0.6, Vec(new Random(n), n, 0.1, 1)]);
        var r = new Random(n);
        Check("BranchLoad", [Vec(r, n + 1), n]);
    }

    [Fact]
    public void While_loop_with_a_data_dependent_trip_count()
    {
        Check("Heron", [2.0]);
        Check("Heron", [0.37]);
        Check("Heron", [1234.5]);
        // d sqrt(a)/da = 1 / (2 sqrt a): Heron's iteration converges to sqrt(a), its derivative to that derivative.
        Probe probe = Probes.Value["Heron"];
        object?[] adjoints = probe.NewAdjoints([2.0], 0.0);
        probe.Gradient([2.0], adjoints);
        Assert.Equal(1 / (2 * Math.Sqrt(2.0)), (double)adjoints[0]!, 12);
    }

    [Theory]
    [InlineData(1, 2, 3, 2)]
    [InlineData(4, 5, 6, 3)]
    [InlineData(2, 3, 2, 2)]
    public void Mlp_with_runtime_sizes_and_local_arrays(int batch, int inputs, int hidden, int classes)
    {
        var r = new Random(batch * 1000 + inputs * 100 + hidden * 10 + classes);
        double[] labels = Enumerable.Range(0, batch).Select(_ => (double)r.Next(classes)).ToArray();
        Check("Mlp", [Mat(r, hidden, inputs), Vec(r, hidden), Mat(r, classes, hidden), Vec(r, classes), Mat(r, batch, inputs), labels]);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 2)]
    [InlineData(5, 0)]
    [InlineData(5, 3)]
    public void Arrays_overwritten_across_iterations(int n, int passes)
    {
        var r = new Random(n * 10 + passes);
        Check("Smooth", [Vec(r, n, -0.8, 0.8), passes]);
        Check("Grid", [Vec(r, n)]);
        Check("PerIteration", [Vec(r, n)]);
        Check("ForEach", [Vec(r, n), Vec(r, n + passes)]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    public void Break_and_continue_under_data_dependent_conditions(int n)
    {
        var r = new Random(300 + n);
        double[] v = Vec(r, n).Select(x => Math.Abs(Math.Abs(x) - 0.5) < 0.05 ? 0.2 : x).ToArray();
        Check("BreakContinue", [v, 0.7]);
        Check("BreakContinue", [v, 2.0]); // never breaks
        double x = 0.9;
        if (v.All(e => Math.Abs(e * x - 0.5) > 0.05)) Check("IndexAfterBreak", [v, x]);
        Check("Converge", [0.3 + 0.1 * n]);
    }

    [Fact]
    public void Loop_variable_of_type_double_and_a_large_constant_loop()
    {
        Check("DoubleIndex", [0.9]);
        var r = new Random(5);
        Check("QuadraticForm", [Vec(r, 100), Mat(r, 100, 100)]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    public void Break_and_continue_in_a_do_loop_its_first_iteration_included(int n)
    {
        var r = new Random(4200 + n);
        double[] v = Vec(r, 3);
        Check("DoBreakContinue", [v, 0.8, n]);
        Check("DoBreakContinue", [v, 2.5, n]); // breaks
        Check("DoBreakContinue", [v, 1.9, n]); // continues
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(8)]
    public void Return_inside_loops_nested_while_foreach_and_do(int n)
    {
        var r = new Random(5100 + n);
        double[] v = Vec(r, n);
        Check("FirstAbove", [v, 0.3]);  // returns from the inner loop once a pair passes
        Check("FirstAbove", [v, 5.0]);  // never returns inside
        Check("SumOfRoots", [v.Select(Math.Abs).Select(e => e + 0.1).ToArray(), 0.4]); // no negative: returns in the do loop or after
        Check("SumOfRoots", [v.Select(e => Math.Abs(e) - 0.3 < 0 && Math.Abs(Math.Abs(e) - 0.3) < 0.02 ? 0.5 : e).ToArray(), 3.0]);
        Check("NewtonSqrt", [0.5 + n]);
        Check("ArrayAfterReturn", [1.3, new double[2, 3], 0]);  // the loop does not run: the array is made and read
        Check("ArrayAfterReturn", [1.3, new double[2, 3], n]);  // returns in the loop when n > 0
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void Foreach_over_int_arrays_and_spans(int n)
    {
        var r = new Random(5300 + n);
        double[] v = Vec(r, 4);
        int[] idx = Enumerable.Range(0, n).Select(k => (3 * k + 1) % 4).ToArray();
        int[] weights = Enumerable.Range(0, n).Select(k => k - 2).ToArray();
        Check("ForEachInt", [v, idx, weights]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void Do_loops_with_dead_branch_values_and_certain_breaks(int n)
    {
        // The loop fuzz's bugs 2, 3 and 4 (docs/loop-fuzz-bugs.md): these did not compile or were SG0099.
        foreach (double x in new[] { 0.7, 3.4, 4.2 })
        {
            Check("DoEndsInContinue", [x, 0.2, n]);
            Check("DoEndsInContinue", [x, 0.8, n]);
            Check("DoDeadBranches", [x, n]);
            Check("CertainBreak", [x, n]);
        }
    }
}

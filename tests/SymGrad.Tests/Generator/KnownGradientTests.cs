namespace SymGrad.Tests.Generator;

/// <summary>Generated gradients against numbers from outside SymGrad: micrograd's PyTorch results, closed forms.</summary>
public class KnownGradientTests
{
    [Fact]
    public void Micrograd_sanity_check_gives_pytorchs_numbers()
    {
        // micrograd test_sanity_check: y = -20, dy/dx = 46 (checked there against PyTorch).
        Probe probe = GradientCases.ProbeOf("Micrograd.SanityCheck");
        object?[] d = probe.NewAdjoints([-4.0], double.NaN);
        Assert.Equal(-20.0, probe.Gradient([-4.0], d));
        Assert.Equal(46.0, (double)d[0]!);
    }

    [Fact]
    public void Micrograd_more_ops_gives_pytorchs_numbers()
    {
        Probe probe = GradientCases.ProbeOf("Micrograd.MoreOps");
        object[] args = [-4.0, 2.0];
        object?[] d = probe.NewAdjoints(args, double.NaN);
        Assert.Equal(24.70408163265306, probe.Gradient(args, d), 1e-12);
        Assert.Equal(138.83381924198252, (double)d[0]!, 1e-12);
        Assert.Equal(645.5772594752186, (double)d[1]!, 1e-12);
    }

    [Fact]
    public void An_untaken_branch_that_divides_by_zero_does_not_poison_the_gradient()
    {
        // GuardedDivision at x = 0: r = y and q = 2y, so f = 3y: df/dx = 0, df/dy = 3. A select-based
        // differentiator would evaluate y / x and sqrt(|x|) and get NaN from 0 * Infinity.
        Probe probe = GradientCases.ProbeOf("Branches.GuardedDivision");
        foreach (double y in new[] { -1.5, 0.0, 2.0 })
        {
            object[] args = [0.0, y];
            object?[] d = probe.NewAdjoints(args, double.NaN);
            Assert.Equal(3 * y, probe.Gradient(args, d));
            Assert.Equal(0.0, (double)d[0]!);
            Assert.Equal(3.0, (double)d[1]!);
            (double value, object?[] tape) = probe.Tape(args);
            Assert.Equal(3 * y, value);
            Assert.Equal(0.0, (double)tape[0]!);
            Assert.Equal(3.0, (double)tape[1]!);
        }
    }

    [Fact]
    public void Every_branch_of_piecewise_is_reached_and_checked()
    {
        // The random points of the correctness test may miss a branch; these hit each one (and each side of ?:).
        Probe probe = GradientCases.ProbeOf("Branches.Piecewise");
        foreach ((double x, double y) in new[] { (1.5, 0.7), (1.5, 2.5), (-1.2, 0.8), (-1.2, -0.8), (0.1, 0.3), (0.1, -0.3) })
        {
            GradientCorrectnessTests.CheckPoint("Piecewise", probe, [x, y]);
        }
    }

    [Fact]
    public void Early_return_paths_are_each_checked()
    {
        Probe probe = GradientCases.ProbeOf("Branches.EarlyReturn");
        foreach ((double x, double y) in new[] { (-1.0, 0.5), (1.0, 2.0), (1.0, 0.5), (0.5, -2.0) })
        {
            GradientCorrectnessTests.CheckPoint("EarlyReturn", probe, [x, y]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Int_parameter_takes_both_sides_of_its_runtime_condition(int n)
    {
        // Mixed.F has `if (n > 2) r *= a;` and `(n / 2)` in int division: each n is its own program path.
        Probe probe = GradientCases.ProbeOf("Mixed.F");
        var random = new Random(n);
        double[] v = [random.NextDouble(), -random.NextDouble()];
        double[,] m = { { 0.3, -0.7 }, { 1.1, 0.4 } };
        double[] s = [0.5, -0.25, 0.75];
        GradientCorrectnessTests.CheckPoint($"F(n={n})", probe, [0.8, v, m, s, n, -1.3]);
    }

    [Fact]
    public void Mixed_F_matches_its_closed_form_gradient()
    {
        // r = a c + n + sum_i v_i m_i1 s_i / n; if n > 2, r *= a; r += (n/2) s_2 + n/4 a; f = r + m_10 * 2 (v.Length = 2).
        const double a = 0.8, c = -1.3;
        const int n = 3;
        double[] v = [0.2, -0.6], s = [0.5, -0.25, 0.75];
        double[,] m = { { 0.3, -0.7 }, { 1.1, 0.4 } };
        Probe probe = GradientCases.ProbeOf("Mixed.F");
        object[] args = [a, v, m, s, n, c];
        object?[] d = probe.NewAdjoints(args, 7.0);
        double f = probe.Gradient(args, d);

        double sum = v[0] * m[0, 1] * s[0] / n + v[1] * m[1, 1] * s[1] / n;
        double r0 = a * c + n + sum;
        Assert.Equal(r0 * a + 1 * s[2] + 0.75 * a + m[1, 0] * 2, f, 1e-14);
        Assert.Equal(c * a + r0 + 0.75, (double)d[0]!, 1e-14);
        Assert.Equal(new[] { m[0, 1] * s[0] / n * a, m[1, 1] * s[1] / n * a }, (double[])d[1]!, new Tolerance(1e-14));
        Assert.Equal(new[] { 0.0, v[0] * s[0] / n * a, 2.0, v[1] * s[1] / n * a }, ((double[,])d[2]!).Cast<double>(), new Tolerance(1e-14));
        Assert.Equal(new[] { v[0] * m[0, 1] / n * a, v[1] * m[1, 1] / n * a, 1.0 }, (double[])d[3]!, new Tolerance(1e-14));
        Assert.Null(d[4]);
        Assert.Null(d[5]);
    }

    private sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}

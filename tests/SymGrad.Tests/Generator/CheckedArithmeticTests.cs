namespace SymGrad.Tests.Generator;

/// <summary>
/// <c>checked</c> int arithmetic keeps its overflow check in every generated method: the gradient and the tape twin
/// throw the <c>OverflowException</c> where the method throws it, and compute the same values elsewhere. A counted
/// <c>for</c> loop's <c>i++</c> in a checked block cannot overflow and stays a counted loop.
/// </summary>
public class CheckedArithmeticTests
{
    private const string Source = """
        using System;
        using SymGrad;

        public static partial class Counted
        {
            [Differentiable]
            public static double Scaled(double[] v, double x, int n, int k)
            {
                checked
                {
                    int m = n * k - 1;
                    double s = 0;
                    for (int i = 0; i < n; i++) s += v[i] * m * x;
                    for (int j = n; j > 0; j--) s += -j * x * x;
                    return s + (m + k) * x;
                }
            }

            [Differentiable]
            public static double Stepped(double x, int n)
            {
                int m = n;
                checked
                {
                    m++;
                    m *= 2;
                }
                return x * x * m;
            }

            [Differentiable]
            public static double Constant(double x)
            {
                int m = int.MaxValue;
                return x * checked(m + 1); // constants to the generator, so it cannot write checked(2147483647 + 1)
            }

            [Differentiable]
            public static double Truncated(double x, double y) => x * checked((int)y) + checked(-(int)y) * x * x;
        }
        """;

    private static readonly Lazy<(LoadedAssembly Assembly, Dictionary<string, Probe> Probes)> Loaded =
        new(() => Probe.Load(GeneratorHarness.Run(Source), "Scaled", "Stepped", "Constant", "Truncated"));

    private static string Generated => GeneratorHarness.Run(Source).Sources.Values.Single();

    [Theory]
    [InlineData(0.4, 3, 2)]
    [InlineData(-1.3, 4, -5)]
    [InlineData(0.9, 0, 7)]
    public void The_gradient_of_checked_int_code_matches_the_tape_and_finite_differences(double x, int n, int k)
    {
        double[] v = Enumerable.Range(0, Math.Max(n, 1)).Select(i => 0.3 * i - 0.5).ToArray();
        GradientCorrectnessTests.CheckPoint("Scaled", Loaded.Value.Probes["Scaled"], [v, x, n, k]);
        double expected = 0;
        int m = n * k - 1;
        for (int i = 0; i < n; i++) expected += v[i] * m * x;
        for (int j = n; j > 0; j--) expected += -j * x * x;
        expected += (m + k) * x;
        Assert.Equal(expected, Loaded.Value.Probes["Scaled"].Value([v, x, n, k]), 1e-12);
    }

    [Fact]
    public void An_overflowing_product_throws_in_the_gradient_and_the_tape_as_in_the_method()
    {
        Probe probe = Loaded.Value.Probes["Scaled"];
        object[] args = [new double[] { 1.0 }, 0.5, 1, int.MaxValue]; // n * k - 1 is fine, m + k overflows
        Assert.Throws<OverflowException>(() => probe.Value(args));
        Assert.Throws<OverflowException>(() => probe.Gradient(args, probe.NewAdjoints(args, 0.0)));
        Assert.Throws<OverflowException>(() => probe.Tape(args));
        object[] product = [new double[] { 1.0 }, 0.5, 65536, 65536]; // n * k overflows
        Assert.Throws<OverflowException>(() => probe.Value(product));
        Assert.Throws<OverflowException>(() => probe.Gradient(product, probe.NewAdjoints(product, 0.0)));
    }

    [Fact]
    public void Checked_increments_and_compound_assignments_outside_counted_loops_keep_their_check()
    {
        Probe probe = Loaded.Value.Probes["Stepped"];
        GradientCorrectnessTests.CheckPoint("Stepped", probe, [0.6, 20]);
        Assert.Equal(0.36 * 42, probe.Gradient([0.6, 20], probe.NewAdjoints([0.6, 20], 0.0)), 1e-12);
        foreach (int n in new[] { int.MaxValue, int.MaxValue / 2 + 1 }) // m++ overflows, then m *= 2 does
        {
            object[] args = [0.6, n];
            Assert.Throws<OverflowException>(() => probe.Value(args));
            Assert.Throws<OverflowException>(() => probe.Gradient(args, probe.NewAdjoints(args, 0.0)));
        }
        Assert.Contains("checked(n + 1)", Generated);
    }

    [Fact] // found by RobustnessTests: the folded constants made a constant expression C# rejects (CS0220)
    public void Checked_arithmetic_on_constants_that_overflows_throws_at_run_time()
    {
        Probe probe = Loaded.Value.Probes["Constant"];
        Assert.Throws<OverflowException>(() => probe.Value([0.5]));
        Assert.Throws<OverflowException>(() => probe.Gradient([0.5], probe.NewAdjoints([0.5], 0.0)));
        Assert.Throws<OverflowException>(() => probe.Tape([0.5]));
    }

    [Fact]
    public void A_checked_conversion_out_of_range_throws_and_in_range_truncates()
    {
        Probe probe = Loaded.Value.Probes["Truncated"];
        GradientCorrectnessTests.CheckPoint("Truncated", probe, [0.7, 2.9]);
        GradientCorrectnessTests.CheckPoint("Truncated", probe, [-1.1, -3.5]);
        Assert.Equal(0.7 * 2 - 2 * 0.49, probe.Gradient([0.7, 2.9], probe.NewAdjoints([0.7, 2.9], 0.0)), 1e-15);
        Assert.Throws<OverflowException>(() => probe.Gradient([0.7, 3e9], probe.NewAdjoints([0.7, 3e9], 0.0)));
        Assert.Throws<OverflowException>(() => probe.Gradient([0.7, double.NaN], probe.NewAdjoints([0.7, double.NaN], 0.0)));
    }

    [Fact]
    public void The_checks_are_in_the_generated_code_and_counted_loops_stay_for_loops()
    {
        string code = Generated;
        Assert.Contains("checked(n * k)", code);
        Assert.Contains("checked((int)y)", code);
        Assert.Contains("for (int i = 0; i < n; i++)", code);
        Assert.DoesNotContain("checked(i + 1)", code);
    }
}

using Microsoft.CodeAnalysis;

namespace SymGrad.Tests.Generator;

/// <summary>
/// Slices of one-dimensional parameters (<c>v[a..b]</c>, <c>v.Slice(i, n)</c>, <c>v.AsSpan(i, n)</c>) and indices
/// from the end (<c>v[^k]</c>): read at an offset, their adjoints the parameter's, against the tape and finite
/// differences; out of range, the gradient throws what the method throws.
/// </summary>
public class SliceTests
{
    private const string Source = """
        using System;
        using SymGrad;

        public static partial class Sliced
        {
            [Differentiable]
            public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
                return s;
            }

            /// <summary>Rows of a flattened batch, a slice of a slice, a range from the end, foreach over a slice.</summary>
            [Differentiable]
            public static double Batch(double[] w, ReadOnlySpan<double> x, int n)
            {
                double s = 0;
                for (int r = 0; r < x.Length / n; r++)
                {
                    ReadOnlySpan<double> row = x.Slice(r * n, n);
                    s += Math.Tanh(Dot(w.AsSpan(0, n), row)) * row[^1];
                }
                double[] tail = w[1..];
                ReadOnlySpan<double> middle = w.AsSpan()[1..^1];
                foreach (double t in middle.Slice(1)) s += t * t;
                return s + tail[0] * w[^1] + x[^2];
            }

            [Differentiable]
            public static double Peek(double[] v, int start, int count, int k) => v.AsSpan(start, count)[k] * v[0];
        }
        """;

    private static readonly Lazy<(LoadedAssembly Assembly, Dictionary<string, Probe> Probes)> Loaded =
        new(() => Probe.Load(GeneratorHarness.Run(Source), "Batch", "Peek"));

    private static double[] Vector(int n, double scale) => Enumerable.Range(0, n).Select(i => scale * Math.Sin(1.7 * i + 0.3)).ToArray();

    [Theory]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(3, 0)]
    public void Slices_read_the_parameters_elements_and_their_adjoints_are_the_parameters(int n, int rows)
    {
        double[] w = Vector(n + 1, 0.8), x = Vector(Math.Max(rows * n, 2), 1.1);
        Probe probe = Loaded.Value.Probes["Batch"];
        GradientCorrectnessTests.CheckPoint("Batch", probe, [w, x, n]);
        double expected = 0;
        for (int r = 0; r < x.Length / n; r++)
        {
            double dot = 0;
            for (int i = 0; i < n; i++) dot += w[i] * x[r * n + i];
            expected += Math.Tanh(dot) * x[r * n + n - 1];
        }
        for (int i = 2; i < w.Length - 1; i++) expected += w[i] * w[i];
        expected += w[1] * w[^1] + x[^2];
        Assert.Equal(expected, probe.Value([w, x, n]), 1e-12);
    }

    [Theory]
    [InlineData(1, 3, 2, null)]                          // in range
    [InlineData(3, 3, 0, typeof(ArgumentOutOfRangeException))] // the slice passes the end of v
    [InlineData(-1, 2, 0, typeof(ArgumentOutOfRangeException))]
    [InlineData(0, 2, 2, typeof(IndexOutOfRangeException))]    // inside v, outside the slice
    [InlineData(1, 2, -1, typeof(IndexOutOfRangeException))]
    public void Out_of_range_the_gradient_throws_what_the_method_throws(int start, int count, int k, Type? thrown)
    {
        Probe probe = Loaded.Value.Probes["Peek"];
        object[] args = [new[] { 0.5, -1.5, 2.5, 3.5, 4.5 }, start, count, k];
        if (thrown is null)
        {
            GradientCorrectnessTests.CheckPoint("Peek", probe, args);
            return;
        }
        Assert.IsType(thrown, Record.Exception(() => probe.Value(args)));
        Assert.IsType(thrown, Record.Exception(() => probe.Gradient(args, probe.NewAdjoints(args, 0.0))));
        Assert.IsType(thrown, Record.Exception(() => probe.Tape(args)));
    }

    [Fact]
    public void The_generated_code_reads_through_checked_offsets_and_recomputes_them_backwards()
    {
        string code = GeneratorHarness.Run(Source).Sources.Values.Single();
        string gradient = code[code.IndexOf("BatchGradient(", StringComparison.Ordinal)..code.IndexOf("BatchTape(", StringComparison.Ordinal)];
        Assert.Contains("global::SymGrad.Slices.Start(x.Length, r * n, n)", gradient);
        Assert.Contains("global::SymGrad.Slices.Element(", gradient);
        Assert.DoesNotContain("tape.Push", gradient); // the offsets are recomputed, not kept on the tape
        Assert.DoesNotContain("Reserve(", gradient);
    }
}

using SymGrad.Tests.Generator;

namespace SymGrad.Tests.Loops;

/// <summary>
/// Reads of a local array that an inner loop repeats (<c>xc[i]</c> under a loop over <c>j</c>) are made once before
/// that loop (<c>InvariantLoads</c>), so the backward sweep keeps one value per outer iteration instead of one per
/// inner one. Checked: the gradients against the tape twin and finite differences where the inner loop runs no
/// iteration (the last column of a triangle), and that a read which could be out of range there is left in the loop.
/// </summary>
public class InvariantLoadTests
{
    private const string Source = """
        using System;
        using SymGrad;

        public static partial class Hoisting
        {
            /// <summary>GMM's shape: per component, x - mu into a local array, a triangular product reading it, a max over components.</summary>
            [Differentiable]
            public static double Triangle(double[,] mu, double[,] lower, [NoDerivative] double[] x)
            {
                int k = mu.GetLength(0), d = x.Length;
                double[] xc = new double[d];
                double[] z = new double[d];
                double[] term = new double[k];
                for (int c = 0; c < k; c++)
                {
                    for (int i = 0; i < d; i++)
                    {
                        xc[i] = x[i] - mu[c, i];
                        z[i] = xc[i];
                    }
                    int l = 0;
                    for (int i = 0; i < d; i++)
                    {
                        for (int j = i + 1; j < d; j++)
                        {
                            z[j] += lower[c, l] * xc[i];
                            l++;
                        }
                    }
                    double s = 0;
                    for (int i = 0; i < d; i++) s += z[i] * z[i];
                    term[c] = s;
                }
                double best = term[0];
                for (int c = 1; c < k; c++) best = Math.Max(best, term[c]);
                return best;
            }

            /// <summary>a[i + 1] under a loop over j that is empty for the last i: read before the loop, it would throw there.</summary>
            [Differentiable]
            public static double NextInInnerLoop(double[] v)
            {
                int n = v.Length;
                double[] a = new double[n];
                for (int i = 0; i < n; i++) a[i] = v[i] * v[i];
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    for (int j = i + 1; j < n; j++) s += a[i + 1] * v[j] + a[i] * Math.Sin(s);
                }
                return s;
            }
        }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorHarness.Run(Source, SampleSources.ImplicitUsings));

    private static readonly Lazy<Dictionary<string, Probe>> Probes = new(() => Probe.Load(Run.Value, "Triangle", "NextInInnerLoop").Probes);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 6)]
    public void Triangular_product_over_components_matches_the_tape_and_finite_differences(int k, int d)
    {
        var r = new Random(17 * k + d);
        GradientCorrectnessTests.CheckPoint("Triangle", Probes.Value["Triangle"], [RuntimeLoopTests.Mat(r, k, d), RuntimeLoopTests.Mat(r, k, Math.Max(1, d * (d - 1) / 2)), RuntimeLoopTests.Vec(r, d)]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(6)]
    public void A_read_that_could_be_out_of_range_before_an_empty_loop_stays_in_the_loop(int n)
    {
        // With n = 1 the inner loop never runs and a[i + 1] is never read: the method does not throw, nor may its gradient.
        GradientCorrectnessTests.CheckPoint("NextInInnerLoop", Probes.Value["NextInInnerLoop"], [RuntimeLoopTests.Vec(new Random(n), n)]);
    }

    [Fact]
    public void The_repeated_read_is_made_once_per_outer_iteration_and_kept_once()
    {
        string code = Assert.Single(Run.Value.Sources).Value;
        string gradient = code[code.IndexOf("TriangleGradient(", StringComparison.Ordinal)..code.IndexOf("TriangleTape(", StringComparison.Ordinal)];
        // The forward read sits before the loop over j, and the loop over j neither reads xc nor pushes anything.
        var match = System.Text.RegularExpressions.Regex.Match(gradient, @"double xc_i = xc\[i(_\d+)?\];");
        Assert.True(match.Success, gradient);
        int read = match.Index;
        int inner = gradient.IndexOf("for (int j", read, StringComparison.Ordinal);
        Assert.True(inner > read, gradient);
        // The code of the loop, without its comments (which quote the source line).
        string innerLoop = string.Join("\n", gradient[inner..gradient.IndexOf('}', inner)].Split('\n').Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)));
        Assert.DoesNotContain("xc[", innerLoop);
        Assert.DoesNotContain("tape.", innerLoop);

        // a[i + 1] is not provably in range before an empty loop: it is read where the method reads it.
        string next = code[code.IndexOf("NextInInnerLoopGradient(", StringComparison.Ordinal)..];
        int loopJ = next.IndexOf("for (int j", StringComparison.Ordinal);
        // (i + 1 is the value j starts from, so the read is named a[j].)
        Assert.True(loopJ >= 0 && next.IndexOf("= a[j];", StringComparison.Ordinal) > loopJ, next);
    }
}

using System.Reflection;
using SymGrad.Tests.Generator;

namespace SymGrad.Tests.Loops;

/// <summary>
/// What the tape and the arena of a loop gradient promise: nothing allocated per call once warm, calls on several
/// threads at once each on their own tape, gradients of different methods interleaved on one thread, and every
/// generated method small enough for the JIT to optimise.
/// </summary>
public class LoopRuntimeTests
{
    /// <summary>Two loop methods and a driver that calls their gradients as a user's program does, compiled with the generator.</summary>
    private const string Source = """
        using System;
        using SymGrad;

        public static partial class Models
        {
            [Differentiable]
            public static double Mlp(double[,] w1, double[] b1, double[] w2, [NoDerivative] double[,] xs, [NoDerivative] double[] ys)
            {
                int hidden = b1.Length;
                double[] h = new double[hidden];
                double loss = 0;
                for (int s = 0; s < xs.GetLength(0); s++)
                {
                    for (int j = 0; j < hidden; j++)
                    {
                        double z = b1[j];
                        for (int k = 0; k < xs.GetLength(1); k++) z += w1[j, k] * xs[s, k];
                        h[j] = Math.Tanh(z);
                    }
                    double y = 0;
                    for (int j = 0; j < hidden; j++) y += w2[j] * h[j];
                    double e = y - ys[s];
                    loss += e * e;
                }
                return loss / xs.GetLength(0);
            }

            [Differentiable]
            public static double Chain(double[] v, double a)
            {
                double x = a;
                for (int i = 0; i < v.Length; i++) x = Math.Sin(x * v[i]) + x;
                return x;
            }
        }

        public static partial class Labelled
        {
            /// <summary>Softmax cross-entropy of a linear classifier; labels and a permutation of the samples as int data.</summary>
            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward)]
            public static double Loss(double[,] w, [NoDerivative] double[,] xs, int[] labels, ReadOnlySpan<int> order)
            {
                int classes = w.GetLength(0);
                double[] logits = new double[classes];
                double loss = 0;
                for (int k = 0; k < order.Length; k++)
                {
                    int s = order[k];
                    double max = double.NegativeInfinity;
                    for (int c = 0; c < classes; c++)
                    {
                        double z = 0;
                        for (int j = 0; j < xs.GetLength(1); j++) z += w[c, j] * xs[s, j];
                        logits[c] = z;
                        max = Math.Max(max, z);
                    }
                    double sum = 0;
                    for (int c = 0; c < classes; c++) sum += Math.Exp(logits[c] - max);
                    loss += Math.Log(sum) + max - logits[labels[s]];
                }
                return loss / order.Length;
            }
        }

        public static class Driver
        {
            /// <summary>The largest difference between the generated gradient and the tape twin's, relative.</summary>
            public static double LabelledAgainstTape(int seed)
            {
                var r = new Random(seed);
                int classes = 3, features = 4, samples = 7;
                var w = new double[classes, features];
                var xs = new double[samples, features];
                for (int c = 0; c < classes; c++) for (int j = 0; j < features; j++) w[c, j] = r.NextDouble() - 0.5;
                for (int s = 0; s < samples; s++) for (int j = 0; j < features; j++) xs[s, j] = 2 * r.NextDouble() - 1;
                var labels = new int[samples];
                for (int s = 0; s < samples; s++) labels[s] = r.Next(classes);
                int[] order = [6, 2, 2, 0, 5];
                var dW = new double[classes, features];
                double value = Labelled.LossGradient(w, xs, labels, order, dW);
                var tw = new Value[classes, features];
                for (int c = 0; c < classes; c++) for (int j = 0; j < features; j++) tw[c, j] = new Value(w[c, j]);
                Value tape = Labelled.LossTape(tw, xs, labels, order);
                tape.Backward();
                double worst = Math.Abs(tape.Data - value) / Math.Abs(value);
                for (int c = 0; c < classes; c++) for (int j = 0; j < features; j++) worst = Math.Max(worst, Math.Abs(tw[c, j].Grad - dW[c, j]) / Math.Max(1e-300, Math.Abs(dW[c, j])));
                return worst;
            }

            /// <summary>A problem of the given size, filled from the seed.</summary>
            public static (double[,] W1, double[] B1, double[] W2, double[,] Xs, double[] Ys) Problem(int seed, int batch, int inputs, int hidden)
            {
                var r = new Random(seed);
                var w1 = new double[hidden, inputs];
                var xs = new double[batch, inputs];
                for (int j = 0; j < hidden; j++) for (int k = 0; k < inputs; k++) w1[j, k] = r.NextDouble() - 0.5;
                for (int s = 0; s < batch; s++) for (int k = 0; k < inputs; k++) xs[s, k] = 2 * r.NextDouble() - 1;
                var b1 = new double[hidden];
                var w2 = new double[hidden];
                for (int j = 0; j < hidden; j++) { b1[j] = r.NextDouble() - 0.5; w2[j] = r.NextDouble() - 0.5; }
                var ys = new double[batch];
                for (int s = 0; s < batch; s++) ys[s] = r.NextDouble();
                return (w1, b1, w2, xs, ys);
            }

            /// <summary>The value and the whole gradient, flattened (w1 row-major, b1, w2).</summary>
            public static double[] Gradient(int seed, int batch, int inputs, int hidden)
            {
                var (w1, b1, w2, xs, ys) = Problem(seed, batch, inputs, hidden);
                var dW1 = new double[hidden, inputs];
                var dB1 = new double[hidden];
                var dW2 = new double[hidden];
                double value = Models.MlpGradient(w1, b1, w2, xs, ys, dW1, dB1, dW2);
                var all = new double[1 + dW1.Length + 2 * hidden];
                all[0] = value;
                int n = 1;
                foreach (double d in dW1) all[n++] = d;
                foreach (double d in dB1) all[n++] = d;
                foreach (double d in dW2) all[n++] = d;
                return all;
            }

            /// <summary>The gradient of Chain, flattened (v, then a).</summary>
            public static double[] ChainGradient(int seed, int length)
            {
                var r = new Random(seed);
                var v = new double[length];
                for (int i = 0; i < length; i++) v[i] = r.NextDouble();
                var dV = new double[length];
                double dA = 0;
                Models.ChainGradient(v, 0.3, dV, ref dA);
                var all = new double[length + 1];
                dV.CopyTo(all, 0);
                all[length] = dA;
                return all;
            }

            /// <summary>
            /// Bytes this thread allocates over <paramref name="calls"/> gradient calls, after a warm-up: the fewest of
            /// three rounds. This method is compiled optimised at once, so that no tiering or on-stack replacement of
            /// its own loops runs (and allocates) inside a round; code that allocates per call allocates in every round.
            /// </summary>
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
            public static long AllocatedOver(int calls)
            {
                var (w1, b1, w2, xs, ys) = Problem(7, 32, 20, 16);
                var dW1 = new double[16, 20];
                var dB1 = new double[16];
                var dW2 = new double[16];
                double sum = 0;
                for (int i = 0; i < 200; i++) sum += Models.MlpGradient(w1, b1, w2, xs, ys, dW1, dB1, dW2);
                long fewest = long.MaxValue;
                for (int round = 0; round < 3; round++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < calls; i++) sum += Models.MlpGradient(w1, b1, w2, xs, ys, dW1, dB1, dW2);
                    fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
                }
                return double.IsFinite(sum) ? fewest : -1;
            }
        }
        """;

    private static readonly Lazy<LoadedAssembly> Assembly = new(() => GeneratorHarness.Run(Source, SampleSources.ImplicitUsings).Load());

    private static T Call<T>(string method, params object[] args) => (T)Assembly.Value.Method("Driver", method).Invoke(null, args)!;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Int_array_and_int_span_parameters_are_data_labels_and_an_index_table(int seed)
    {
        Assert.InRange(Call<double>("LabelledAgainstTape", seed), 0, 1e-12);
    }

    [Fact]
    public void A_warm_loop_gradient_allocates_nothing()
    {
        Assert.Equal(0L, Call<long>("AllocatedOver", 2_000));
    }

    [Fact]
    public void Gradients_on_several_threads_at_once_equal_the_same_gradients_on_one()
    {
        int[] seeds = [1, 2, 3, 4, 5, 6, 7, 8];
        // Sizes differ by seed, so each thread's tape and arena grow and shrink differently.
        double[][] alone = seeds.Select(s => Call<double[]>("Gradient", s, 3 + s, 5 + 2 * s, 4 + s)).ToArray();
        var results = new double[seeds.Length][][];
        Parallel.For(0, seeds.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k =>
        {
            results[k] = new double[25][];
            for (int round = 0; round < 25; round++) results[k][round] = Call<double[]>("Gradient", seeds[k], 3 + seeds[k], 5 + 2 * seeds[k], 4 + seeds[k]);
        });
        for (int k = 0; k < seeds.Length; k++)
        {
            foreach (double[] r in results[k]) Assert.Equal(alone[k], r); // bit for bit
        }
        Assert.Contains(alone[0], d => d != 0);
    }

    [Fact]
    public void Gradients_of_different_methods_interleaved_on_one_thread_equal_each_alone()
    {
        double[] mlp = Call<double[]>("Gradient", 11, 6, 9, 5), chain = Call<double[]>("ChainGradient", 12, 40);
        for (int round = 0; round < 10; round++)
        {
            Assert.Equal(chain, Call<double[]>("ChainGradient", 12, 40));
            Assert.Equal(mlp, Call<double[]>("Gradient", 11, 6, 9, 5));
            Assert.Equal(Call<double[]>("ChainGradient", 13, 3), Call<double[]>("ChainGradient", 13, 3));
        }
    }

    public static TheoryData<string> Samples => new()
    {
        "Loops.Runtime", "SeedNet", "Micrograd", "Branches", "Large", "Loops", "Calls", "LocalArrays", "Compound", "Functions", "Mixed",
    };

    private static string SampleSource(string name) => name switch
    {
        "Loops.Runtime" => LoopSources.Runtime,
        "SeedNet" => SampleSources.SeedNet,
        "Micrograd" => SampleSources.Micrograd,
        "Branches" => SampleSources.Branches,
        "Large" => SampleSources.Large,
        "Loops" => SampleSources.Loops,
        "Calls" => SampleSources.Calls,
        "LocalArrays" => SampleSources.LocalArrays,
        "Compound" => SampleSources.Compound,
        "Functions" => SampleSources.Functions,
        _ => SampleSources.Mixed,
    };

    /// <summary>
    /// The JIT stops optimising a method past 60,000 bytes of IL or too many locals (it tracks 1,024, and gives up
    /// past 2,000): every generated method of every sample stays well inside, read from the compiled IL.
    /// </summary>
    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_generated_method_stays_inside_the_JITs_optimisation_limits(string sample)
    {
        using LoadedAssembly loaded = GeneratorHarness.Run(SampleSource(sample), SampleSources.ImplicitUsings).Load();
        string[] suffixes = ["Gradient", "Jvp", "Hvp", "Hessian", "Tape"];
        var generated = loaded.Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => suffixes.Any(s => m.Name.EndsWith(s, StringComparison.Ordinal)) || m.Name.Contains("GradientPart", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(generated);
        foreach (MethodInfo method in generated)
        {
            MethodBody body = method.GetMethodBody()!;
            int il = body.GetILAsByteArray()!.Length, locals = body.LocalVariables.Count;
            Assert.True(il < 60_000, $"{method.DeclaringType?.Name}.{method.Name}: {il} bytes of IL");
            Assert.True(locals < 512, $"{method.DeclaringType?.Name}.{method.Name}: {locals} locals");
        }
    }
}

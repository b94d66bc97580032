using System.Reflection;
using Microsoft.CodeAnalysis;

namespace SymGrad.Tests.Generator;

/// <summary>
/// <c>float</c> methods: the gradient is computed in float, in the method's own operation order (its value is the
/// method's to the bit), and checked against the <c>Value</c> tape twin, which runs in double, with a float
/// tolerance, and against float central differences. Mixed float and double arithmetic is SG0019.
/// </summary>
public class FloatTests
{
    /// <summary>
    /// Three float methods (a layer with a loop nest, a 2-D array, a span and a stackalloc; a scalar function of much
    /// of MathF; an MLP with softmax cross-entropy over a batch of runtime size) and wrappers that take arrays, so that
    /// reflection can call them (spans and refs cannot go through it).
    /// </summary>
    internal const string Source = """
        using System;
        using SymGrad;

        public static partial class FloatModels
        {
            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward)]
            public static float Layer(float[,] w, float[] b, ReadOnlySpan<float> x, [NoDerivative] float[] y, int label)
            {
                int n = w.GetLength(0);
                Span<float> z = stackalloc float[n];
                float total = 0f;
                for (int j = 0; j < n; j++)
                {
                    float s = b[j];
                    for (int k = 0; k < x.Length; k++) s += w[j, k] * x[k];
                    z[j] = MathF.Tanh(s) + SymMathF.Relu(s) * 0.1f;
                    total += z[j] * z[j] + MathF.Exp(-s) / 3;
                }
                if (float.IsNaN(total)) return 0f;
                return total + MathF.Log(1f + y[label] * y[label]) + (float)label;
            }

            [Differentiable]
            public static float Scalar(float x, float y)
            {
                float a = MathF.Sin(x) * MathF.Cos(y) + MathF.Sqrt(x * x + y * y + 1f);
                float b = MathF.Pow(MathF.Abs(x) + 0.5f, y) + MathF.Atan2(y, x) + SymMathF.Sigmoid(x - y) + SymMathF.Softplus(y);
                float c = x is > 0f and < 1f ? MathF.Exp(x) : MathF.Log(1f + x * x);
                float d = MathF.Max(x, y) - MathF.Min(x, 0.25f) + float.Exp2(y) / 4 + MathF.Tanh(x * y) + MathF.Cbrt(x + 3f);
                int k = (int)MathF.Floor(x * 3f);
                return a * b + c - d + k * x + 1 / (2 + y * y);
            }

            [Differentiable]
            public static float Mlp(float[,] w1, float[] b1, float[,] w2, float[] b2, [NoDerivative] float[,] xs, int[] labels)
            {
                int h = b1.Length, c = b2.Length, n = xs.GetLength(0);
                float loss = 0f;
                Span<float> hidden = stackalloc float[h];
                Span<float> logits = stackalloc float[c];
                for (int s = 0; s < n; s++)
                {
                    for (int j = 0; j < h; j++)
                    {
                        float z = b1[j];
                        for (int k = 0; k < xs.GetLength(1); k++) z += w1[j, k] * xs[s, k];
                        hidden[j] = MathF.Tanh(z);
                    }
                    float max = float.NegativeInfinity;
                    for (int i = 0; i < c; i++)
                    {
                        float z = b2[i];
                        for (int j = 0; j < h; j++) z += w2[i, j] * hidden[j];
                        logits[i] = z;
                        if (z > max) max = z;
                    }
                    float sum = 0f;
                    for (int i = 0; i < c; i++) sum += MathF.Exp(logits[i] - max);
                    loss += MathF.Log(sum) + max - logits[labels[s]];
                }
                return loss / n;
            }
        }

        public static class FloatCalls
        {
            public static float Layer(float[,] w, float[] b, float[] x, float[] y, int label) => FloatModels.Layer(w, b, x, y, label);

            public static float LayerGradient(float[,] w, float[] b, float[] x, float[] y, int label, float[,] dW, float[] dB, float[] dX) =>
                FloatModels.LayerGradient(w, b, x, y, label, dW, dB, dX);

            public static float LayerJvp(float[,] w, float[] b, float[] x, float[] y, int label, float[,] tW, float[] tB, float[] tX)
            {
                FloatModels.LayerJvp(w, b, x, y, label, tW, tB, tX, out float derivative);
                return derivative;
            }

            public static double LayerTape(float[,] w, float[] b, float[] x, float[] y, int label, double[,] gW, double[] gB, double[] gX)
            {
                Value[,] vw = Leaves(w); Value[] vb = Leaves(b), vx = Leaves(x);
                Value r = FloatModels.LayerTape(vw, vb, vx, y, label);
                r.Backward();
                Grads(vw, gW); Grads(vb, gB); Grads(vx, gX);
                return r.Data;
            }

            public static float Scalar(float[] p) => FloatModels.Scalar(p[0], p[1]);

            public static float ScalarGradient(float[] p, float[] g) => FloatModels.ScalarGradient(p[0], p[1], ref g[0], ref g[1]);

            public static double ScalarTape(float[] p, double[] g)
            {
                Value[] v = Leaves(p);
                Value r = FloatModels.ScalarTape(v[0], v[1]);
                r.Backward();
                Grads(v, g);
                return r.Data;
            }

            public static float Mlp(float[,] w1, float[] b1, float[,] w2, float[] b2, float[,] xs, int[] labels) => FloatModels.Mlp(w1, b1, w2, b2, xs, labels);

            public static float MlpGradient(float[,] w1, float[] b1, float[,] w2, float[] b2, float[,] xs, int[] labels,
                                            float[,] dW1, float[] dB1, float[,] dW2, float[] dB2) =>
                FloatModels.MlpGradient(w1, b1, w2, b2, xs, labels, dW1, dB1, dW2, dB2);

            public static double MlpTape(float[,] w1, float[] b1, float[,] w2, float[] b2, float[,] xs, int[] labels,
                                         double[,] gW1, double[] gB1, double[,] gW2, double[] gB2)
            {
                Value[,] v1 = Leaves(w1), v2 = Leaves(w2); Value[] c1 = Leaves(b1), c2 = Leaves(b2);
                Value r = FloatModels.MlpTape(v1, c1, v2, c2, xs, labels);
                r.Backward();
                Grads(v1, gW1); Grads(c1, gB1); Grads(v2, gW2); Grads(c2, gB2);
                return r.Data;
            }

            private static Value[] Leaves(float[] a) => Array.ConvertAll(a, x => new Value(x));

            private static Value[,] Leaves(float[,] a)
            {
                var v = new Value[a.GetLength(0), a.GetLength(1)];
                for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) v[i, j] = new Value(a[i, j]);
                return v;
            }

            private static void Grads(Value[] v, double[] g) { for (int i = 0; i < v.Length; i++) g[i] = v[i].Grad; }

            private static void Grads(Value[,] v, double[,] g)
            {
                for (int i = 0; i < v.GetLength(0); i++) for (int j = 0; j < v.GetLength(1); j++) g[i, j] = v[i, j].Grad;
            }
        }
        """;

    private static readonly Lazy<LoadedAssembly> Loaded = new(() => GeneratorHarness.Run(Source).Load());

    private static MethodInfo Call(string name) => Loaded.Value.Method("FloatCalls", name);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_float_layer_matches_the_double_tape_and_float_differences(int seed)
    {
        var random = new Random(seed);
        float[,] w = Mat(random, 4, 3);
        float[] b = Vec(random, 4), x = Vec(random, 3), y = Vec(random, 3);
        int label = seed % 3;
        object[] Args(params Array[] extra) => new object[] { w, b, x, y, label }.Concat(extra).ToArray();
        Check(
            value: () => (float)Call("Layer").Invoke(null, Args())!,
            gradient: g => (float)Call("LayerGradient").Invoke(null, Args(g))!,
            tape: g => (double)Call("LayerTape").Invoke(null, Args(g))!,
            inputs: [w, b, x]);
    }

    [Theory]
    [InlineData(0.4f, -0.7f)] // x in (0, 1): the Exp arm
    [InlineData(-1.3f, 0.6f)] // the Log arm, x < y
    [InlineData(2.2f, 1.1f)]
    [InlineData(0.9f, 1.9f)]
    public void A_float_function_of_mathf_matches_the_double_tape_and_float_differences(float x, float y)
    {
        float[] p = [x, y];
        Check(
            value: () => (float)Call("Scalar").Invoke(null, [p])!,
            gradient: g => (float)Call("ScalarGradient").Invoke(null, [p, g[0]])!,
            tape: g => (double)Call("ScalarTape").Invoke(null, [p, g[0]])!,
            inputs: [p]);
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(9, 2)]
    public void A_float_mlp_with_softmax_cross_entropy_matches_the_double_tape_and_float_differences(int batch, int seed)
    {
        var random = new Random(seed);
        float[,] w1 = Mat(random, 6, 4), w2 = Mat(random, 3, 6), xs = Mat(random, batch, 4);
        float[] b1 = Vec(random, 6), b2 = Vec(random, 3);
        int[] labels = Enumerable.Range(0, batch).Select(i => random.Next(3)).ToArray();
        object[] Args(params Array[] extra) => new object[] { w1, b1, w2, b2, xs, labels }.Concat(extra).ToArray();
        Check(
            value: () => (float)Call("Mlp").Invoke(null, Args())!,
            gradient: g => (float)Call("MlpGradient").Invoke(null, Args(g))!,
            tape: g => (double)Call("MlpTape").Invoke(null, Args(g))!,
            inputs: [w1, b1, w2, b2]);
    }

    [Fact]
    public void The_float_jvp_is_the_gradient_dotted_with_the_tangents()
    {
        var random = new Random(7);
        float[,] w = Mat(random, 4, 3), tw = Mat(random, 4, 3);
        float[] b = Vec(random, 4), x = Vec(random, 3), y = Vec(random, 3), tb = Vec(random, 4), tx = Vec(random, 3);
        float[,] dw = new float[4, 3];
        float[] db = new float[4], dx = new float[3];
        Call("LayerGradient").Invoke(null, [w, b, x, y, 0, dw, db, dx]);
        float derivative = (float)Call("LayerJvp").Invoke(null, [w, b, x, y, 0, tw, tb, tx])!;
        double expected = Dot(dw, tw) + Dot(db, tb) + Dot(dx, tx);
        Assert.InRange(derivative, expected - 1e-4 * Math.Max(1, Math.Abs(expected)), expected + 1e-4 * Math.Max(1, Math.Abs(expected)));
    }

    [Fact]
    public void The_float_gradient_computes_in_float_and_saves_floats_exactly()
    {
        string code = GeneratorHarness.Run(Source).Sources.Single(s => s.Key.Contains("FloatModels")).Value;
        string gradient = Member(code, "public static float MlpGradient(");
        // Every value is a float; only the tape (doubles, which hold a float exactly) and its spans are double.
        Assert.DoesNotContain("double ", gradient.Replace("global::System.Span<double> saved", "").Replace("global::System.ReadOnlySpan<double> restored", ""));
        Assert.Contains("global::System.MathF.Exp(", gradient);
        Assert.Contains("tape.AllocateSingle(", gradient);
        Assert.Contains("(float)restored[", gradient);
        Assert.DoesNotContain("global::System.Math.", gradient);
    }

    [Theory]
    [InlineData("public static float F(float x) => (float)(x * 2.0);", "'x * 2.0' is double in the float method 'F'")]
    [InlineData("public static float F(float x) => (float)Math.Exp(x);", "'Math.Exp(x)' is double in the float method 'F'")]
    [InlineData("public static float F(float x, double y) => x;", "The parameter 'y' is double in the float method 'F'")]
    [InlineData("public static float F(float[] x) { double[] a = new double[2]; a[0] = x[0]; return x[0]; }", "is double in the float method 'F'")]
    [InlineData("public static double F(double x) { float y = (float)x; return y; }", "is float in the double method 'F'")]
    public void Mixing_float_and_double_is_SG0019_on_the_offending_syntax(string method, string message)
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything($$"""
            using System;
            using SymGrad;
            public static partial class Mixed
            {
                [Differentiable]
                {{method}}
            }
            """);
        // Lowering goes on after an error: a double local makes its uses double too (each reported on its own syntax).
        Assert.NotEmpty(run.SymGradDiagnostics);
        Assert.All(run.SymGradDiagnostics, d => Assert.Equal("SG0019", d.Id));
        Assert.Contains(message, run.SymGradDiagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The checks: the gradient's value is the method's own to the bit (the same float operations in the same order);
    /// each partial is the tape's to a float tolerance (the float rounding of a sum of a few dozen terms), and float
    /// central differences' to a looser one (their own rounding, about eps / h).
    /// </summary>
    private static void Check(Func<float> value, Func<Array[], float> gradient, Func<Array[], double> tape, Array[] inputs)
    {
        Array[] grads = inputs.Select(a => Array.CreateInstance(typeof(float), Shape(a))).ToArray();
        foreach (Array g in grads) Fill(g, float.NaN); // overwritten, never accumulated
        float primal = value();
        Assert.Equal(BitConverter.SingleToInt32Bits(primal), BitConverter.SingleToInt32Bits(gradient(grads)));

        Array[] reference = inputs.Select(a => Array.CreateInstance(typeof(double), Shape(a))).ToArray();
        double tapeValue = tape(reference);
        Assert.InRange(tapeValue, primal - 1e-5 * Math.Max(1, Math.Abs(primal)), primal + 1e-5 * Math.Max(1, Math.Abs(primal)));
        double scale = Math.Max(1, reference.SelectMany(Elements).Select(e => Math.Abs((double)e.Array.GetValue(e.Index)!)).Max());
        int checkedElements = 0;
        for (int p = 0; p < inputs.Length; p++)
        {
            foreach ((Array _, int[] index) in Elements(inputs[p]))
            {
                double expected = (double)reference[p].GetValue(index)!;
                float actual = (float)grads[p].GetValue(index)!;
                Assert.True(Math.Abs(actual - expected) <= 1e-4 * scale, $"input {p}[{string.Join(",", index)}]: gradient {actual}, tape {expected}");

                float x = (float)inputs[p].GetValue(index)!;
                float h = 1e-2f * Math.Max(1f, Math.Abs(x));
                inputs[p].SetValue(x + h, index);
                float up = value();
                inputs[p].SetValue(x - h, index);
                float down = value();
                inputs[p].SetValue(x, index);
                double difference = ((double)up - down) / ((double)(x + h) - (x - h));
                Assert.True(Math.Abs(difference - expected) <= 1e-2 * scale, $"input {p}[{string.Join(",", index)}]: differences {difference}, tape {expected}");
                checkedElements++;
            }
        }
        Assert.True(checkedElements >= 2);
    }

    private static int[] Shape(Array a) => Enumerable.Range(0, a.Rank).Select(a.GetLength).ToArray();

    private static IEnumerable<(Array Array, int[] Index)> Elements(Array a) => a.Rank == 1
        ? Enumerable.Range(0, a.Length).Select(i => (a, new[] { i }))
        : Enumerable.Range(0, a.GetLength(0)).SelectMany(i => Enumerable.Range(0, a.GetLength(1)).Select(j => (a, new[] { i, j })));

    private static void Fill(Array a, float v)
    {
        foreach ((Array _, int[] index) in Elements(a)) a.SetValue(v, index);
    }

    private static float[] Vec(Random r, int n) => Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();

    private static float[,] Mat(Random r, int rows, int columns)
    {
        var m = new float[rows, columns];
        for (int i = 0; i < rows; i++) for (int j = 0; j < columns; j++) m[i, j] = (float)(r.NextDouble() * 2 - 1);
        return m;
    }

    private static double Dot(Array a, Array b) => Elements(a).Sum(e => (double)(float)a.GetValue(e.Index)! * (float)b.GetValue(e.Index)!);

    /// <summary>The text of one generated member, from its signature to the next member's documentation.</summary>
    private static string Member(string code, string signature)
    {
        int start = code.IndexOf(signature, StringComparison.Ordinal);
        Assert.True(start >= 0, "no " + signature);
        int end = code.IndexOf("/// <summary>", start, StringComparison.Ordinal);
        return code.Substring(start, (end < 0 ? code.Length : end) - start);
    }
}

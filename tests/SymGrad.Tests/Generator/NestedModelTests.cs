using System.Reflection;

namespace SymGrad.Tests.Generator;

/// <summary>
/// Model objects held in fields (issue 14, item 2): a model whose layers are objects of their own (<c>Layer L1</c>),
/// down two levels (<c>Encoder.Hidden</c>), with a layer method called on each (<c>L1.Unit(x, j)</c>, inlined reading
/// that layer's fields). The gradient writes each layer field's derivative into the same layer field of the gradient
/// instance. Checked against the tape twin, central finite differences on every weight, and a [NoDerivative] layer
/// left alone; null layers are exceptions naming the field.
/// </summary>
public class NestedModelTests
{
    internal const string Source = """
        using System;
        using SymGrad;

        namespace Layers;

        public sealed partial class Layer
        {
            public double[,] W;
            public double[] B;

            public Layer(int outputs, int inputs)
            {
                W = new double[outputs, inputs];
                B = new double[outputs];
            }

            /// <summary>One unit's activation.</summary>
            [Differentiable]
            public double Unit(double[] x, int j)
            {
                double a = B[j];
                for (int k = 0; k < x.Length; k++) a += W[j, k] * x[k];
                return Math.Tanh(a);
            }
        }

        public sealed class Encoder
        {
            public Layer Hidden = new(2, 3);
            public double Gain = 1.0;
        }

        public sealed partial class Net
        {
            public Layer L1 = new(4, 3);
            public Layer L2 = new(1, 4);
            public Encoder Enc = new();
            [NoDerivative] public Layer Frozen = new(1, 3);
            public double Bias;

            [Differentiable]
            public double Loss([NoDerivative] double[] x, [NoDerivative] double y)
            {
                double z = Bias + L2.B[0];
                for (int j = 0; j < L1.W.GetLength(0); j++) z += L2.W[0, j] * L1.Unit(x, j);
                z += Enc.Gain * Enc.Hidden.Unit(x, 1) + Frozen.Unit(x, 0);
                double e = z - y;
                return e * e;
            }
        }

        public sealed partial class Bad
        {
            public Layer[] Stack = [new(1, 1)];

            [Differentiable]
            public double F(double x) => Stack[0].B[0] * x;
        }

        public static class Driver
        {
            public static Net Make() => new();

            public static double Value(Net m, double[] x, double y) => m.Loss(x, y);

            public static double Gradient(Net m, double[] x, double y, Net g) => m.LossGradient(x, y, g);

            public static double Tape(Net m, double[] x, double y, Net g)
            {
                Value[,] l1w = SymGrad.Value.Leaves(m.L1.W), l2w = SymGrad.Value.Leaves(m.L2.W), hw = SymGrad.Value.Leaves(m.Enc.Hidden.W);
                Value[] l1b = SymGrad.Value.Leaves(m.L1.B), l2b = SymGrad.Value.Leaves(m.L2.B), hb = SymGrad.Value.Leaves(m.Enc.Hidden.B);
                var gain = new Value(m.Enc.Gain);
                var bias = new Value(m.Bias);
                Value loss = m.LossTape(l1w, l1b, l2w, l2b, hw, hb, gain, bias, x, y);
                loss.Backward();
                Copy(l1w, g.L1.W); Copy(l2w, g.L2.W); Copy(hw, g.Enc.Hidden.W);
                for (int i = 0; i < l1b.Length; i++) g.L1.B[i] = l1b[i].Grad;
                for (int i = 0; i < l2b.Length; i++) g.L2.B[i] = l2b[i].Grad;
                for (int i = 0; i < hb.Length; i++) g.Enc.Hidden.B[i] = hb[i].Grad;
                g.Enc.Gain = gain.Grad;
                g.Bias = bias.Grad;
                return loss.Data;
            }

            private static void Copy(Value[,] from, double[,] to)
            {
                for (int i = 0; i < from.GetLength(0); i++)
                {
                    for (int j = 0; j < from.GetLength(1); j++) to[i, j] = from[i, j].Grad;
                }
            }

            public static long AllocatedBySecondCall(Net m, double[] x, double y, Net g)
            {
                m.LossGradient(x, y, g);
                long before = GC.GetAllocatedBytesForCurrentThread();
                m.LossGradient(x, y, g);
                return GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }
        """;

    private static readonly Lazy<LoadedAssembly> Loaded = new(() =>
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.Compile(GeneratorHarness.DocumentedParseOptions, Source.Replace(BadClass, "")));
        run.AssertCompilesCleanly();
        return run.Load();
    });

    private static string BadClass => Source[Source.IndexOf("public sealed partial class Bad", StringComparison.Ordinal)..Source.IndexOf("public static class Driver", StringComparison.Ordinal)];

    private static object Call(string name, params object[] args) => Loaded.Value.Method("Layers.Driver", name).Invoke(null, args)!;

    private static object Get(object o, string name) => o.GetType().GetField(name, BindingFlags.Public | BindingFlags.Instance)!.GetValue(o)!;

    private static void Set(object o, string name, object? value) => o.GetType().GetField(name, BindingFlags.Public | BindingFlags.Instance)!.SetValue(o, value);

    /// <summary>Every differentiated weight as a (getter, setter) pair, in a fixed order.</summary>
    private static List<(string Name, Func<double> Get, Action<double> Set)> Weights(object net)
    {
        var weights = new List<(string, Func<double>, Action<double>)>();
        void Layer(string name, object layer)
        {
            var w = (double[,])Get(layer, "W");
            var b = (double[])Get(layer, "B");
            for (int i = 0; i < w.GetLength(0); i++)
            {
                for (int j = 0; j < w.GetLength(1); j++)
                {
                    (int r, int c) = (i, j);
                    weights.Add(($"{name}.W[{r},{c}]", () => w[r, c], v => w[r, c] = v));
                }
            }
            for (int i = 0; i < b.Length; i++)
            {
                int k = i;
                weights.Add(($"{name}.B[{k}]", () => b[k], v => b[k] = v));
            }
        }
        Layer("L1", Get(net, "L1"));
        Layer("L2", Get(net, "L2"));
        object enc = Get(net, "Enc");
        Layer("Enc.Hidden", Get(enc, "Hidden"));
        weights.Add(("Enc.Gain", () => (double)Get(enc, "Gain"), v => Set(enc, "Gain", v)));
        weights.Add(("Bias", () => (double)Get(net, "Bias"), v => Set(net, "Bias", v)));
        return weights;
    }

    private static object Model(int seed)
    {
        var random = new Random(seed);
        object net = Call("Make");
        foreach (var w in Weights(net)) w.Set(random.NextDouble() * 2 - 1);
        foreach (var frozen in new[] { (double[,])Get(Get(net, "Frozen"), "W") })
        {
            for (int j = 0; j < 3; j++) frozen[0, j] = random.NextDouble() - 0.5;
        }
        return net;
    }

    [Theory]
    [InlineData(1, 0.4)]
    [InlineData(2, -0.8)]
    public void Layer_fields_get_their_derivatives_in_the_gradients_layers(int seed, double y)
    {
        object m = Model(seed), g = Call("Make"), t = Call("Make");
        double[] x = [0.3, -0.7, 0.9];
        var frozenGradient = (double[,])Get(Get(g, "Frozen"), "W");
        frozenGradient[0, 0] = 42; // a [NoDerivative] layer: its gradient layer is not touched
        foreach (var w in Weights(g)) w.Set(1e3); // stale values: overwritten, not added to
        double loss = (double)Call("Gradient", m, x, y, g);
        Assert.Equal((double)Call("Value", m, x, y), loss);
        Assert.Equal(42, frozenGradient[0, 0]);
        Assert.Equal((double)Call("Tape", m, x, y, t), loss, 1e-14);
        List<(string Name, Func<double> Get, Action<double> Set)> gradient = Weights(g), tape = Weights(t), weights = Weights(m);
        Assert.Equal(31, gradient.Count);
        Assert.Contains(gradient, d => Math.Abs(d.Get()) > 1e-2);
        for (int i = 0; i < gradient.Count; i++)
        {
            double got = gradient[i].Get(), reference = tape[i].Get();
            Assert.True(Math.Abs(got - reference) <= 1e-12 * (1 + Math.Abs(reference)), $"{gradient[i].Name}: {got} vs tape {reference}");
            const double h = 1e-6;
            double at = weights[i].Get();
            weights[i].Set(at + h);
            double up = (double)Call("Value", m, x, y);
            weights[i].Set(at - h);
            double down = (double)Call("Value", m, x, y);
            weights[i].Set(at);
            double difference = (up - down) / (2 * h);
            Assert.True(Math.Abs(got - difference) <= 1e-6 * (1 + Math.Abs(difference)), $"{gradient[i].Name}: {got} vs differences {difference}");
        }
        Assert.Equal(0, (long)Call("AllocatedBySecondCall", m, x, y, g));
    }

    [Fact]
    public void A_null_layer_is_an_exception_naming_the_field()
    {
        object m = Model(3), g = Call("Make");
        double[] x = [0.1, 0.2, 0.3];
        Set(m, "L2", null);
        var model = Assert.IsType<InvalidOperationException>(Assert.Throws<TargetInvocationException>(() => Call("Gradient", m, x, 0.5, g)).InnerException);
        Assert.Equal("The field L2 is null: the method reads L2.W, L2.B.", model.Message);
        m = Model(3);
        Set(Get(g, "Enc"), "Hidden", null);
        var gradient = Assert.IsType<ArgumentException>(Assert.Throws<TargetInvocationException>(() => Call("Gradient", m, x, 0.5, g)).InnerException);
        Assert.Equal("gradient", gradient.ParamName);
        Assert.StartsWith("gradient.Enc.Hidden is null", gradient.Message);
    }

    [Fact]
    public void An_array_of_layers_is_SG0011_saying_to_hold_each_layer_in_a_field()
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything("using System;\nusing SymGrad;\nnamespace Layers;\n" + Source[Source.IndexOf("public sealed partial class Layer", StringComparison.Ordinal)..Source.IndexOf("public sealed class Encoder", StringComparison.Ordinal)] + BadClass);
        Microsoft.CodeAnalysis.Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal("SG0011", d.Id);
        Assert.Equal("Stack", run.LocatedText(d));
        Assert.Contains("arrays of model objects are not followed yet; hold each Layer in a field of its own", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_gradient_reads_each_layer_field_into_a_local_named_after_its_path()
    {
        GeneratorRun run = GeneratorHarness.Run(Source.Replace(BadClass, ""));
        string net = run.Sources.Single(s => s.Key.Contains("Net")).Value;
        Assert.Contains("double[,] L1_W = this.L1.W;", net);
        Assert.Contains("double[,] Enc_Hidden_W = this.Enc.Hidden.W;", net);
        Assert.Contains("double[,] dL1_W = gradient.L1.W;", net);
        Assert.Contains("public global::SymGrad.Value LossTape(global::SymGrad.Value[,] L1_W, global::SymGrad.Value[] L1_B, global::SymGrad.Value[,] L2_W, global::SymGrad.Value[] L2_B, global::SymGrad.Value[,] Enc_Hidden_W, global::SymGrad.Value[] Enc_Hidden_B, global::SymGrad.Value Enc_Gain, global::SymGrad.Value Bias, double[] x, double y)", net);
    }
}

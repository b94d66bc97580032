using System.Reflection;
using Microsoft.CodeAnalysis;

namespace SymGrad.Tests.Generator;

/// <summary>
/// Model classes: an instance [Differentiable] method reading the weights in its fields gets an instance gradient
/// that writes each field's derivative into the same field of a second instance (<c>model.LossGradient(x, y,
/// gradient)</c>). Checked against the tape twin (the fields' leaves), central finite differences on every weight,
/// and a closed form for a static table; [NoDerivative] fields are left alone; bad gradients are exceptions naming
/// the argument; what stays outside is a diagnostic on its syntax.
/// </summary>
public class ModelClassTests
{
    internal const string Source = """
        using System;
        using SymGrad;

        namespace Models;

        public sealed partial class Mlp
        {
            public double[,] W1;
            public double[] B1;
            public double[] W2;
            public double B2;
            [NoDerivative] public double Temperature = 1.5;
            private static readonly double[] Scale = [1.0, 0.5, 2.0];

            public Mlp(int inputs, int hidden)
            {
                W1 = new double[hidden, inputs];
                B1 = new double[hidden];
                W2 = new double[hidden];
            }

            /// <summary>The squared error of one sample.</summary>
            [Differentiable]
            public double Loss([NoDerivative] double[] x, [NoDerivative] double y)
            {
                double z = B2;
                for (int j = 0; j < W1.GetLength(0); j++)
                {
                    double a = B1[j];
                    for (int k = 0; k < x.Length; k++) a += W1[j, k] * x[k] * Scale[k];
                    z += W2[j] * Math.Tanh(a / Temperature);
                }
                double e = z - this.y0 - y;
                return e * e;
            }

            [NoDerivative] public double y0 = 0.25;
        }

        public static partial class Tables
        {
            private static readonly double[] Weights = [0.5, 1.5, -2.0];

            [Differentiable]
            public static double Weighted(double[] v)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++) s += Weights[i] * v[i] * v[i];
                return s;
            }
        }

        /// <summary>What a user writes: build a model, call its gradient, read its tape twin.</summary>
        public static class Driver
        {
            public static Mlp Make(int inputs, int hidden) => new(inputs, hidden);

            public static double Value(Mlp m, double[] x, double y) => m.Loss(x, y);

            public static double Gradient(Mlp m, double[] x, double y, Mlp g) => m.LossGradient(x, y, g);

            public static double Tape(Mlp m, double[] x, double y, Mlp g)
            {
                Value[,] w1 = SymGrad.Value.Leaves(m.W1);
                Value[] b1 = SymGrad.Value.Leaves(m.B1), w2 = SymGrad.Value.Leaves(m.W2);
                var b2 = new Value(m.B2);
                Value loss = m.LossTape(w1, b1, w2, b2, x, y);
                loss.Backward();
                for (int j = 0; j < w1.GetLength(0); j++)
                {
                    for (int k = 0; k < w1.GetLength(1); k++) g.W1[j, k] = w1[j, k].Grad;
                    g.B1[j] = b1[j].Grad;
                    g.W2[j] = w2[j].Grad;
                }
                g.B2 = b2.Grad;
                return loss.Data;
            }

            public static long AllocatedBySecondCall(Mlp m, double[] x, double y, Mlp g)
            {
                m.LossGradient(x, y, g);
                long before = GC.GetAllocatedBytesForCurrentThread();
                m.LossGradient(x, y, g);
                return GC.GetAllocatedBytesForCurrentThread() - before;
            }

            public static double Weighted(double[] v, double[] dV) => Tables.WeightedGradient(v, dV);
        }
        """;

    private static readonly Lazy<LoadedAssembly> Loaded = new(() =>
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.Compile(GeneratorHarness.DocumentedParseOptions, Source));
        run.AssertCompilesCleanly(); // with documentation diagnostics on: the crefs and params of the fields are right
        return run.Load();
    });

    private static object Call(string name, params object[] args) =>
        Loaded.Value.Method("Models.Driver", name).Invoke(null, args)!;

    private static T Field<T>(object model, string name) =>
        (T)model.GetType().GetField(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(model)!;

    private static void SetField(object model, string name, object value) =>
        model.GetType().GetField(name, BindingFlags.Public | BindingFlags.Instance)!.SetValue(model, value);

    /// <summary>A 3-input, 4-hidden model with weights of both signs, biases away from 0.</summary>
    private static object Model(int seed)
    {
        var random = new Random(seed);
        object m = Call("Make", 3, 4);
        double[,] w1 = Field<double[,]>(m, "W1");
        for (int j = 0; j < 4; j++)
        {
            for (int k = 0; k < 3; k++) w1[j, k] = random.NextDouble() * 2 - 1;
            Field<double[]>(m, "B1")[j] = random.NextDouble() - 0.5;
            Field<double[]>(m, "W2")[j] = random.NextDouble() * 2 - 1;
        }
        SetField(m, "B2", random.NextDouble() - 0.5);
        return m;
    }

    /// <summary>The model's weights in declaration order: W1 row-major, B1, W2, B2 (references into its arrays, but B2).</summary>
    private static double[] Weights(object m) =>
    [
        .. Field<double[,]>(m, "W1").Cast<double>(), .. Field<double[]>(m, "B1"), .. Field<double[]>(m, "W2"), Field<double>(m, "B2"),
    ];

    /// <summary>Adds <paramref name="h"/> to weight <paramref name="i"/> (in <see cref="Weights"/> order).</summary>
    private static void Nudge(object m, int i, double h)
    {
        double[,] w1 = Field<double[,]>(m, "W1");
        if (i < 12)
        {
            w1[i / 3, i % 3] += h;
            return;
        }
        i -= 12;
        if (i < 4) Field<double[]>(m, "B1")[i] += h;
        else if (i < 8) Field<double[]>(m, "W2")[i - 4] += h;
        else SetField(m, "B2", Field<double>(m, "B2") + h);
    }

    [Theory]
    [InlineData(1, 0.7)]
    [InlineData(2, -1.3)]
    [InlineData(3, 0.05)]
    public void The_gradient_goes_into_a_second_model_and_matches_the_tape_and_finite_differences(int seed, double y)
    {
        object m = Model(seed), g = Call("Make", 3, 4), t = Call("Make", 3, 4);
        double[] x = [0.4, -0.9, 0.3];
        SetField(g, "Temperature", 42.0); // a [NoDerivative] field: the gradient leaves it alone
        double loss = (double)Call("Gradient", m, x, y, g);
        Assert.Equal((double)Call("Value", m, x, y), loss); // the same operations: bit for bit
        Assert.Equal(42.0, Field<double>(g, "Temperature"));
        double tapeLoss = (double)Call("Tape", m, x, y, t);
        Assert.Equal(tapeLoss, loss, 1e-14);

        double[] gradient = Weights(g), tape = Weights(t);
        Assert.Equal(21, gradient.Length);
        Assert.Contains(gradient, d => Math.Abs(d) > 1e-2);
        for (int i = 0; i < gradient.Length; i++)
        {
            Assert.True(Math.Abs(gradient[i] - tape[i]) <= 1e-12 * (1 + Math.Abs(tape[i])), $"weight {i}: {gradient[i]} vs tape {tape[i]}");
            const double h = 1e-6;
            Nudge(m, i, h);
            double up = (double)Call("Value", m, x, y);
            Nudge(m, i, -2 * h);
            double down = (double)Call("Value", m, x, y);
            Nudge(m, i, h);
            double difference = (up - down) / (2 * h);
            Assert.True(Math.Abs(gradient[i] - difference) <= 1e-6 * (1 + Math.Abs(difference)), $"weight {i}: {gradient[i]} vs differences {difference}");
        }
    }

    [Fact]
    public void The_gradient_overwrites_the_second_model_and_allocates_nothing_once_warm()
    {
        object m = Model(5), g = Call("Make", 3, 4), fresh = Call("Make", 3, 4);
        double[] x = [0.1, 0.2, -0.6];
        Call("Gradient", m, x, 0.3, fresh);
        double[] garbage = Weights(g);
        for (int i = 0; i < garbage.Length; i++) Nudge(g, i, 100 + i); // stale values from an earlier step
        Call("Gradient", m, x, 0.3, g);
        Assert.Equal(Weights(fresh), Weights(g));
        Assert.Equal(0L, (long)Call("AllocatedBySecondCall", m, x, 0.3, g));
    }

    [Fact]
    public void A_missing_or_misshaped_gradient_or_the_model_itself_is_an_exception_naming_the_gradient_or_the_field()
    {
        object m = Model(7);
        double[] x = [0.1, 0.2, -0.6];
        Exception Thrown(object? g) => Assert.Throws<TargetInvocationException>(() => Loaded.Value.Method("Models.Driver", "Gradient").Invoke(null, [m, x, 0.5, g])).InnerException!;

        Assert.Equal("gradient", Assert.IsType<ArgumentNullException>(Thrown(null)).ParamName);
        var self = Assert.IsType<ArgumentException>(Thrown(m));
        Assert.Equal("gradient", self.ParamName);
        Assert.Contains("another instance", self.Message);
        var wrong = Assert.IsType<ArgumentException>(Thrown(Call("Make", 2, 4)));
        Assert.Equal("gradient", wrong.ParamName);
        Assert.Contains("gradient.W1 must have the shape of W1 (4 x 3)", wrong.Message);
        object noArrays = Call("Make", 3, 4);
        SetField(noArrays, "B1", null!);
        Assert.Contains("gradient.B1 is null", Assert.IsType<ArgumentException>(Thrown(noArrays)).Message);
        SetField(m, "W2", null!);
        // A field of the model itself is no argument: its absence is an invalid state of the model, named as a field.
        Assert.Equal("The field W2 is null: the method reads it.", Assert.IsType<InvalidOperationException>(Thrown(Call("Make", 3, 4))).Message);
    }

    [Fact]
    public void A_static_table_is_read_where_it_is_and_is_no_parameter_of_the_gradient()
    {
        double[] v = [0.3, -1.1, 0.7], dV = new double[3];
        double value = (double)Call("Weighted", v, dV);
        double[] weights = [0.5, 1.5, -2.0];
        Assert.Equal(weights.Select((w, i) => w * v[i] * v[i]).Sum(), value, 1e-15);
        for (int i = 0; i < 3; i++) Assert.Equal(2 * weights[i] * v[i], dV[i], 1e-15);
        MethodInfo gradient = Loaded.Value.Assembly.GetType("Models.Tables")!.GetMethod("WeightedGradient")!;
        Assert.Equal(["v", "dV"], gradient.GetParameters().Select(p => p.Name));
    }

    [Fact]
    public void The_gradient_is_an_instance_method_taking_the_models_type_and_the_tape_twin_the_fields_leaves()
    {
        Type mlp = Loaded.Value.Assembly.GetType("Models.Mlp")!;
        MethodInfo gradient = mlp.GetMethod("LossGradient")!;
        Assert.False(gradient.IsStatic);
        Assert.Equal(["x", "y", "gradient"], gradient.GetParameters().Select(p => p.Name));
        Assert.Equal(mlp, gradient.GetParameters()[2].ParameterType);
        MethodInfo tape = mlp.GetMethod("LossTape")!;
        Assert.Equal(["W1", "B1", "W2", "B2", "x", "y"], tape.GetParameters().Select(p => p.Name));
    }

    [Theory]
    [InlineData(0.3, -1.1, 0.7)]
    [InlineData(-2.0, 0.4, 1.9)]
    public void Static_ReadOnlySpan_properties_are_constant_data_read_where_they_are(double a, double b, double c)
    {
        var probes = Probe.Load(GeneratorHarness.Run("""
            using System;
            using SymGrad;
            public static partial class Spans
            {
                private static ReadOnlySpan<double> Weights => [0.5, 1.5, -2.0];
                private static ReadOnlySpan<int> Order => [2, 0, 1];

                [Differentiable]
                public static double F(double[] v)
                {
                    double s = 0;
                    for (int i = 0; i < Weights.Length; i++) s += Weights[i] * v[Order[i]] * v[i];
                    return s;
                }
            }
            """), "F").Probes;
        double[] v = [a, b, c];
        GradientCorrectnessTests.CheckPoint("F", probes["F"], [v]);
        Assert.Equal(0.5 * c * a + 1.5 * a * b - 2.0 * b * c, probes["F"].Value([v]), 1e-15);
    }

    [Fact]
    public void A_layer_method_called_on_this_is_inlined_and_its_field_reads_are_the_models()
    {
        LoadedAssembly loaded = GeneratorHarness.Run(LayerSource).Load();
        Type net = loaded.Assembly.GetType("Net")!;
        object model = Activator.CreateInstance(net)!, gradient = Activator.CreateInstance(net)!;
        var random = new Random(5);
        double[][] weights = [[.. Enumerable.Range(0, 6).Select(_ => random.NextDouble() - 0.5)], [0.1, -0.2, 0.3], [0.7, -0.4, 0.9]];
        double[,] w1 = Field<double[,]>(model, "W1");
        for (int q = 0; q < 6; q++) w1[q / 2, q % 2] = weights[0][q];
        weights[1].CopyTo(Field<double[]>(model, "B1"), 0);
        weights[2].CopyTo(Field<double[]>(model, "W2"), 0);
        double[] x = [0.4, -1.3];
        double Loss() => (double)net.GetMethod("Loss")!.Invoke(model, [x, 0.2])!;
        double value = (double)net.GetMethod("LossGradient")!.Invoke(model, [x, 0.2, gradient])!;
        Assert.Equal(Loss(), value);
        // Every weight's derivative against central differences of the model's own Loss.
        void Check(Func<double> get, Action<double> set, double derivative)
        {
            double at = get(), h = 1e-6;
            set(at + h);
            double up = Loss();
            set(at - h);
            double down = Loss();
            set(at);
            Assert.Equal((up - down) / (2 * h), derivative, 1e-7);
        }
        double[,] dW1 = Field<double[,]>(gradient, "W1");
        for (int q = 0; q < 6; q++) Check(() => w1[q / 2, q % 2], v => w1[q / 2, q % 2] = v, dW1[q / 2, q % 2]);
        foreach (string name in new[] { "B1", "W2" })
        {
            double[] w = Field<double[]>(model, name), d = Field<double[]>(gradient, name);
            for (int j = 0; j < 3; j++) Check(() => w[j], v => w[j] = v, d[j]);
        }
    }

    private const string LayerSource = """
        using System;
        using SymGrad;
        public sealed partial class Net
        {
            public double[,] W1 = new double[3, 2]; public double[] B1 = new double[3]; public double[] W2 = new double[3];
            [NoDerivative] public double Scale = 1.0;

            [Differentiable]
            private double Hidden(ReadOnlySpan<double> x, int j)
            {
                double z = B1[j];
                for (int k = 0; k < x.Length; k++) z += W1[j, k] * x[k];
                return Math.Tanh(z * Scale);
            }

            [Differentiable]
            public double Loss([NoDerivative] double[] x, [NoDerivative] double y)
            {
                double s = 0;
                for (int j = 0; j < W2.Length; j++) s += W2[j] * Hidden(x, j);
                double e = s - y;
                return e * e;
            }
        }
        """;

    [Fact] // found by ModelFuzzTests: the adjoint of a field read at constant indices was a double[], which has no Slice
    public void A_field_read_at_constant_indices_gets_its_whole_gradient_written()
    {
        LoadedAssembly loaded = GeneratorHarness.Run("""
            using SymGrad;
            public sealed partial class Tiny
            {
                public double[] W = new double[4];

                [Differentiable]
                public double F(double x) => W[0] * x + W[2] * W[2];
            }
            """).Load();
        Type tiny = loaded.Assembly.GetType("Tiny")!;
        object model = Activator.CreateInstance(tiny)!, gradient = Activator.CreateInstance(tiny)!;
        SetField(model, "W", new[] { 0.5, 7.0, -1.5, 9.0 });
        SetField(gradient, "W", new[] { 1e3, 1e3, 1e3, 1e3 });
        object?[] args = [0.25, 1e3, gradient];
        double value = (double)tiny.GetMethod("FGradient")!.Invoke(model, args)!;
        Assert.Equal(0.5 * 0.25 + 2.25, value);
        Assert.Equal(0.5, (double)args[1]!); // dX
        Assert.Equal([0.25, 0.0, -3.0, 0.0], Field<double[]>(gradient, "W"));
    }

    [Theory]
    [InlineData("public double W; public Holder? Other; [Differentiable] public double F(double x) { var o = Other; return o!.W * x; }", "SG0011", "o = Other", "A local of type 'Holder?'")]
    [InlineData("[Differentiable] public static double F(double x) => Config.Scale * x;", "SG0011", "Config.Scale", "of another object or type")]
    [InlineData("public System.Collections.Generic.List<double> Ws = new(); [Differentiable] public double F(double x) => Ws[0] * x;", "SG0011", "Ws", "of type")]
    [InlineData("public double W; [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward)] public double F(double x) => W * x;", "SG0016", "F", "reads the fields W")]
    [InlineData("public double x; [Differentiable] public double F(double x) => this.x * x;", "SG0011", "this.x", "in a method with a parameter named 'x'")]
    [InlineData("public float W; [Differentiable] public double F(double x) => W * x;", "SG0019", "W", "field 'W'")]
    [InlineData("public double W; [Differentiable] public double F(double x) { W = x; return x; }", "SG0011", "W = x", "Assigning to the member 'W'")]
    public void What_a_model_method_cannot_do_is_a_diagnostic_on_its_syntax(string members, string id, string located, string message)
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything($$"""
            using System;
            using SymGrad;
            public sealed partial class Holder
            {
                {{members}}
            }
            public static class Config { public static double Scale = 2; }
            """);
        Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(located, run.LocatedText(d));
        Assert.Contains(message, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}

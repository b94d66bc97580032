using Microsoft.CodeAnalysis;

namespace SymGrad.Tests.Generator;

/// <summary>
/// Calls of static void methods (logging, asserts) are kept for their side effects: every generated method makes
/// each call where the method makes it, with the same arguments, and none in a backward sweep. String locals and
/// interpolated strings are text those calls read. The gradient is unchanged by them (tape, finite differences).
/// </summary>
public class SideCallTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using SymGrad;

        public static class Log
        {
            public static readonly List<string> Lines = new();

            public static void Write(string line) { lock (Lines) Lines.Add(line); }

            public static void Value(string name, double value) { lock (Lines) Lines.Add(name + "=" + value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)); }

            public static void Check(bool condition, string message) { if (!condition) throw new InvalidOperationException(message); }
        }

        public static partial class Logged
        {
            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.HessianVector)]
            public static double Model(double[] w, double x, int n)
            {
                const string label = "loss";
                string head = $"{label} {{n}} \"q\" = {n,3}";
                Log.Check(n <= w.Length, "n must not exceed the weights");
                Log.Write(head);
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    double t = Math.Tanh(w[i] * x);
                    s += t * t;
                    Log.Write("step " + i + " of " + (n - 1) + $": {(x > 0 ? 1 : -1)}");
                    Log.Value("t", t);
                }
                Log.Value("s", s);
                return s * x;
            }
        }

        public static class Calls
        {
            public static double Value(double[] w, double x, int n) => Logged.Model(w, x, n);

            public static double Gradient(double[] w, double x, int n) { var dW = new double[w.Length]; double dX = 0; return Logged.ModelGradient(w, x, n, dW, ref dX); }

            public static double Jvp(double[] w, double x, int n) => Logged.ModelJvp(w, x, n, new double[w.Length], 1.0, out _);

            public static double Hvp(double[] w, double x, int n)
            {
                var dW = new double[w.Length];
                var hvW = new double[w.Length];
                double dX = 0, hvX = 0;
                return Logged.ModelHvp(w, x, n, new double[w.Length], 1.0, dW, ref dX, hvW, ref hvX);
            }

            public static double Tape(double[] w, double x, int n) => Logged.ModelTape(Array.ConvertAll(w, v => new Value(v)), new Value(x), n).Data;

            public static string[] Take() { lock (Log.Lines) { string[] lines = Log.Lines.ToArray(); Log.Lines.Clear(); return lines; } }
        }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorHarness.Run(Source));

    private static readonly Lazy<LoadedAssembly> Loaded = new(() => Run.Value.Load());

    private static readonly Lazy<Dictionary<string, Probe>> Probes = new(() => Probe.Load(Run.Value, "Model").Probes);

    private static (double Value, string[] Lines) Call(string method, double[] w, double x, int n)
    {
        Loaded.Value.Method("Calls", "Take").Invoke(null, null);
        double value = (double)Loaded.Value.Method("Calls", method).Invoke(null, [w, x, n])!;
        return (value, (string[])Loaded.Value.Method("Calls", "Take").Invoke(null, null)!);
    }

    [Fact]
    public void Every_generated_method_makes_the_methods_calls_with_the_same_arguments_once_each()
    {
        double[] w = [0.4, -1.2, 0.9];
        (double value, string[] lines) = Call("Value", w, 0.7, 3);
        Assert.Equal(1 + 2 * 3 + 1, lines.Length);
        Assert.Equal("loss {n} \"q\" =   3", lines[0]);
        Assert.Equal("step 2 of 2: 1", lines[5]);
        Assert.Equal("t=" + Math.Tanh(0.9 * 0.7).ToString("R", System.Globalization.CultureInfo.InvariantCulture), lines[6]);
        foreach (string method in new[] { "Gradient", "Jvp", "Hvp", "Tape" })
        {
            (double v, string[] l) = Call(method, w, 0.7, 3);
            Assert.Equal(value, v, 1e-15);
            Assert.Equal(lines, l);
        }
    }

    [Fact]
    public void A_failing_check_throws_in_the_gradient_where_it_throws_in_the_method()
    {
        double[] w = [0.4];
        foreach (string method in new[] { "Value", "Gradient", "Jvp", "Hvp", "Tape" })
        {
            var e = Assert.Throws<System.Reflection.TargetInvocationException>(() => Call(method, w, 0.7, 2));
            Assert.Equal("n must not exceed the weights", Assert.IsType<InvalidOperationException>(e.InnerException).Message);
        }
    }

    [Theory]
    [InlineData(0.7, 3)]
    [InlineData(-0.4, 2)]
    [InlineData(1.3, 0)]
    public void The_gradient_is_the_same_with_the_calls_kept(double x, int n)
    {
        GradientCorrectnessTests.CheckPoint("Model", Probes.Value["Model"], [new[] { 0.4, -1.2, 0.9 }, x, n]);
    }

    [Fact]
    public void The_calls_are_made_once_each_as_the_source_writes_them()
    {
        string code = Run.Value.Sources.Values.Single();
        string gradient = code[code.IndexOf("ModelGradient(", StringComparison.Ordinal)..code.IndexOf("ModelJvp(", StringComparison.Ordinal)];
        // Five calls in the source, five in the gradient (whose one loop runs each iteration's backward sweep in place).
        Assert.Equal(5, gradient.Split("global::Log.").Length - 1);
        Assert.Contains("global::Log.Write($\"loss {{n}} \\\"q\\\" = {n,3}\");", gradient);
        Assert.Contains("global::Log.Value(\"t\", t.Data);", code); // the tape twin logs the number
    }

    [Theory]
    [InlineData("string s = \"a\"; s = \"b\"; Log.Write(s); return x;", "s = \"b\"", "Assigning the string local 's' again")]
    [InlineData("Log.Many(new[] { x }); return x;", "new[] { x }", "The argument 'new[] { x }' of type 'double[]'")]
    [InlineData("string s = \"a\"; return x * s.Length;", "s.Length", "The member access 's.Length'")]
    [InlineData("Log.Write(x.ToString()); return x;", "x.ToString()", "The string expression 'x.ToString()'")]
    public void What_a_kept_call_cannot_take_is_sg0011_on_its_syntax(string body, string located, string message) =>
        GeneratorHarness.AssertOneDiagnostic(body, "SG0011", located, message, """
            public static class Log
            {
                public static void Write(string line) { }
                public static void Many(double[] values) { }
            }
            """);
}

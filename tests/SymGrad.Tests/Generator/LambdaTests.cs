using Microsoft.CodeAnalysis;

namespace SymGrad.Tests.Generator;

/// <summary>
/// Lambdas held in delegate locals and called directly are inlined at each call, as local functions are: no
/// delegate exists in the generated code. The gradient against the tape and finite differences; a delegate local
/// assigned twice, not holding a lambda, or writing what it captures is SG0011 on its syntax.
/// </summary>
public class LambdaTests
{
    private const string Source = """
        using System;
        using SymGrad;

        public static partial class Lambdas
        {
            [Differentiable]
            public static double Model(double[] w, double x, int n)
            {
                double scale = w[0];
                Func<double, double> act = t => Math.Tanh(scale * t);
                Func<double, double, double> mix = (a, b) => { double m = a * b; return m + a; };
                Func<int, int> twice = static k => 2 * k;
                double s = 0;
                for (int i = 0; i < n; i++) s += mix(act(x + i), w[1]);
                scale = 2; // read by the last call of act: a lambda reads what it captures at the call
                return s + twice(n) * act(x);
            }
        }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorHarness.Run(Source));

    private static readonly Lazy<Dictionary<string, Probe>> Probes = new(() => Probe.Load(Run.Value, "Model").Probes);

    [Theory]
    [InlineData(0.3, -0.4, 0.7, 0)]
    [InlineData(-0.8, 0.6, 1.3, 1)]
    [InlineData(1.2, 0.1, -0.9, 4)]
    public void Lambdas_are_inlined_with_what_they_capture(double w0, double w1, double x, int n)
    {
        GradientCorrectnessTests.CheckPoint("Model", Probes.Value["Model"], [new[] { w0, w1 }, x, n]);
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.Tanh(w0 * (x + i)) * w1 + Math.Tanh(w0 * (x + i));
        Assert.Equal(s + 2 * n * Math.Tanh(2 * x), Probes.Value["Model"].Value([new[] { w0, w1 }, x, n]), 1e-12);
    }

    [Fact]
    public void No_delegate_is_left_in_the_generated_code_and_comments_name_the_lambda()
    {
        string code = Run.Value.Sources.Values.Single();
        Assert.DoesNotContain("Func<", code);
        Assert.DoesNotContain("=>", code.Split('\n').Where(l => !l.TrimStart().StartsWith("//")).Aggregate("", (a, l) => a + l));
        Assert.Contains("// act, line ", code);
    }

    [Theory]
    [InlineData("Func<double, double> f = t => t; f = t => 2 * t; return f(x);", "f = t => 2 * t", "Assigning the delegate local 'f' again")]
    [InlineData("Func<double, double> f = Math.Sin; return f(x);", "f = Math.Sin", "The delegate local 'f' = 'Math.Sin'")]
    [InlineData("double c = 0; Func<double, double> f = t => c += t; return f(x);", "c += t", "The lambda 'f' assigning 'c'")]
    [InlineData("Func<double, bool> f = t => t > 0; return f(x) ? x : 0;", "f = t => t > 0", "The lambda 't => t > 0'")]
    public void What_a_lambda_cannot_do_is_sg0011_on_its_syntax(string body, string located, string message) =>
        GeneratorHarness.AssertOneDiagnostic(body, "SG0011", located, message);
}

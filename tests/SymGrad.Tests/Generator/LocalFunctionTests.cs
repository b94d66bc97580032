using Microsoft.CodeAnalysis;

namespace SymGrad.Tests.Generator;

/// <summary>
/// Local functions called in a [Differentiable] method are inlined at each call, reading what they capture as it
/// stands at the call: the gradient against the tape and finite differences. Writing a captured variable is SG0011,
/// recursion SG0010.
/// </summary>
public class LocalFunctionTests
{
    private const string Source = """
        using System;
        using SymGrad;

        public static partial class Local
        {
            [Differentiable]
            public static double Model(double[] w, double x, int n)
            {
                double scale = 0.5 * w[0];
                double Unit(double z) => Math.Tanh(scale * z) + w[1] * z;
                static double Square(double t) { double u = t * t; return u; }
                int Twice(int k) => 2 * k;
                double s = 0;
                for (int i = 0; i < n; i++) s += Unit(x + i) * Square(w[2] - i);
                scale = 3; // read by the next call of Unit: captured variables are read at the call
                return s + Twice(n) * x + Unit(Square(x));
            }
        }
        """;

    private static readonly Lazy<Dictionary<string, Probe>> Probes =
        new(() => Probe.Load(GeneratorHarness.Run(Source, SampleSources.ImplicitUsings), "Model").Probes);

    [Theory]
    [InlineData(0.3, -0.4, 1.1, 0.7, 0)]
    [InlineData(-0.8, 0.6, 0.2, 1.3, 1)]
    [InlineData(1.2, 0.1, -0.5, -0.9, 3)]
    public void Local_functions_are_inlined_with_what_they_capture(double w0, double w1, double w2, double x, int n)
    {
        GradientCorrectnessTests.CheckPoint("Model", Probes.Value["Model"], [new[] { w0, w1, w2 }, x, n]);
        // The value at the call, not at the declaration: the last Unit reads scale = 3.
        double s = 0;
        for (int i = 0; i < n; i++) s += (Math.Tanh(0.5 * w0 * (x + i)) + w1 * (x + i)) * (w2 - i) * (w2 - i);
        double expected = s + 2 * n * x + Math.Tanh(3 * x * x) + w1 * x * x;
        Assert.Equal(expected, Probes.Value["Model"].Value([new[] { w0, w1, w2 }, x, n]), 1e-12);
    }

    [Theory]
    [InlineData("double t = x; double Bump() { t += 1; return t; } return Bump() + t;", "assigning 't'")]
    [InlineData("double Twice(double y) => y < 0 ? y : Twice(y - 1); return Twice(x);", null)]
    public void A_local_function_writing_what_it_captures_or_calling_itself_is_refused(string body, string? message)
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything($$"""
            using System;
            using SymGrad;
            public static partial class Bad
            {
                [Differentiable]
                public static double F(double x) { {{body}} }
            }
            """);
        Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal(message is null ? "SG0010" : "SG0011", d.Id);
        if (message is not null) Assert.Contains(message, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}

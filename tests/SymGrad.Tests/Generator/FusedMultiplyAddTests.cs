namespace SymGrad.Tests.Generator;

/// <summary>
/// <c>Math.FusedMultiplyAdd</c> (and <c>MathF</c>'s) stays one fused operation in every generated method, so the
/// gradient's value is the method's to the bit; its partials (b, a, 1) come from a built-in rule. Against the tape and
/// finite differences; in float against the closed form.
/// </summary>
public class FusedMultiplyAddTests
{
    private const string Source = """
        using System;
        using SymGrad;

        public static partial class Fused
        {
            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward)]
            public static double Horner(double[] c, double x)
            {
                double s = 0;
                for (int i = 0; i < c.Length; i++) s = Math.FusedMultiplyAdd(s, x, c[i]);
                return Math.FusedMultiplyAdd(s, s, x);
            }

            [Differentiable]
            public static float Single(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b * b, c) * a;
        }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorHarness.Run(Source));

    private static readonly Lazy<Dictionary<string, Probe>> Probes = new(() => Probe.Load(Run.Value, "Horner").Probes);

    [Theory]
    [InlineData(0.7)]
    [InlineData(-1.3)]
    public void The_gradient_of_fused_multiply_adds_matches_the_tape_and_finite_differences(double x)
    {
        double[] c = [0.5, -1.25, 2.0, 0.125];
        Probe probe = Probes.Value["Horner"];
        GradientCorrectnessTests.CheckPoint("Horner", probe, [c, x]);
        double s = 0;
        foreach (double ci in c) s = Math.FusedMultiplyAdd(s, x, ci);
        Assert.Equal(BitConverter.DoubleToInt64Bits(Math.FusedMultiplyAdd(s, s, x)),
            BitConverter.DoubleToInt64Bits(probe.Gradient([c, x], probe.NewAdjoints([c, x], 0.0))));
    }

    [Fact]
    public void The_float_gradient_is_the_closed_form_and_the_generated_code_keeps_the_fused_call()
    {
        var single = Run.Value.Load().Method("Fused", "SingleGradient");
        object?[] args = [1.5f, -0.5f, 2.0f, 0f, 0f, 0f];
        float value = (float)single.Invoke(null, args)!;
        Assert.Equal(MathF.FusedMultiplyAdd(1.5f, 0.25f, 2.0f) * 1.5f, value);
        Assert.Equal(MathF.FusedMultiplyAdd(1.5f, 0.25f, 2.0f) + 0.25f * 1.5f, (float)args[3]!, 1e-6f); // d/da
        Assert.Equal(1.5f * 2 * -0.5f * 1.5f, (float)args[4]!, 1e-6f);                                    // d/db
        Assert.Equal(1.5f, (float)args[5]!, 1e-6f);                                                        // d/dc
        string code = Run.Value.Sources.Values.Single();
        Assert.Contains("global::System.Math.FusedMultiplyAdd(", code);
        Assert.Contains("global::System.MathF.FusedMultiplyAdd(", code);
    }
}

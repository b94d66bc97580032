namespace SymGrad.Tests.Generator;

/// <summary>
/// A gradient that uses its thread's tape may call user code (a [DerivativeOf] rule, a kept call, a side-effect
/// call) that itself calls a generated gradient using a tape, on the same thread. The inner call must not touch the
/// outer one's tape: both gradients stay exact (against the tape twin and finite differences).
/// </summary>
public class TapeReentrancyTests
{
    private const string Source = """
        using System;
        using SymGrad;

        public static partial class Inner
        {
            /// <summary>A loop whose backward sweep needs the tape (each iteration's tanh).</summary>
            [Differentiable]
            public static double Chain(double x, int n)
            {
                double s = x;
                for (int i = 0; i < n; i++) s = Math.Tanh(s * 1.1 + 0.2);
                return s;
            }

            public static double ChainDerivative(double x) { double d = 0; ChainGradient(x, 7, ref d); return d; }

            public static double Smooth(double x) => Chain(x, 7);

            [DerivativeOf(nameof(Smooth))]
            public static double SmoothDerivative(double x) => ChainDerivative(x);

            public static void Probe(double x) { double d = 0; ChainGradient(x, 5, ref d); }
        }

        public static partial class Outer
        {
            /// <summary>Its own loop keeps values on the tape while the rule and the side call run inner gradients.</summary>
            [Differentiable]
            public static double Loss(double[] w, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    double t = Math.Tanh(w[i] + s);
                    Inner.Probe(t);
                    s = s * t + Inner.Smooth(t);
                }
                return s;
            }
        }
        """;

    private static readonly Lazy<Dictionary<string, Probe>> Probes =
        new(() => Probe.Load(GeneratorHarness.Run(Source), "Loss").Probes);

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    public void An_inner_gradient_called_from_user_code_leaves_the_outer_tape_alone(int n)
    {
        double[] w = Enumerable.Range(0, n).Select(i => 0.3 * i - 0.7).ToArray();
        GradientCorrectnessTests.CheckPoint("Loss", Probes.Value["Loss"], [w, n]);
    }
}

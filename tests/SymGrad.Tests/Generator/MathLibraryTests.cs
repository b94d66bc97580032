using System.Reflection;

namespace SymGrad.Tests.Generator;

/// <summary>
/// The rest of <see cref="Math"/> in <c>[Differentiable]</c> methods (inverse and hyperbolic functions, other bases,
/// cube root, Atan2, CopySign, the magnitudes, the <c>double.*</c> static forms, rounding, <c>Sign</c>,
/// <see cref="SymMath.StopGradient(double)"/>, <c>double.IsFinite</c> and its kin): every gradient against the tape twin and
/// finite differences, the piecewise-constant ones against closed forms, and forward mode and H·v of the smooth
/// ones against the gradient and its finite differences.
/// </summary>
public class MathLibraryTests
{
    private const string Source = """
        using System;
        using SymGrad;

        public static partial class MathLibrary
        {
            /// <summary>Every new smooth function once, inside its domain for (x, y) in (-1, 1)^2.</summary>
            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.HessianVector)]
            public static double Smooth(double x, double y)
            {
                double u = 0.6 * x, w = 0.5 * y;
                double inverse = Math.Asin(u) + Math.Acos(w) * 0.5 + Math.Atanh(u * w);
                double hyperbolic = Math.Sinh(x) * Math.Cosh(y) + Math.Asinh(x - y) + Math.Acosh(1.5 + x * x);
                double bases = Math.Log10(2 + x) + Math.Log2(3 + y) + double.Exp2(x) + double.Exp10(0.5 * y) + Math.Log(2 + x * x, 3 + y);
                double rest = Math.Cbrt(2 + x + y) + Math.Atan2(y + 1.5, x - 2) + Math.CopySign(x * y + 2, y - 3)
                    + Math.MaxMagnitude(x, 2 * y) + Math.MinMagnitude(x - 3, y + 2);
                double statics = double.Exp(x) * double.Sqrt(2 + y) + double.Sin(x * y) + double.Max(x, y) + double.Abs(y);
                return inverse + hyperbolic + bases + rest + statics;
            }

            /// <summary>Piecewise constant factors: their derivative is 0, so d/dx = floor(x) + 3 sign(x) + ceil(y), d/dy = x.</summary>
            [Differentiable]
            public static double Steps(double x, double y)
            {
                double steps = Math.Floor(x) * x + Math.Round(3 * x) + Math.Truncate(y) + Math.Sign(x) * 3 * x + Math.Ceiling(y) * x;
                return steps + x * y;
            }

            /// <summary>x held constant in one factor: d/dx = stop(x) = x (not 2x), d/dy = 1.</summary>
            [Differentiable]
            public static double Stopped(double x, double y) => x * SymMath.StopGradient(x) + y;

            /// <summary>Math.Clamp with constant bounds, and its double.Clamp form.</summary>
            [Differentiable]
            public static double Clamped(double x, double y) => Math.Clamp(x * y, -0.5, 0.5) + double.Clamp(x, 0.0, 2.0) * y;

            /// <summary>double.IsFinite and its kin as conditions.</summary>
            [Differentiable]
            public static double Guarded(double x, double y)
            {
                double r = x * y;
                if (double.IsFinite(r) && !double.IsInfinity(x) && !double.IsPositiveInfinity(y) && !double.IsNegativeInfinity(y) && !double.IsNaN(x)) return Math.Exp(r);
                return 0;
            }
        }
        """;

    private static readonly Lazy<(LoadedAssembly Assembly, Dictionary<string, Probe> Probes)> Loaded =
        new(() => Probe.Load(GeneratorHarness.Run(Source, SampleSources.ImplicitUsings), "Smooth", "Steps", "Stopped", "Guarded", "Clamped"));

    private static IEnumerable<(double X, double Y)> Points()
    {
        var r = new Random(2026_12_03);
        for (int i = 0; i < 8; i++) yield return (1.8 * r.NextDouble() - 0.9, 1.8 * r.NextDouble() - 0.9);
    }

    [Theory]
    [InlineData("Smooth")]
    [InlineData("Guarded")]
    [InlineData("Clamped")]
    public void Gradients_match_the_tape_and_finite_differences(string method)
    {
        foreach ((double x, double y) in Points()) GradientCorrectnessTests.CheckPoint(method, Loaded.Value.Probes[method], [x, y]);
    }

    [Fact]
    public void Piecewise_constant_functions_and_stop_gradient_pass_nothing_back()
    {
        // Points off the steps: x not a multiple of 1/6 and y not an integer (the step functions' jumps).
        foreach ((double x, double y) in new[] { (0.37, -1.4), (-2.3, 0.6), (1.7, 2.2), (-0.55, -0.45) })
        {
            (double dx, double dy) = Gradient("Steps", x, y);
            Assert.Equal(Math.Floor(x) + Math.Sign(x) * 3.0 + Math.Ceiling(y) + y, dx, 1e-15);
            Assert.Equal(x, dy, 1e-15);
            (double sx, double sy) = Gradient("Stopped", x, y);
            Assert.Equal(x, sx);
            Assert.Equal(1.0, sy);
            // The tape twin agrees (its rounded values and stopped value are constants to it).
            GradientCorrectnessTests.CheckPoint("Steps", Loaded.Value.Probes["Steps"], [x, y]);
        }
    }

    [Theory]
    [InlineData(0.3, 0.4, 0.4 + 0.4, 0.3 + 0.3)] // inside both: d/dx = y + y, d/dy = x + x
    [InlineData(1.5, 0.8, 0.0 + 0.8, 0.0 + 1.5)] // x y = 1.2 clamped to 0.5: only the second term, x inside [0, 2]
    [InlineData(-0.5, 0.2, 0.2 + 0.0, -0.5 + 0.0)] // x < 0 clamped to 0: only the first term
    public void Clamp_passes_the_derivative_inside_its_bounds_only(double x, double y, double dx, double dy)
    {
        (double gx, double gy) = Gradient("Clamped", x, y);
        Assert.Equal(dx, gx, 1e-15);
        Assert.Equal(dy, gy, 1e-15);
    }

    [Fact]
    public void Clamp_with_bounds_known_only_at_run_time_is_refused()
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything("using System; using SymGrad; public static partial class C { [Differentiable] public static double F(double x, double lo) => Math.Clamp(x, lo, 1.0); }", SampleSources.ImplicitUsings);
        var diagnostic = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal("SG0011", diagnostic.Id);
        Assert.Equal("Math.Clamp(x, lo, 1.0)", run.LocatedText(diagnostic));
    }

    [Fact]
    public void Forward_mode_and_hessian_vector_products_of_the_smooth_functions()
    {
        MethodInfo jvp = Loaded.Value.Assembly.Method("MathLibrary", "SmoothJvp"), hvp = Loaded.Value.Assembly.Method("MathLibrary", "SmoothHvp");
        foreach ((double x, double y) in Points())
        {
            (double tx, double ty) = (0.3, -0.7);
            (double gx, double gy) = Gradient("Smooth", x, y);
            object[] jvpArgs = [x, y, tx, ty, 0.0];
            jvp.Invoke(null, jvpArgs);
            Assert.True(GradientCorrectnessTests.Close(gx * tx + gy * ty, (double)jvpArgs[4], 1e-12), $"JVP at ({x}, {y}): {jvpArgs[4]} vs {gx * tx + gy * ty}");

            object[] hvpArgs = [x, y, tx, ty, 0.0, 0.0, 0.0, 0.0];
            hvp.Invoke(null, hvpArgs);
            const double h = 1e-5;
            (double px, double py) = Gradient("Smooth", x + h * tx, y + h * ty);
            (double mx, double my) = Gradient("Smooth", x - h * tx, y - h * ty);
            Assert.True(GradientCorrectnessTests.Close((px - mx) / (2 * h), (double)hvpArgs[6], 1e-5), $"(H·t)_x at ({x}, {y}): {hvpArgs[6]} vs {(px - mx) / (2 * h)}");
            Assert.True(GradientCorrectnessTests.Close((py - my) / (2 * h), (double)hvpArgs[7], 1e-5), $"(H·t)_y at ({x}, {y}): {hvpArgs[7]} vs {(py - my) / (2 * h)}");
            Assert.Equal(gx, (double)hvpArgs[4]);
            Assert.Equal(gy, (double)hvpArgs[5]);
        }
    }

    private static (double Dx, double Dy) Gradient(string method, double x, double y)
    {
        object?[] adjoints = Loaded.Value.Probes[method].NewAdjoints([x, y], 0.0);
        Loaded.Value.Probes[method].Gradient([x, y], adjoints);
        return ((double)adjoints[0]!, (double)adjoints[1]!);
    }
}

namespace SymGrad.Tests.Generator;

/// <summary>
/// The generated code of the samples, against checked-in baselines (Snapshots/*.verified.cs) that a person has read
/// and judged right. A change to the generator that changes its output shows up here as a diff to review.
/// </summary>
public class SnapshotTests
{
    /// <summary>All generated files of a run, each under a header naming its hint name, in hint-name order.</summary>
    private static string Generated(GeneratorRun run)
    {
        Assert.Empty(run.SymGradDiagnostics);
        return string.Join("\n", run.Sources.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => "// ===== " + kv.Key + "\n" + kv.Value));
    }

    [Fact]
    public void Seed_network_and_its_loss() =>
        Snapshot.Match(Generated(GeneratorHarness.Run(SampleSources.SeedNet, SampleSources.ImplicitUsings)), "SeedNet");

    [Fact]
    public void Micrograd_test_expressions() =>
        Snapshot.Match(Generated(GeneratorHarness.Run(SampleSources.Micrograd)), "Micrograd");

    [Fact]
    public void If_else_and_conditional_on_runtime_values() =>
        Snapshot.Match(Generated(GeneratorHarness.Run(SampleSources.Branches)), "Branches");

    [Fact]
    public void Nested_loops() =>
        Snapshot.Match(Generated(GeneratorHarness.Run(SampleSources.Loops)), "Loops");

    [Fact]
    public void Calls_between_methods() =>
        Snapshot.Match(Generated(GeneratorHarness.Run(SampleSources.Calls)), "Calls");

    [Fact]
    public void Forward_mode_jvp() =>
        Snapshot.Match(Generated(GeneratorHarness.Run(ForwardModeSample)), "ForwardMode");

    [Fact]
    public void Calls_kept_as_calls_with_user_derivative_rules() =>
        Snapshot.Match(Generated(GeneratorHarness.Run(DerivativeRuleTests.Source, SampleSources.ImplicitUsings)), "DerivativeRules");

    [Fact]
    public void Hessian_vector_product() =>
        Snapshot.Match(Generated(GeneratorHarness.Run(HessianVectorSample)), "HessianVector");

    [Fact]
    public void Dense_hessian() =>
        Snapshot.Match(Generated(GeneratorHarness.Run(HessianVectorSample.Replace("DerivativeModes.HessianVector", "DerivativeModes.Hessian"))), "Hessian");

    [Fact]
    public void Float_methods_computed_in_float() =>
        Snapshot.Match(Generated(GeneratorHarness.Run(FloatTests.Source)), "Float");

    [Fact]
    public void Model_class_reading_its_weight_fields() =>
        Snapshot.Match(Generated(GeneratorHarness.Run(ModelClassTests.Source)), "ModelClass");

    [Fact]
    public void Structs_records_and_tuples_as_values_and_parameters() =>
        Snapshot.Match(Generated(GeneratorHarness.Run(StructSample)), "Structs");

    [Fact]
    public void Model_with_layers_held_in_fields() =>
        Snapshot.Match(Generated(GeneratorHarness.Run(NestedModelTests.Source[..NestedModelTests.Source.IndexOf("public sealed partial class Bad", StringComparison.Ordinal)])), "NestedModel");

    /// <summary>The README's struct example: a record struct with an operator and a computed property, a struct of them, a tuple result.</summary>
    internal const string StructSample = """
        using System;
        using SymGrad;

        namespace Geometry;

        public readonly record struct Vec(double X, double Y)
        {
            public double Norm => Math.Sqrt(X * X + Y * Y);
            public static Vec operator +(Vec a, Vec b) => new(a.X + b.X, a.Y + b.Y);
            public static Vec operator *(double s, Vec a) => new(s * a.X, s * a.Y);
        }

        public struct Box
        {
            public Vec Min;
            public Vec Max;
        }

        public static partial class Shapes
        {
            [Differentiable] public static (double Lo, double Hi) Sorted(double a, double b) => a < b ? (a, b) : (b, a);

            [Differentiable]
            public static double Area(in Box b, Vec shift, double s)
            {
                var (lo, hi) = Sorted(b.Min.X, b.Max.X);
                var size = new Vec(hi - lo, b.Max.Y - b.Min.Y) + s * shift;
                return size.X * size.Y + (size with { X = 0 }).Norm;
            }
        }
        """;

    [Fact]
    public void Jacobian_of_a_vector_output() =>
        Snapshot.Match(Generated(GeneratorHarness.Run(JacobianSample)), "Jacobian");

    /// <summary>A small residual vector r(p) over data of runtime length, with its VJP, JVP and Jacobian.</summary>
    internal const string JacobianSample = """
        using System;
        using SymGrad;

        namespace Demo;

        public static partial class Fit
        {
            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.Jacobian)]
            public static void Residuals(double[] p, double scale, [NoDerivative] double[] xs, [Output] Span<double> r)
            {
                for (int i = 0; i < xs.Length; i++)
                {
                    double model = p[0] * Math.Exp(p[1] * xs[i]);
                    r[i] = scale * model - 1.0;
                }
                r[xs.Length] = p[0] * p[0] + p[1] * p[1]; // a penalty row
            }
        }
        """;

    /// <summary>f(x, v) = x² v₀ + sin(x v₁), asking for H·t only (and so for no gradient method of its own).</summary>
    internal const string HessianVectorSample = """
        using System;
        using SymGrad;

        namespace Demo;

        public static partial class Second
        {
            [Differentiable(Modes = DerivativeModes.HessianVector)]
            public static double F(double x, double[] v) => x * x * v[0] + Math.Sin(x * v[1]);
        }
        """;

    /// <summary>A method asking for both modes: a scalar, an array read element by element, a branch, a [NoDerivative] input.</summary>
    internal const string ForwardModeSample = """
        using System;
        using SymGrad;

        namespace Demo;

        public static partial class Fwd
        {
            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward)]
            public static double F(double x, double[] v, [NoDerivative] double s)
            {
                double z = x * v[0] + Math.Sin(v[1]);
                if (z > s) z = z * z;
                else z = Math.Exp(-z);
                return z / (1.0 + x * x);
            }
        }
        """;

    [Fact]
    public void Every_diagnostic()
    {
        GeneratorRun run = GeneratorHarness.Run(DiagnosticSources.File(DiagnosticSources.All));
        foreach (DiagnosticSources.BadMethod bad in DiagnosticSources.All)
        {
            Assert.All(run.Sources.Values, s => Assert.DoesNotContain(" " + DiagnosticSources.MethodName(bad) + "Gradient(", s));
        }
        Snapshot.Match(string.Join("\n", run.SymGradDiagnostics.Select(GeneratorRun.Line)), "Diagnostics");
    }
}

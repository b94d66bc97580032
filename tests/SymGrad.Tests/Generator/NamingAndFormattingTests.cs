using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace SymGrad.Tests.Generator;

/// <summary>
/// What the emitter writes must not depend on the machine (culture), collide with the user's names, or mangle
/// special constants; and overloads and cross-file callees must be handled.
/// </summary>
public class NamingAndFormattingTests
{
    private const string Usings = "using System;\nusing SymGrad;\n\n";

    [Fact]
    public void Generated_code_does_not_depend_on_the_current_culture()
    {
        string invariant = GeneratorHarness.Run(SampleSources.Micrograd).SingleSource;
        CultureInfo saved = CultureInfo.CurrentCulture, savedUi = CultureInfo.CurrentUICulture;
        try
        {
            // Comma decimal separator, and a culture whose digits and minus sign differ from ASCII in formatting.
            foreach (string name in new[] { "de-DE", "fr-FR", "ar-SA", "fa-IR" })
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(name);
                Assert.Equal(invariant, GeneratorHarness.Run(SampleSources.Micrograd).SingleSource);
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = savedUi;
        }
    }

    [Fact]
    public void Parameter_names_that_look_like_generated_names_do_not_collide()
    {
        // The emitter names temporaries t, t_2, ..., adjoints dX, locals z_2: the user may already use those names.
        string source = Usings + """
            public static partial class Names
            {
                [Differentiable]
                public static double F(double x, double dX, double t, double t_2, double dx, double[] dT)
                {
                    double z = x * dX + Math.Sin(t * t_2);
                    double z_2 = z * dx + dT[0];
                    double ds = z_2 * z;
                    double t_3 = Math.Exp(ds * 0.1);
                    return t_3 + z * z;
                }
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Empty(run.SymGradDiagnostics);
        (LoadedAssembly loaded, Dictionary<string, Probe> probes) = Probe.Load(run, "F");
        using (loaded) GradientCorrectnessTests.CheckPoint("F", probes["F"], [0.3, -0.7, 1.1, 0.4, 0.9, new[] { 0.25 }]);
    }

    [Fact]
    public void Special_constants_are_written_so_that_they_compile_and_keep_their_value()
    {
        string source = Usings + """
            public static partial class Constants
            {
                [Differentiable]
                public static double F(double x)
                {
                    double big = x * double.MaxValue * 1e-300;
                    double tiny = x * double.Epsilon * 1e300 + x * 4.9e-324 * 1e300;
                    double odd = x * 0.1f + x * -0.0 + x * 1e22 * 1e-22 + x * (1.0 / 3.0);
                    double special = x > 1e300 ? double.NaN : x < -1e300 ? double.NegativeInfinity : 0;
                    double inf = x > 1e300 ? double.PositiveInfinity : x;
                    return big + tiny + odd + special + inf;
                }
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Empty(run.SymGradDiagnostics);
        (LoadedAssembly loaded, Dictionary<string, Probe> probes) = Probe.Load(run, "F");
        using (loaded)
        {
            foreach (double x in new[] { 0.7, -1.3 })
            {
                // Compare with the method itself: the generator must reproduce every constant bit for bit.
                object?[] d = probes["F"].NewAdjoints([x], 0.0);
                Assert.Equal(probes["F"].Value([x]), probes["F"].Gradient([x], d));
                (_, object?[] tape) = probes["F"].Tape([x]);
                Assert.True(GradientCorrectnessTests.Close((double)d[0]!, (double)tape[0]!, 1e-12), $"{d[0]} vs tape {tape[0]}");
            }
        }
    }

    [Fact]
    public void Overloads_each_get_their_own_gradient()
    {
        string source = Usings + """
            public static partial class Over
            {
                [Differentiable] public static double F(double x) => x * x;
                [Differentiable] public static double F(double x, double y) => F(x) * y;
                [Differentiable] public static double F(double[] v) => F(v[0], v[1]) + F(v[1]);
                [Differentiable] public static double G(double x, [NoDerivative] double k) => F(x, k);
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Empty(run.SymGradDiagnostics);
        using LoadedAssembly loaded = run.Load();
        var type = loaded.Assembly.GetType("Over")!;
        Assert.Equal(3, type.GetMethods().Count(m => m.Name == "FGradient"));
        Assert.Equal(3, type.GetMethods().Count(m => m.Name == "FTape"));
        (LoadedAssembly probeAssembly, Dictionary<string, Probe> probes) = Probe.Load(run, "G");
        using (probeAssembly) GradientCorrectnessTests.CheckPoint("G", probes["G"], [0.6, 1.7]);
    }

    [Fact]
    public void Editing_a_callee_in_another_file_updates_the_inlined_caller()
    {
        // The caller's file does not change, but its gradient inlines the callee: a stale cache would keep the old body.
        string caller = Usings + "public static partial class A { [Differentiable] public static double F(double x) => B.G(x) * 2; }";
        string callee = Usings + "public static partial class B { [Differentiable] public static double G(double x) => x * 3.25; }";
        var first = GeneratorHarness.Compile(caller, callee);
        var driver = GeneratorHarness.NewDriver().RunGenerators(first);
        var edited = first.ReplaceSyntaxTree(first.SyntaxTrees.ElementAt(1),
            CSharpSyntaxTree.ParseText(callee.Replace("3.25", "7.5"), GeneratorHarness.ParseOptions, path: "Source1.cs"));
        var result = driver.RunGenerators(edited).GetRunResult();
        string a = result.GeneratedTrees.Single(t => t.FilePath.EndsWith("A.g.cs")).ToString();
        Assert.Contains("7.5", a);
        Assert.DoesNotContain("3.25", a);
    }
}

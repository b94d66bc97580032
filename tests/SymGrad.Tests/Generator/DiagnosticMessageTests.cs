using Microsoft.CodeAnalysis;

namespace SymGrad.Tests.Generator;

/// <summary>
/// What the messages say: specific to the construct (no catalogue of everything supported), no URL in the text (the
/// help link is the descriptor's), and one diagnostic per independent error of a method, each on its own syntax.
/// </summary>
public class DiagnosticMessageTests
{
    private const string GenericTail = "use + - * /, unary minus";

    private static GeneratorRun RunBody(string body, string parameters = "double x, double[] v, int n") => GeneratorHarness.Run($$"""
        using System;
        using SymGrad;

        public static partial class Fns
        {

            [Differentiable]
            public static double F({{parameters}})
            {
                {{body}}
            }
        }

        public static class Other
        {
            public static double Scale = 2;
        }
        """);


    [Fact]
    public void Each_loop_that_never_ends_gets_its_own_sg0006_on_its_condition()
    {
        GeneratorRun run = RunBody("""
            double s = 0;
            for (int i = 0; i < n; i++) s += v[0];
            int k = 0;
            while (k < 3) s /= 2;
            for (int j = 0; j < v.Length; j++) s += x;
            for (int m = 0; x > 0; m++) s /= 2;
            return s;
            """);
        Assert.Equal(["SG0006", "SG0006"], run.SymGradDiagnostics.Select(d => d.Id));
        Assert.Equal(["k < 3", "x > 0"], run.SymGradDiagnostics.Select(run.LocatedText));
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void Independent_errors_of_different_kinds_are_each_reported_and_consequences_are_not()
    {
        GeneratorRun run = RunBody("""
            double a = x % 2.0;
            double b = a * 3;
            double c = Math.Round(x, MidpointRounding.ToEven);
            try { x /= 2; } finally { }
            return a + b + c;
            """);
        // b reads a, whose declaration failed: no second error for it; the try statement's body is not looked at.
        Assert.Equal(["SG0011", "SG0007", "SG0005"], run.SymGradDiagnostics.Select(d => d.Id));
        Assert.Equal(["x % 2.0", "Math.Round", "try"], run.SymGradDiagnostics.Select(run.LocatedText));
    }

    [Fact]
    public void A_loop_body_error_is_reported_once_not_once_per_iteration()
    {
        GeneratorRun run = RunBody("double s = 0; for (int i = 0; i < 4; i++) s += v[i] % 2.0; return s;");
        Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal("v[i] % 2.0", run.LocatedText(d));
    }

    [Theory]
    [InlineData("double[] a = [x, 2 * x]; double[] w = a[1..]; return w[0] * x;", "a[1..]", "The slice 'a[1..]' of a local array")]
    [InlineData("Span<double> a = stackalloc double[3]; a[0] = x; return a.Slice(1)[0] * x;", "a.Slice(1)", "The slice 'a.Slice(1)' of a local array")]
    public void Slices_of_local_arrays_are_named_as_such(string body, string locatedOn, string named)
    {
        GeneratorRun run = RunBody(body);
        Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal("SG0011", d.Id);
        Assert.Equal(locatedOn, run.LocatedText(d));
        string message = GeneratorHarness.Message(d);
        Assert.StartsWith(named, message);
        Assert.Contains("a[i + k]", message);
    }

    public static TheoryData<string> Sg0011Bodies => new()
    {
        "return x % 2.0;",
        "return x * Other.Scale;",
        "string s = \"a\"; return x * s.Length;",
        "Func<double, double> f = Math.Sin; return f(x);",
        "object o = x; return x;",
        "return (double)(decimal)x;",
        "double[] a = [x]; double[] w = a[0..]; return w[0];",
        "return x + (n ^ 1);",
        "return x + (n << 1);",
        "return x + (n & 1);",
    };

    [Theory]
    [MemberData(nameof(Sg0011Bodies))]
    public void Sg0011_messages_are_specific_to_their_construct(string body)
    {
        GeneratorRun run = RunBody(body);
        Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal("SG0011", d.Id);
        string message = GeneratorHarness.Message(d);
        Assert.DoesNotContain(GenericTail, message);
        Assert.Contains(" is not supported in a [Differentiable] method: ", message);
    }

    [Fact]
    public void No_message_text_holds_a_url_the_help_link_does()
    {
        GeneratorRun run = GeneratorHarness.Run(DiagnosticSources.File(DiagnosticSources.All));
        Assert.NotEmpty(run.SymGradDiagnostics);
        foreach (Diagnostic d in run.SymGradDiagnostics)
        {
            Assert.DoesNotContain("http", GeneratorHarness.Message(d));
            Assert.DoesNotContain("diagnostics.md", GeneratorHarness.Message(d));
            Assert.StartsWith("https://", d.Descriptor.HelpLinkUri);
        }
    }
}

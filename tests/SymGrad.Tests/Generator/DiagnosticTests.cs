using System.Reflection;
using Microsoft.CodeAnalysis;
using SymGrad.Generators.Diagnostics;

namespace SymGrad.Tests.Generator;

/// <summary>
/// Each diagnostic, on a minimal bad method: the right id, error severity, located on the offending syntax (so the
/// IDE squiggle is where the problem is), a message naming the construct, and no generated code for that method.
/// </summary>
public class DiagnosticTests
{
    public static TheoryData<string> Ids => new(DiagnosticSources.All.Select(d => d.Id));

    [Theory]
    [MemberData(nameof(Ids))]
    public void Diagnostic_is_located_on_the_offending_syntax_and_names_it(string id)
    {
        DiagnosticSources.BadMethod bad = DiagnosticSources.All.Single(d => d.Id == id);
        GeneratorRun run = GeneratorHarness.Run(DiagnosticSources.File(bad));

        Diagnostic d = Assert.Single(run.SymGradDiagnostics, x => x.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(bad.LocatedOn, run.LocatedText(d));
        string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(bad.Names, message);
        Assert.Equal("https://github.com/symgrad/symgrad/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant(), d.Descriptor.HelpLinkUri);

        // The only other diagnostic allowed: the callee's own error behind SG0014.
        string[] others = run.SymGradDiagnostics.Where(x => x != d).Select(x => x.Id).ToArray();
        Assert.Equal(id == "SG0014" ? ["SG0005"] : [], others);
        // Nothing is generated for the bad method (good helpers beside it, as SG0013's callees, are generated).
        Assert.All(run.Sources.Values, s => Assert.DoesNotContain(" " + DiagnosticSources.MethodName(bad) + "Gradient(", s));
    }

    [Fact]
    public void Every_descriptor_has_a_test_case_or_cannot_be_triggered()
    {
        string[] descriptors = typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id).Order().ToArray();
        // SG0099 is the internal-error net: no valid input should reach it (see Internal_error_message_names_the_method).
        Assert.Equal(DiagnosticSources.All.Select(d => d.Id).Append("SG0099").Order().ToArray(), descriptors);
    }

    [Fact]
    public void Internal_error_message_names_the_method_and_the_exception()
    {
        DiagnosticInfo info = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, Location.None, "Loss", "InvalidOperationException: boom");
        Diagnostic d = info.ToDiagnostic();
        Assert.Equal("SG0099", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("'Loss'", message);
        Assert.Contains("InvalidOperationException: boom", message);
    }

    [Fact]
    public void Each_bad_method_leaves_the_good_ones_beside_it_generated()
    {
        // One bad method does not take the type's other methods down with it.
        string source = DiagnosticSources.File(DiagnosticSources.All.Single(d => d.Id == "SG0005"))
            .Replace("public partial class Methods\n{\n", "public partial class Methods\n{\n    [Differentiable] public static double Good(double x) => x * x;\n");
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Equal(["SG0005"], run.SymGradDiagnostics.Select(d => d.Id));
        Assert.Contains("GoodGradient(double x, ref double dX)", run.SingleSource);
        Assert.DoesNotContain("TriesGradient", run.SingleSource);
    }

    public static TheoryData<string, string, string> MoreStatements => new()
    {
        { "goto end; end: y += 1;", "goto", "goto" },
        { "try { y += 1; } finally { y += 2; }", "try", "try statement" },
        { "lock (typeof(Methods)) { y += 1; }", "lock", "lock statement" },
        { "if (x > 0) throw new ArgumentException(nameof(x));", "throw", "throw statement" },
    };

    [Theory]
    [MemberData(nameof(MoreStatements))]
    public void Unsupported_statements_are_sg0005_on_their_keyword(string statement, string keyword, string named)
    {
        string source = $$"""
            using System;
            using SymGrad;

            public partial class Methods
            {
                [Differentiable]
                public static double F(double x)
                {
                    double y = x;
                    {{statement}}
                    return y;
                }
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal("SG0005", d.Id);
        Assert.Equal(keyword, run.LocatedText(d));
        Assert.Contains(named, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase);
    }
}

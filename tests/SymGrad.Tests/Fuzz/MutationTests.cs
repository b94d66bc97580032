using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.RegularExpressions;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SymGrad.Tests.Generator;
using Xunit.Abstractions;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// Robustness under random edits, as an IDE sees code while a person types: valid [Differentiable] sources (the seed
/// network from examples/, a hand-written one with calls across classes, and random programs) with a token deleted,
/// duplicated, swapped or replaced by one of its kind, a line deleted, or the file cut short (half-typed). Each
/// mutant must end in code that compiles or in SG/compiler diagnostics: never a generator exception (CS8785), and
/// never an error or warning inside a generated file while the mutant's own code has no error (a warning the mutant's
/// own code has too is the user's). Mutants are compiled 100 to a compilation, each in its own namespace.
/// </summary>
public class MutationTests(ITestOutputHelper output)
{
    private const int BatchSize = 100;
    private const int CiMutants = 3000;

    /// <summary>A template: <c>__K__</c> becomes the mutant's number, so mutants in one compilation do not meet.</summary>
    internal static readonly Lazy<ImmutableArray<string>> Templates = new(() =>
    {
        string seedNet = SampleSources.SeedNet
            .Replace("namespace SeedNotebook.Network;", "namespace Mut__K__;")
            .Replace("SeedNet", "SeedNet_Mut__K__");
        IEnumerable<string> randomPrograms = FixedSample.Draw(RandomPrograms.Programs, FixedSample.Seed(7), 4).Select(p => p.Source(0)
            .Replace("namespace Fuzz;", "namespace Mut__K__;").Replace("class P0", "class P_Mut__K__"));
        return [seedNet, CallsAcrossClasses, .. randomPrograms];
    });

    private const string CallsAcrossClasses = """
        using SymGrad;

        namespace Mut__K__;

        public partial class Layers_Mut__K__
        {
            public const int N = 3;

            [Differentiable]
            public static double Dense(double[] w, ReadOnlySpan<double> x, double b)
            {
                double z = b;
                for (int i = 0; i < N; i++) z += w[i] * x[i];
                return z > 0 ? Math.Tanh(z) : 0.1 * z;
            }

            public partial class Inner
            {
                [Differentiable]
                internal static double Loss(double[] w, double[,] xs, double[] ys, [NoDerivative] double scale, int k)
                {
                    double total = 0;
                    Span<double> row = stackalloc double[N];
                    for (int s = 0; s < 2; s++)
                    {
                        for (int j = 0; j < N; j++) row[j] = xs[s, j];
                        double d = Dense(w, row, 0.5) - ys[s];
                        if (d > 1) total += Math.Abs(d) * scale;
                        else total += d * d / 2 + Math.Max(0, d) * k;
                    }
                    double[] extra = [Math.Exp(-total), SymMath.Sigmoid(w[0]), SymMath.Softplus(w[1])];
                    return total + Math.Pow(1 + extra[0] * extra[0], 1.5) + Math.Log(2 + Math.Sin(extra[1])) - extra[2];
                }
            }
        }
        """;

    /// <summary>An edit of a template: which one, what kind, at which token (or line), and the other token of a swap.</summary>
    internal sealed record Mutation(int Template, int Kind, int At, int Other)
    {
        private static readonly string[] Kinds = ["delete token", "duplicate token", "swap tokens", "delete line", "replace token", "cut after token"];

        public string Apply(int k)
        {
            string text = Templates.Value[Template];
            if (Kind == 3)
            {
                string[] lines = text.Split('\n');
                int line = At % lines.Length;
                text = string.Join('\n', lines.Take(line).Concat(lines.Skip(line + 1)));
            }
            else
            {
                var tokens = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
                SyntaxToken a = tokens[At % tokens.Count];
                SyntaxToken b = tokens[(At + 1 + Other) % tokens.Count];
                text = Kind switch
                {
                    0 => text.Remove(a.SpanStart, a.Span.Length),
                    1 => text.Insert(a.Span.End, " " + a.Text),
                    2 => Swap(text, a, b),
                    5 => text[..a.Span.End], // half-typed: the file as it is while the person is still typing
                    _ => Replace(text, a, tokens, Other),
                };
            }
            return text.Replace("__K__", k.ToString());
        }

        /// <summary>
        /// A token replaced by another of the same kind from the same source (an identifier by an identifier, a
        /// number by a number, `&lt;` by `&lt;=`...): an edit that often still compiles, so it reaches the generator.
        /// </summary>
        private static string Replace(string text, SyntaxToken a, List<SyntaxToken> tokens, int pick)
        {
            bool Similar(SyntaxToken t) => t.Text != a.Text && (t.RawKind == a.RawKind
                || SyntaxFacts.IsBinaryExpressionOperatorToken(t.Kind()) && SyntaxFacts.IsBinaryExpressionOperatorToken(a.Kind()));
            var same = tokens.Where(Similar).Select(t => t.Text).Distinct().ToList();
            return same.Count == 0 ? text : text.Remove(a.SpanStart, a.Span.Length).Insert(a.SpanStart, same[pick % same.Count]);
        }

        private static string Swap(string text, SyntaxToken a, SyntaxToken b)
        {
            if (a.SpanStart > b.SpanStart) (a, b) = (b, a);
            if (a.Span == b.Span) return text;
            return text[..a.SpanStart] + b.Text + text[a.Span.End..b.SpanStart] + a.Text + text[b.Span.End..];
        }

        public override string ToString() => $"{Kinds[Kind]} at {At} (other +{Other + 1}) of template {Template}:\n{Apply(0)}";
    }

    internal static Gen<Mutation> Mutations => Gen.Select(Gen.Int[0, Templates.Value.Length - 1], Gen.Int[0, 5], Gen.Int[0, 100_000], Gen.Int[0, 7],
        (t, k, a, o) => new Mutation(t, k, a, o));

    private sealed class Tally
    {
        public int Mutants, WithUserErrors, WithSymGradDiagnostics, Clean;

        public override string ToString() =>
            $"{Mutants} mutants: {WithUserErrors} with compiler errors in their own code, {WithSymGradDiagnostics} with SG diagnostics only, {Clean} compiling cleanly with generated code";
    }

    private static readonly Regex MutantNumber = new(@"Mut(\d+)", RegexOptions.Compiled);
    private static readonly Regex SourceFile = new(@"^Source(\d+)\.cs$", RegexOptions.Compiled);

    [Fact]
    public void Random_edits_never_crash_the_generator_nor_break_generated_code()
    {
        int mutants = DifferentialTests.EnvInt("SYMGRAD_FUZZ_MUTANTS", CiMutants);
        int batches = (mutants + BatchSize - 1) / BatchSize;
        var tally = new Tally();
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        Mutation[][] drawn = FixedSample.Draw(Mutations.Array[BatchSize], FixedSample.Seed(20261127), batches);
        string checksum = FixedSample.Checksum(drawn.SelectMany(b => b).Select((m, k) => m.Apply(k)));
        FixedSample.Record(nameof(Random_edits_never_crash_the_generator_nor_break_generated_code), batches * BatchSize, "mutants", checksum);
        foreach (Mutation[] batch in drawn) failures.AddRange(CheckBatch(batch, tally));
        output.WriteLine($"Checked {tally} in {clock.Elapsed.TotalSeconds:F0} s; mutants' checksum {checksum}.");
        Assert.True(failures.Count == 0, $"{failures.Count} failures; the first:\n{failures.FirstOrDefault()}");
        Assert.Equal(batches * BatchSize, tally.Mutants);
        // The mutants must exercise both sides: some still compile and get code, many do not.
        Assert.True(tally.Clean > 0 && tally.WithUserErrors > 0, tally.ToString());
    }

    private static List<string> CheckBatch(IReadOnlyList<Mutation> batch, Tally tally)
    {
        string[] sources = batch.Select((m, k) => m.Apply(k)).Append(SampleSources.ImplicitUsings).ToArray();
        Compilation input = GeneratorHarness.Compile(sources);
        GeneratorDriver driver = GeneratorHarness.NewDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation compiled, out _);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        var all = compiled.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        if (result.Exception is not null || all.Any(d => d.Id == "CS8785"))
        {
            // Find the mutants that crash the generator on their own.
            if (batch.Count == 1) return [$"The generator threw on {batch[0]}\n{result.Exception}"];
            return batch.SelectMany(m => CheckBatch([m], new Tally())).ToList();
        }

        var failures = new List<string>();
        var userErrors = new HashSet<int>();
        var userWarnings = new HashSet<(int, string)>();
        var symGrad = new HashSet<int>();
        var generatedProblems = new Dictionary<int, List<Diagnostic>>();
        foreach (Diagnostic d in all)
        {
            string file = Path.GetFileName(d.Location.GetLineSpan().Path ?? "");
            if (SourceFile.Match(file) is { Success: true } s)
            {
                if (d.Severity == DiagnosticSeverity.Error) userErrors.Add(int.Parse(s.Groups[1].Value));
                else userWarnings.Add((int.Parse(s.Groups[1].Value), d.Id));
            }
            else if (MutantNumber.Match(file) is { Success: true } g)
            {
                int k = int.Parse(g.Groups[1].Value);
                if (!generatedProblems.TryGetValue(k, out List<Diagnostic>? list)) generatedProblems[k] = list = [];
                list.Add(d);
            }
            else
            {
                failures.Add($"A problem in a generated file that names no mutant: {GeneratorRun.Line(d)} in {file}");
            }
        }
        foreach (Diagnostic d in result.Diagnostics)
        {
            if (SourceFile.Match(Path.GetFileName(d.Location.GetLineSpan().Path ?? "")) is { Success: true } s) symGrad.Add(int.Parse(s.Groups[1].Value));
        }
        for (int k = 0; k < batch.Count; k++)
        {
            tally.Mutants++;
            if (userErrors.Contains(k)) tally.WithUserErrors++;
            // A warning the mutant's own code has too (a lower-case type name, CS8981) is the user's, not the generator's.
            else if (generatedProblems.GetValueOrDefault(k)?.FirstOrDefault(p =>
                         !(p.Severity == DiagnosticSeverity.Warning && userWarnings.Contains((k, p.Id)))) is { } d)
            {
                string generated = d.Location.SourceTree?.GetText().ToString() ?? "";
                failures.Add($"Generated code fails while the mutant's own code has no error: {GeneratorRun.Line(d)}\n{batch[k]}\n---- generated:\n{generated}");
            }
            else if (symGrad.Contains(k)) tally.WithSymGradDiagnostics++;
            else tally.Clean++;
        }
        return failures;
    }
}

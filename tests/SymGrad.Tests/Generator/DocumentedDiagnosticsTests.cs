using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace SymGrad.Tests.Generator;

/// <summary>
/// Keeps docs/diagnostics.md and the README's "What you can write" table true. Every code block of the diagnostics
/// page is compiled as the page says (with its usings, inside <c>public static partial class Fns</c>, or as it stands when it declares
/// its own types): each line marked <c>// SGnnnn</c> must get exactly those ids, located on that line, and no other
/// line may get one; a block with no such mark (a fix) must produce no SymGrad diagnostic at all.
/// </summary>
public class DocumentedDiagnosticsTests
{
    private static readonly Regex Mark = new(@"//.*?\b(SG\d{4})\b(.*)$");

    private static readonly string Page = File.ReadAllText(Path.Combine(SampleSources.RepositoryRoot(), "docs", "diagnostics.md"));

    /// <summary>The page's C# blocks, each with the section (SG id) it is in.</summary>
    private static IEnumerable<(string Section, int Index, string Code)> Blocks()
    {
        string section = "";
        int index = 0;
        foreach (Match m in Regex.Matches(Page, @"^## (SG\d{4})$|^```csharp\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline))
        {
            if (m.Groups[1].Success)
            {
                section = m.Groups[1].Value;
                index = 0;
            }
            else
            {
                yield return (section, index++, m.Groups[2].Value);
            }
        }
    }

    public static TheoryData<string, int> Examples
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach ((string section, int index, _) in Blocks()) data.Add(section, index);
            return data;
        }
    }

    [Fact]
    public void Every_id_section_has_an_example_with_its_id()
    {
        string[] sections = Regex.Matches(Page, @"^## (SG\d{4})$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(sections);
        foreach (string id in sections.Where(s => s != "SG0099"))
        {
            Assert.Contains(Blocks(), b => b.Section == id && b.Code.Contains("// " + id, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Documented_example_gets_the_ids_it_states_on_the_lines_that_state_them(string section, int index)
    {
        string code = Blocks().Single(b => b.Section == section && b.Index == index).Code;
        bool declaresTypes = Regex.IsMatch(code, @"^\s*public (static )?(partial )?class ", RegexOptions.Multiline);
        string prefix = "using System;\nusing System.Collections.Generic;\nusing SymGrad;\n\n" + (declaresTypes ? "" : "public static partial class Fns\n{\n");
        string source = prefix + code + (declaresTypes ? "" : "}\n");
        int firstLine = prefix.Count(c => c == '\n');

        var expected = new SortedSet<string>();
        string[] lines = code.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            Match m = Mark.Match(lines[i]);
            if (!m.Success) continue;
            // The ids before the comment's first ':' are the line's ("// SG0003 (and SG0004 for x)"); after it, prose.
            string marks = m.Value.Split(':')[0];
            IEnumerable<string> ids = Regex.Matches(marks, @"SG\d{4}").Select(x => x.Value);
            foreach (string id in ids) expected.Add($"{firstLine + i + 1}: {id}");
        }

        GeneratorRun run = GeneratorHarness.Run(source);
        var actual = new SortedSet<string>(run.SymGradDiagnostics.Select(d => $"{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id}"));
        Assert.True(expected.SetEquals(actual),
            $"docs/diagnostics.md, {section} block {index}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]\n"
            + GeneratorRun.Describe(run.SymGradDiagnostics));
        if (expected.Count == 0) Assert.NotEmpty(run.Sources); // a fix compiles and is differentiated
    }

    /// <summary>
    /// The README table's claims about single constructs, both ways: (statement in a method of x and an int n, the id
    /// it must get, or null when the table says it is supported).
    /// </summary>
    public static TheoryData<string, string?> ReadmeConstructs => new()
    {
        { "y++; y--; ++y;", null },
        { "checked { y = y * 2 + 1; }", null },
        { "unchecked { y = y * 2 + 1; }", null },
        { "y += n % 3;", null },
        { "y = y % 2.0;", "SG0011" },
        { "y += checked(n * 2);", null },
        { "checked { int m = n * 2; y += m; }", null },
        { "Func<double, double> f = t => t * t; y = f(y);", null },
        { "Func<double, double> f = Math.Sin; y = f(y);", "SG0011" },
        { "Console.WriteLine($\"y = {y:F3}, n = {n}\"); System.Diagnostics.Debug.Assert(n >= 0);", null },
        { "string s = $\"n = {n}\"; Console.WriteLine(s + \"!\");", null },
        { "string s = \"a\"; y += s.Length;", "SG0011" },
        { "double[] v = [y, y]; double[] w = v[1..]; y = w[0];", "SG0011" },
        { "while (y > 1) y /= 2;", null },
        { "for (int i = 0; i < 3; i++) { if (y > 5) break; y += 1; }", null },
        { "for (int i = 0; i < n; i++) { if (y < 0) continue; y -= 0.5; }", null },
        { "for (int i = 0; i < 3; i++) { if (y > 5) return y; y += 1; }", null },
        { "for (int i = 0; i < n; i++) { for (int j = 0; j < i; j++) { if (y > 5) return y * j; y += 1; } }", null },
        { "int k = 0; do { y *= 0.5; if (y < 0.1) break; k++; } while (k < n);", null },
        { "for (int i = 0; i < n; i++) y += 1;", null },
        { "int k = 0; while (k < n) { y = Math.Sin(y); k++; }", null },
        { "double[] a = new double[n]; for (int i = 0; i < n; i++) a[i] = y * i; for (int i = 0; i < n; i++) y += a[i];", null },
        { "double[] pair = [y, 2 * y]; foreach (double t in pair) y += t * t;", null },
        { "int k = 0; while (k < 3) y /= 2;", "SG0006" },
    };

    [Theory]
    [MemberData(nameof(ReadmeConstructs))]
    public void Readme_table_constructs_behave_as_the_table_says(string statement, string? id)
    {
        string source = $$"""
            using System;
            using SymGrad;

            public static partial class Fns
            {
                [Differentiable]
                public static double F(double x, int n)
                {
                    double y = x;
                    {{statement}}
                    return y * x;
                }
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Equal(id is null ? [] : [id], run.SymGradDiagnostics.Select(d => d.Id));
    }
}

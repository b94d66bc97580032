using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SymGrad.Generators;

namespace SymGrad.Tests.Generator;

/// <summary>
/// The generator is incremental: a second run on the same compilation, or after an edit that does not touch a
/// [Differentiable] method, reuses every tracked step; and no step's output holds a Roslyn object (a symbol, syntax,
/// a semantic model or a compilation), which would keep old compilations alive and defeat caching.
/// </summary>
public class IncrementalityTests
{
    private static readonly string[] Steps = [TrackingNames.Lowered, TrackingNames.Emitted, TrackingNames.Files];

    private static CSharpCompilation Sample() =>
        GeneratorHarness.Compile(SampleSources.SeedNet, SampleSources.ImplicitUsings, SampleSources.Calls, SampleSources.Branches,
            DiagnosticSources.File(DiagnosticSources.All.Where(d => d.Id is "SG0005" or "SG0007").ToArray()));

    private static GeneratorRunResult FirstAndSecondRun(CSharpCompilation first, CSharpCompilation second)
    {
        GeneratorDriver driver = GeneratorHarness.NewDriver().RunGenerators(first);
        GeneratorRunResult initial = Assert.Single(driver.GetRunResult().Results);
        Assert.Null(initial.Exception);
        foreach (string step in Steps) Assert.NotEmpty(initial.TrackedSteps[step]);
        return Assert.Single(driver.RunGenerators(second).GetRunResult().Results);
    }

    private static void AssertAllCached(GeneratorRunResult run)
    {
        Assert.Null(run.Exception);
        foreach (string step in Steps)
        {
            Assert.True(run.TrackedSteps.TryGetValue(step, out var runs), $"No tracked step {step}");
            Assert.NotEmpty(runs);
            foreach (IncrementalGeneratorRunStep s in runs)
            {
                foreach ((object value, IncrementalStepRunReason reason) in s.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"Step {step} re-ran ({reason}) for {value}");
                }
            }
        }
    }

    [Fact]
    public void Second_run_on_the_same_compilation_is_all_cached()
    {
        CSharpCompilation compilation = Sample();
        AssertAllCached(FirstAndSecondRun(compilation, compilation));
    }

    [Fact]
    public void Adding_an_unrelated_file_re_runs_nothing()
    {
        CSharpCompilation compilation = Sample();
        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Elsewhere; public static class Unrelated { public static int Answer() => 42; }",
            GeneratorHarness.ParseOptions, path: "Unrelated.cs"));
        AssertAllCached(FirstAndSecondRun(compilation, edited));
    }

    [Fact]
    public void Editing_a_differentiable_method_re_runs_its_steps()
    {
        // The other side of caching: a real change is seen (otherwise the tests above could not fail usefully).
        CSharpCompilation compilation = GeneratorHarness.Compile(SampleSources.Micrograd);
        CSharpCompilation edited = GeneratorHarness.Compile(SampleSources.Micrograd.Replace("double g = f / 2.0;", "double g = f / 4.0;"));
        GeneratorRunResult second = FirstAndSecondRun(compilation, edited);
        Assert.Contains(second.TrackedSteps[TrackingNames.Emitted].SelectMany(s => s.Outputs),
            o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
    }

    [Fact]
    public void No_step_output_holds_a_roslyn_object()
    {
        GeneratorDriver driver = GeneratorHarness.NewDriver().RunGenerators(Sample());
        GeneratorRunResult run = Assert.Single(driver.GetRunResult().Results);
        int walked = 0;
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (string step in Steps)
        {
            foreach (IncrementalGeneratorRunStep s in run.TrackedSteps[step])
            {
                foreach ((object value, _) in s.Outputs)
                {
                    Walk(value, $"{step}:{value.GetType().Name}", seen, 0);
                    walked++;
                }
            }
        }
        Assert.True(walked >= 3, $"only {walked} outputs walked");
        Assert.True(seen.Count > 500, $"only {seen.Count} objects reached: the walk does not go deep"); // IR instructions, names, ...
    }

    [Fact]
    public void The_walk_finds_a_roslyn_object_hidden_in_a_model()
    {
        // The walker itself must be able to fail: a symbol two levels down in a record inside an array.
        CSharpCompilation compilation = GeneratorHarness.Compile("class C { }");
        object model = new Holder([new Holder([], compilation.GetTypeByMetadataName("C"))], null);
        Assert.ThrowsAny<Exception>(() => Walk(model, "model", new HashSet<object>(ReferenceEqualityComparer.Instance), 0));
    }

    private sealed record Holder(Holder[] Children, object? Payload);

    private static readonly Type[] Forbidden =
    [
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxToken), typeof(SyntaxTree), typeof(SemanticModel),
        typeof(Compilation), typeof(Location), typeof(IOperation),
    ];

    /// <summary>Every field (so every property's backing field) and every element of every collection, recursively.</summary>
    private static void Walk(object? value, string path, HashSet<object> seen, int depth)
    {
        if (value is null || value is string || value is Type || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        Type type = value.GetType();
        Assert.False(Forbidden.Any(f => f.IsAssignableFrom(type)), $"{path} is a {type.FullName}");
        Assert.True(depth < 200, $"{path}: the model is too deep to walk");
        if (!type.IsValueType && !seen.Add(value)) return;
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items) Walk(item, $"{path}[{i++}]", seen, depth + 1);
        }
        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRefLike) continue;
                Walk(field.GetValue(value), $"{path}.{field.Name}", seen, depth + 1);
            }
        }
    }
}

using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SymGrad.Tests.Generator;

/// <summary>How a parameter of a [Differentiable] method is passed, and whether it gets an adjoint.</summary>
internal enum ParamKind { Double, Int, Array, Array2D, ReadOnlySpan, Span, IntArray }

internal sealed record ProbeParam(string Name, ParamKind Kind, bool Differentiable);

/// <summary>
/// Calls a [Differentiable] method, its generated <c>Gradient</c> and its <c>Tape</c> twin from a test. Spans and
/// <c>ref</c> adjoints cannot go through reflection, so a small C# class (written from the method's signature and
/// compiled beside it, like any consumer's code) takes the arguments as <c>object[]</c>: <c>double</c>, <c>int</c>,
/// <c>double[]</c> (also for spans) and <c>double[,]</c>; gradients come back in the same shapes, null where a
/// parameter has no adjoint.
/// </summary>
internal sealed class Probe
{
    private readonly Func<object[], double> _value;
    private readonly Func<object[], object?[], double> _gradient;
    private readonly Func<object[], object?[], double> _tape;

    private Probe(IReadOnlyList<ProbeParam> parameters, MethodInfo value, MethodInfo gradient, MethodInfo tape)
    {
        Parameters = parameters;
        _value = value.CreateDelegate<Func<object[], double>>();
        _gradient = gradient.CreateDelegate<Func<object[], object?[], double>>();
        _tape = tape.CreateDelegate<Func<object[], object?[], double>>();
    }

    public IReadOnlyList<ProbeParam> Parameters { get; }

    public double Value(object[] args) => _value(args);

    /// <summary>The generated gradient, written into <paramref name="adjoints"/> (pre-filled by the caller).</summary>
    public double Gradient(object[] args, object?[] adjoints) => _gradient(args, adjoints);

    /// <summary>The tape twin's value, and its gradient by <see cref="SymGrad.Value.Backward"/>.</summary>
    public (double Value, object?[] Gradient) Tape(object[] args)
    {
        object?[] gradient = NewAdjoints(args, 0.0);
        double value = _tape(args, gradient);
        return (value, gradient);
    }

    /// <summary>Adjoint buffers shaped like the arguments, every element set to <paramref name="fill"/>.</summary>
    public object?[] NewAdjoints(object[] args, double fill) => Parameters.Select<ProbeParam, object?>((p, i) => !p.Differentiable ? null : args[i] switch
    {
        double => fill,
        double[] a => Enumerable.Repeat(fill, a.Length).ToArray(),
        double[,] m => Filled(m.GetLength(0), m.GetLength(1), fill),
        _ => throw new InvalidOperationException(),
    }).ToArray();

    private static double[,] Filled(int rows, int columns, double fill)
    {
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++)
        for (int j = 0; j < columns; j++)
            m[i, j] = fill;
        return m;
    }

    /// <summary>Compiles the probes of the given methods into the run's output and loads it.</summary>
    public static (LoadedAssembly Assembly, Dictionary<string, Probe> Probes) Load(GeneratorRun run, params string[] methods)
    {
        Assert.True(run.SymGradDiagnostics.Count == 0, "SymGrad diagnostics:\n" + GeneratorRun.Describe(run.SymGradDiagnostics));
        var sources = new StringBuilder("#nullable enable\nnamespace SymGradProbes\n{\n").Append(Helpers);
        var signatures = new Dictionary<string, List<ProbeParam>>();
        foreach (string method in methods)
        {
            IMethodSymbol symbol = Assert.Single(run.Output.GetSymbolsWithName(method, SymbolFilter.Member).OfType<IMethodSymbol>());
            List<ProbeParam> parameters = symbol.Parameters.Select(Describe).ToList();
            signatures[method] = parameters;
            sources.Append(Source(symbol, parameters));
        }
        sources.Append("}\n");
        CSharpCompilation compilation = (CSharpCompilation)run.Output.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText(sources.ToString(), GeneratorHarness.ParseOptions, path: "Probes.cs"));
        var problems = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(problems.Count == 0, "Probes do not compile:\n" + GeneratorRun.Describe(problems) + "\n" + sources);
        LoadedAssembly loaded = new GeneratorRun(run.Driver, run.Result, compilation).Load();
        var probes = methods.ToDictionary(m => m, m =>
        {
            Type type = loaded.Assembly.GetType("SymGradProbes.Probe_" + m)!;
            MethodInfo Get(string name) => type.GetMethod(name)!;
            return new Probe(signatures[m], Get("Value"), Get("Gradient"), Get("Tape"));
        });
        return (loaded, probes);
    }

    private static ProbeParam Describe(IParameterSymbol p)
    {
        ParamKind kind = p.Type switch
        {
            { SpecialType: SpecialType.System_Double } => ParamKind.Double,
            { SpecialType: SpecialType.System_Int32 } => ParamKind.Int,
            // int[] and ReadOnlySpan<int>: data (labels, index tables), passed as int[], never differentiated.
            IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Int32 } => ParamKind.IntArray,
            INamedTypeSymbol { Name: "ReadOnlySpan", TypeArguments: [{ SpecialType: SpecialType.System_Int32 }] } => ParamKind.IntArray,
            IArrayTypeSymbol { Rank: 1 } => ParamKind.Array,
            IArrayTypeSymbol { Rank: 2 } => ParamKind.Array2D,
            INamedTypeSymbol { Name: "ReadOnlySpan" } => ParamKind.ReadOnlySpan,
            INamedTypeSymbol { Name: "Span" } => ParamKind.Span,
            _ => throw new InvalidOperationException($"Parameter {p.Name}: {p.Type}"),
        };
        bool noDerivative = p.GetAttributes().Any(a => a.AttributeClass?.Name == "NoDerivativeAttribute");
        return new ProbeParam(p.Name, kind, kind is not (ParamKind.Int or ParamKind.IntArray) && !noDerivative);
    }

    private const string Helpers = """
            internal static class ProbeHelpers
            {
                public static global::SymGrad.Value[] Leaves(double[] a) => global::System.Array.ConvertAll(a, x => new global::SymGrad.Value(x));
                public static global::SymGrad.Value[,] Leaves(double[,] a)
                {
                    var v = new global::SymGrad.Value[a.GetLength(0), a.GetLength(1)];
                    for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) v[i, j] = new global::SymGrad.Value(a[i, j]);
                    return v;
                }
                public static double[] Grads(global::SymGrad.Value[] v) => global::System.Array.ConvertAll(v, x => x.Grad);
                public static double[,] Grads(global::SymGrad.Value[,] v)
                {
                    var g = new double[v.GetLength(0), v.GetLength(1)];
                    for (int i = 0; i < v.GetLength(0); i++) for (int j = 0; j < v.GetLength(1); j++) g[i, j] = v[i, j].Grad;
                    return g;
                }
            }

        """;

    private static string Source(IMethodSymbol method, List<ProbeParam> ps)
    {
        string type = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        // A keyword used as a name (@class) needs its @ back in source.
        string name = SyntaxFacts.GetKeywordKind(method.Name) != SyntaxKind.None ? "@" + method.Name : method.Name;
        string Cast(ParamKind k) => k switch
        {
            ParamKind.Double => "double", ParamKind.Int => "int", ParamKind.IntArray => "int[]", ParamKind.Array2D => "double[,]", _ => "double[]",
        };
        IEnumerable<string> Args() => ps.Select((p, i) => $"({Cast(p.Kind)})a[{i}]");

        var s = new StringBuilder();
        s.AppendLine($"    public static class Probe_{method.Name}");
        s.AppendLine("    {");
        s.AppendLine($"        public static double Value(object[] a) => {type}.{name}({string.Join(", ", Args())});");

        // Gradient: adjoints passed in g (pre-filled by the test), written back for the ref scalars.
        s.AppendLine("        public static double Gradient(object[] a, object?[] g)");
        s.AppendLine("        {");
        var adjoints = new List<string>();
        for (int i = 0; i < ps.Count; i++)
        {
            if (!ps[i].Differentiable) continue;
            s.AppendLine($"            var d{i} = ({Cast(ps[i].Kind)})g[{i}]!;");
            adjoints.Add(ps[i].Kind == ParamKind.Double ? $"ref d{i}" : $"d{i}");
        }
        s.AppendLine($"            double r = {type}.{name}Gradient({string.Join(", ", Args().Concat(adjoints))});");
        for (int i = 0; i < ps.Count; i++)
        {
            if (ps[i].Differentiable && ps[i].Kind == ParamKind.Double) s.AppendLine($"            g[{i}] = d{i};");
        }
        s.AppendLine("            return r;");
        s.AppendLine("        }");

        // Tape: leaves for the differentiable parameters, Backward, their Grads out.
        s.AppendLine("        public static double Tape(object[] a, object?[] g)");
        s.AppendLine("        {");
        var tapeArgs = new List<string>();
        for (int i = 0; i < ps.Count; i++)
        {
            if (!ps[i].Differentiable)
            {
                tapeArgs.Add($"({Cast(ps[i].Kind)})a[{i}]");
                continue;
            }
            string leaf = ps[i].Kind == ParamKind.Double ? $"new global::SymGrad.Value((double)a[{i}])" : $"ProbeHelpers.Leaves(({Cast(ps[i].Kind)})a[{i}])";
            s.AppendLine($"            var t{i} = {leaf};");
            tapeArgs.Add($"t{i}");
        }
        s.AppendLine($"            global::SymGrad.Value r = {type}.{name}Tape({string.Join(", ", tapeArgs)});");
        s.AppendLine("            r.Backward();");
        for (int i = 0; i < ps.Count; i++)
        {
            if (!ps[i].Differentiable) continue;
            s.AppendLine(ps[i].Kind == ParamKind.Double ? $"            g[{i}] = t{i}.Grad;" : $"            g[{i}] = ProbeHelpers.Grads(t{i});");
        }
        s.AppendLine("            return r.Data;");
        s.AppendLine("        }");
        s.AppendLine("    }");
        return s.ToString();
    }
}

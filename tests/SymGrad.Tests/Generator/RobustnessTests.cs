using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SymGrad.Tests.Generator;

/// <summary>
/// Hostile and unusual input: each case ends in generated code that compiles (and, where it is callable, is
/// right) or in SG diagnostics, never in a generator exception (the harness checks that on every run).
/// </summary>
public class RobustnessTests
{
    private const string Usings = "using System;\nusing SymGrad;\n\n";

    public static TheoryData<string, string> BrokenCode => new()
    {
        { "syntax error in an expression", "[Differentiable] public static double F(double x) { return x * ; }" },
        { "missing semicolon", "[Differentiable] public static double F(double x) { double y = x * 2 return y; }" },
        { "half-typed member access", "[Differentiable] public static double F(double x) { double y = Math. ; return y; }" },
        { "half-typed parameter list", "[Differentiable] public static double F(double x," },
        { "attribute with nothing after it", "[Differentiable]" },
        { "half-typed expression body", "[Differentiable] public static double F(double x) => Math.Exp(x) +" },
        { "half-typed for loop", "[Differentiable] public static double F(double x) { for (int i = 0; i < ; i++) { } return x; }" },
        { "not all paths return", "[Differentiable] public static double F(double x) { if (x > 0) return x; }" },
        { "undefined name", "[Differentiable] public static double F(double x) => x * y;" },
        { "undefined method", "[Differentiable] public static double F(double x) => Nope(x);" },
        { "wrong argument count", "[Differentiable] public static double F(double x) => Math.Exp(x, x);" },
        { "attribute with an argument", "[Differentiable(3)] public static double F(double x) => x;" },
        { "type mismatch", "[Differentiable] public static double F(double x) { int n = x; return n; }" },
        { "unbalanced braces", "[Differentiable] public static double F(double x) { { return x; }" },
        { "duplicate method", "[Differentiable] public static double F(double x) => x;\n[Differentiable] public static double F(double y) => y;" },
        { "call to a broken differentiable method", "[Differentiable] public static double F(double x) => G(x);\n[Differentiable] public static double G(double x) => x +;" },
        { "unsafe pointer", "[Differentiable] public static unsafe double F(double* p) => *p;" },
        { "params array", "[Differentiable] public static double F(params double[] v) => v[0];" },
        { "optional parameter", "[Differentiable] public static double F(double x, double y = 2) => x * y;" },
        { "out parameter", "[Differentiable] public static double F(double x, out double y) { y = x; return x; }" },
        { "in parameter", "[Differentiable] public static double F(in double x) => x * x;" },
        { "ref return", "static double s; [Differentiable] public static ref double F(double x) => ref s;" },
        { "async", "[Differentiable] public static async System.Threading.Tasks.Task<double> F(double x) { await System.Threading.Tasks.Task.Yield(); return x; }" },
        { "iterator", "[Differentiable] public static System.Collections.Generic.IEnumerable<double> F(double x) { yield return x; }" },
        { "operator", "[Differentiable] public static Methods operator +(Methods a, Methods b) => a;" },
        { "constructor", "[Differentiable] public Methods() { }" },
        { "property getter", "public static double P { [Differentiable] get => 1.0; }" },
        { "lambda", "public static Func<double, double> L = [Differentiable] (double x) => x * x;" },
        { "huge constant loop", "[Differentiable] public static double F(double x) { double s = 0; for (long i = 0; i < 10000000000L; i++) s += x; return s; }" },
        { "infinite constant loop", "[Differentiable] public static double F(double x) { double s = 0; for (int i = 0; ; i++) s += x; }" },
        { "loop that never ends by its bound", "[Differentiable] public static double F(double x) { double s = 0; for (int i = 0; i < 10; i--) s += x; return s; }" },
        { "division by a constant zero", "[Differentiable] public static double F(double x) { int n = 0; return x / n + 1 / 0.0; }" },
        { "index out of range", "[Differentiable] public static double F(double x) { double[] a = [x, x]; return a[2]; }" },
        { "negative index", "[Differentiable] public static double F(double[] v) => v[-1];" },
        { "local array of runtime size", "[Differentiable] public static double F(double x, int n) { double[] a = new double[n]; return x; }" },
        { "nested local function", "[Differentiable] public static double F(double x) { double G(double y) => y * y; return G(x); }" },
        { "attribute on a local function", "public static double F(double x) { [Differentiable] static double G(double y) => y * y; return G(x); }" },
        { "deep expression", "[Differentiable] public static double F(double x) => " + string.Join(" + ", Enumerable.Repeat("Math.Sin(x)", 2000)) + ";" },
        { "deep nesting", "[Differentiable] public static double F(double x) => " + new string('(', 300) + "x" + new string(')', 300) + ";" },
        { "string and char", "[Differentiable] public static double F(double x) { string s = \"a\"; return x + s.Length; }" },
        { "field read", "static double k = 2; [Differentiable] public static double F(double x) => x * k;" },
        { "field write", "static double k = 2; [Differentiable] public static double F(double x) { k = x; return x; }" },
        { "checked arithmetic", "[Differentiable] public static double F(double x, int n) => x * checked(n + 1);" },
        { "float math", "[Differentiable] public static double F(double x) => MathF.Sin((float)x);" },
        { "Math.Abs of int", "[Differentiable] public static double F(double x, int n) => x * Math.Abs(n);" },
        { "Math.Max of ints", "[Differentiable] public static double F(double x, int n) => x * Math.Max(n, 2);" },
        { "Math.Round", "[Differentiable] public static double F(double x) => Math.Round(x) * x;" },
        { "is pattern", "[Differentiable] public static double F(double x) => x is > 0 ? x : -x;" },
        { "switch expression", "[Differentiable] public static double F(double x) => (x > 0) switch { true => x, false => -x };" },
        { "tuple", "[Differentiable] public static double F(double x) { var (a, b) = (x, 2.0); return a * b; }" },
        { "nullable double", "[Differentiable] public static double F(double x) { double? y = x; return y.Value; }" },
        { "default literal", "[Differentiable] public static double F(double x) { double y = default; return x + y; }" },
        { "stackalloc of runtime size", "[Differentiable] public static double F(double x, int n) { Span<double> s = stackalloc double[n]; return x; }" },
        { "spread in collection", "[Differentiable] public static double F(double[] v) { double[] a = [.. v]; return a[0]; }" },
        { "array of arrays", "[Differentiable] public static double F(double[][] v) => v[0][0];" },
        { "array parameter reassigned", "[Differentiable] public static double F(double[] v) { v = new double[2]; return v[0]; }" },
        { "scalar parameter assigned", "[Differentiable] public static double F(double x) { x = 2 * x; return x; }" },
        { "increment of a parameter", "[Differentiable] public static double F(double x) { x++; return x; }" },
        { "recursion through two methods", "[Differentiable] public static double F(double x) => x < 0 ? x : G(x - 1);\n[Differentiable] public static double G(double x) => F(x) * 2;" },
        { "return in a loop", "[Differentiable] public static double F(double x) { for (int i = 0; i < 3; i++) { if (x > i) return x; } return 0; }" },
        { "break in a loop", "[Differentiable] public static double F(double x) { double s = 0; for (int i = 0; i < 3; i++) { if (i == 2) break; s += x; } return s; }" },
        { "continue in a loop", "[Differentiable] public static double F(double x) { double s = 0; for (int i = 0; i < 3; i++) { if (i == 1) continue; s += x; } return s; }" },
        { "loop variable written in the body", "[Differentiable] public static double F(double x) { double s = 0; for (int i = 0; i < 6; i++) { i++; s += x * i; } return s; }" },
        { "double loop variable", "[Differentiable] public static double F(double x) { double s = 0; for (double t = 0; t < 1; t += 0.25) s += x * t; return s; }" },
        { "runtime condition in a loop", "[Differentiable] public static double F(double x) { double s = 0; for (int i = 0; i < 3 && x > 0; i++) s += x; return s; }" },
        { "compound assignment with conversion", "[Differentiable] public static double F(double x) { int n = 1; n += 2.5; return x * n; }" },
        { "conditional of mixed types", "[Differentiable] public static double F(double x, int n) => n > 0 ? n : x;" },
        { "bool local from runtime", "[Differentiable] public static double F(double x) { bool b = x > 0; if (b) return x; return -x; }" },
        { "use of an unassigned local in a branch", "[Differentiable] public static double F(double x) { double y; if (x > 0) y = x; else y = -x; return y; }" },
        { "float returning double math", "[Differentiable] public static float F(float x) => Math.Sin(x);" },
        { "float with a double literal", "[Differentiable] public static float F(float x) => x * 2.5;" },
        { "float output span of a double method", "[Differentiable] public static void F(double x, [Output] Span<float> r) { r[0] = (float)x; }" },
        { "float and double arrays", "[Differentiable] public static float F(float[] a, double[] b) => a[0] * (float)b[0];" },
        { "half precision", "[Differentiable] public static Half F(Half x) => x * x;" },
        { "SymMath on a float", "[Differentiable] public static float F(float x) => (float)SymMath.Relu(x);" },
        { "switch without sections", "[Differentiable] public static double F(double x, int n) { switch (n) { } return x; }" },
        { "switch falling out of a loop", "[Differentiable] public static double F(double x, int n) { double s = 0; for (int i = 0; i < n; i++) { switch (i) { case 1: break; default: s += x; break; } } return s; }" },
        { "switch with goto case", "[Differentiable] public static double F(double x, int n) { switch (n) { case 0: x *= 2; goto case 1; case 1: x += 1; break; } return x; }" },
        { "switch on a string", "[Differentiable] public static double F(double x, string k) { switch (k) { case \"a\": return x; default: return -x; } }" },
        { "switch with a type pattern", "[Differentiable] public static double F(double x) { switch (x) { case double d when d > 0: return d; default: return -x; } }" },
        { "lambda calling itself through its local", "[Differentiable] public static double F(double x) { Func<double, double>? f = null; f = t => t < 0 ? t : f!(t - 1); return f(x); }" },
        { "lambda with a ref parameter", "delegate double R(ref double t); [Differentiable] public static double F(double x) { R f = (ref double t) => t * t; return f(ref x); }" },
        { "lambda returning a lambda", "[Differentiable] public static double F(double x) { Func<double, Func<double, double>> f = a => b => a * b; return f(x)(x); }" },
        { "lambda passed to a method", "[Differentiable] public static double F(double[] v) { Func<double, double> f = t => t * t; return System.Linq.Enumerable.Sum(v, f); }" },
        { "async lambda", "[Differentiable] public static double F(double x) { Func<System.Threading.Tasks.Task<double>> f = async () => x; return x; }" },
        { "string with every escape", "[Differentiable] public static double F(double x) { string s = \"\\\"{}\\\\\\n\\t\\u00e9\\0\"; Console.WriteLine(s + $\"{{{x}}}\"); return x; }" },
        { "raw and verbatim strings", "[Differentiable] public static double F(double x, int n) { string a = @\"a\"\"b{\"; Console.WriteLine($@\"{a} {n,-5:D3} {x:0.00;-0.00}\" + \"\"\"raw \"q\" \"\"\"); return x; }" },
        { "side call with an array argument", "[Differentiable] public static double F(double[] v) { Console.WriteLine(v); return v[0]; }" },
        { "side call with a params array", "[Differentiable] public static double F(double x) { Console.WriteLine(\"{0} {1} {2} {3}\", x, x, x, x); return x; }" },
        { "side call on an instance", "[Differentiable] public static double F(double x) { Console.Out.WriteLine(x); return x; }" },
        { "side call of a generic method", "static void Log<T>(T t) { } [Differentiable] public static double F(double x) { Log(x); return x; }" },
        { "side call with out argument", "static void Get(out double d) { d = 1; } [Differentiable] public static double F(double x) { Get(out double d); return x * d; }" },
        { "string local read twice", "[Differentiable] public static double F(double x) { string s = $\"{x}\"; Console.WriteLine(s); Console.Write(s); return x; }" },
        { "string from a method", "[Differentiable] public static double F(double x) { string s = x.ToString(\"R\"); Console.WriteLine(s); return x; }" },
        { "string compared", "[Differentiable] public static double F(double x) { string s = \"a\"; return s == \"a\" ? x : -x; }" },
        { "slice with constant negative start", "[Differentiable] public static double F(double[] v) => v[-1..][0];" },
        { "slice past the end", "[Differentiable] public static double F(double[] v) => v.AsSpan(2, 100)[0];" },
        { "slice of a slice of a slice", "[Differentiable] public static double F(double[] v) => v[1..][1..][^1] * v.AsSpan()[..^1].Slice(0)[0];" },
        { "slice of a two-dimensional array", "[Differentiable] public static double F(double[,] w) => System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref w[0, 0], 2)[0];" },
        { "slice assigned to", "[Differentiable] public static double F(Span<double> v) { v[1..][0] = 2; return v[0]; }" },
        { "index from the end of a local array", "[Differentiable] public static double F(double x) { double[] a = [x, 2 * x]; return a[^1]; }" },
        { "range of a range variable", "[Differentiable] public static double F(double[] v) { Range r = 1..; return v[r][0]; }" },
        { "checked overflow of constants", "[Differentiable] public static double F(double x) { int m = unchecked(int.MaxValue + 1); return x * checked(m - 1 + 0); }" },
        { "checked conversion of NaN", "[Differentiable] public static double F(double x) => x * checked((int)double.NaN);" },
        { "checked long arithmetic", "[Differentiable] public static double F(double x, int n) => x * checked((long)n * n);" },
        { "model method of a struct", "public struct S { public double W; [Differentiable] public double F(double x) => W * x; }" },
        { "model field of a nested type", "public sealed partial class Outer { public sealed partial class Inner { public double[] W = []; [Differentiable] public double F(double x) => W[0] * x; } }" },
        { "model reading a field of another instance", "public sealed partial class M2 { public double W; public M2? Next; [Differentiable] public double F(double x) => Next!.W * x; }" },
        { "model method assigning a field", "public sealed partial class M3 { public double W; [Differentiable] public double F(double x) { W += x; return W; } }" },
        { "model with a readonly struct field", "public sealed partial class M4 { public readonly double W = 2; public static double S = 3; [Differentiable] public double F(double x) => W * S * x; }" },
        { "switch with only a default", "[Differentiable] public static double F(double x, int n) { switch (n) { default: x = x * x; break; } return x; }" },
    };

    [Theory]
    [MemberData(nameof(BrokenCode))]
    public void Never_a_generator_exception_never_bad_generated_code(string name, string member)
    {
        string source = Usings + "public partial class Methods\n{\n" + member + "\n}\n";
        GeneratorRun run = GeneratorHarness.RunOnAnything(source);
        Assert.DoesNotContain(run.SymGradDiagnostics, d => d.Id == "SG0099");
        // Either SymGrad explained itself, or whatever it generated compiles (the user's own errors are not its business).
        Assert.NotNull(name);
    }

    [Fact]
    public void A_member_already_named_like_the_gradient() =>
        GeneratorHarness.RunOnAnything(Usings + "public partial class Methods\n{\n[Differentiable] public static double F(double x) => x;\npublic static double FGradient(double x, ref double dX) => 0;\n}\n");

    [Fact]
    public void Int_arithmetic_that_wraps_at_compile_time()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + "public static partial class Methods\n{\n[Differentiable] public static double F(double x) { int k = int.MaxValue; k++; return x * k; }\n}\n");
        CheckGradients(run, "F", [1.5]); // C# wraps unchecked int arithmetic: k = int.MinValue
    }

    [Fact]
    public void A_containing_type_whose_name_is_not_typed_yet() =>
        GeneratorHarness.RunOnAnything(Usings + "public static partial class\n{\n    [Differentiable] public static double F(double x) => x * x;\n}\n");

    [Fact]
    public void Every_prefix_of_a_method_as_it_is_typed()
    {
        // An IDE runs the generator on each keystroke: every token prefix of a real method, closed or not.
        string method = """
            [Differentiable]
            public static double F(double x, double[] v)
            {
                double s = 0;
                for (int i = 0; i < 2; i++) s += v[i] * Math.Exp(x);
                if (s > 1) { s = Math.Log(s); } else s *= 2;
                return s > 0 ? SymMath.Relu(s) : Math.Max(0, x);
            }
            """;
        SyntaxToken[] tokens = CSharpSyntaxTree.ParseText(method).GetRoot().DescendantTokens().ToArray();
        int runs = 0;
        foreach (SyntaxToken token in tokens)
        {
            string prefix = method[..token.Span.End];
            foreach (string tail in new[] { "", "\n}" })
            {
                GeneratorRun run = GeneratorHarness.RunOnAnything(Usings + "public partial class Methods\n{\n" + prefix + tail + "\n}\n");
                Assert.DoesNotContain(run.SymGradDiagnostics, d => d.Id == "SG0099");
                runs++;
            }
        }
        Assert.True(runs > 100, $"{runs} runs");
    }

    [Fact]
    public void Every_single_token_deleted()
    {
        string source = Usings + SampleSources.Branches[SampleSources.Branches.IndexOf("namespace", StringComparison.Ordinal)..];
        SyntaxToken[] tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().ToArray();
        var failures = new List<string>();
        foreach (SyntaxToken token in tokens)
        {
            string mutated = source[..token.SpanStart] + source[token.Span.End..];
            try
            {
                GeneratorRun run = GeneratorHarness.RunOnAnything(mutated);
                Assert.DoesNotContain(run.SymGradDiagnostics, d => d.Id == "SG0099");
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException)
            {
                int line = source[..token.SpanStart].Count(c => c == '\n') + 1;
                failures.Add($"deleting '{token.Text}' (line {line}): {e.Message.Split('\n')[0]} {e.Message.Split('\n').ElementAtOrDefault(1)}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // ---- Unusual but valid: the generated code must compile, and be right.

    [Fact]
    public void Keywords_as_names_and_non_ascii_names()
    {
        string source = Usings + """
            namespace Ünïcode.Names;

            public static partial class @class
            {
                [Differentiable]
                public static double @double(double @in, double[] @out, double größe, double λ)
                {
                    double @var = @in * @out[0] + größe * λ;
                    double 变量 = Math.Sin(@var) * λ;
                    return 变量 + @out[1];
                }
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Empty(run.SymGradDiagnostics);
        string generated = run.SingleSource;
        Assert.Contains("@doubleGradient(double @in, double[] @out, double größe, double λ, ref double dIn, global::System.Span<double> dOut, ref double dGröße, ref double dΛ)", generated);
        CheckGradients(run, "double", [0.7, new[] { 1.3, -0.4 }, 0.25, -1.1]);
    }

    [Fact]
    public void Keyword_as_a_namespace_name()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + "namespace N.@namespace;\npublic static partial class C { [Differentiable] public static double F(double x) => x * x; }\n");
        CheckGradients(run, "F", [0.5]);
    }

    [Fact]
    public void Generic_and_nested_containing_types()
    {
        string source = Usings + """
            namespace Outer
            {
                namespace Inner
                {
                    public partial class Box<T> where T : class
                    {
                        public partial struct Cell<U>
                        {
                            internal static partial class Deep
                            {
                                [Differentiable] internal static double F(double x, double[] v) => Math.Tanh(x * v[0]) + v[1];
                            }
                        }
                    }

                    public partial record Rec(int A)
                    {
                        [Differentiable] public static double G(double x) => x * x * 3;
                    }

                    public partial record struct RecStruct(int A)
                    {
                        [Differentiable] private static double H(double x) => Math.Exp(x);
                        public static double CallH(double x) { double d = 0; return HGradient(x, ref d) + d; }
                    }
                }
            }

            public static class UseBox
            {
                public static double Call(double x)
                {
                    double d = 0;
                    double[] v = [1, 2], dv = new double[2];
                    return Outer.Inner.Box<string>.Cell<int>.Deep.FGradient(x, v, ref d, dv) + d + dv[0];
                }
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Empty(run.SymGradDiagnostics);
        Assert.Equal(3, run.Sources.Count);
        Assert.Contains("Outer.Inner.Box`1.Cell`1.Deep.g.cs", run.Sources.Keys);
        Assert.Contains("partial class Box<T>", run.Sources["Outer.Inner.Box`1.Cell`1.Deep.g.cs"]);
        using LoadedAssembly loaded = run.Load();
        double x = 0.3, t = Math.Tanh(x);
        Assert.Equal(t + 2 + (1 - t * t) + x * (1 - t * t), (double)loaded.Method("UseBox", "Call").Invoke(null, [x])!, 1e-15);
        Assert.Equal(Math.Exp(x) * 2, (double)loaded.Method("Outer.Inner.RecStruct", "CallH").Invoke(null, [x])!, 1e-15);
        CheckGradients(run, "G", [1.7]);
    }

    [Fact]
    public void Partial_type_split_across_two_files_with_calls_between_them()
    {
        string first = Usings + """
            namespace Split;
            public static partial class Model
            {
                [Differentiable] public static double A(double x, double[] w) => B(x * w[0]) + w[1];
            }
            """;
        string second = Usings + """
            namespace Split;
            public static partial class Model
            {
                [Differentiable] public static double B(double y) => Math.Sin(y) * y;
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.Compile(first, second));
        Assert.Empty(run.SymGradDiagnostics);
        string file = run.SingleSource; // one file per type, whatever the number of declarations
        Assert.Contains("AGradient", file);
        Assert.Contains("BGradient", file);
        CheckGradients(run, "A", [0.6, new[] { 1.5, -2.0 }]);
        CheckGradients(run, "B", [0.9]);
    }

    [Fact]
    public void Attribute_through_an_alias_and_fully_qualified()
    {
        string source = """
            using System;
            using D = SymGrad.DifferentiableAttribute;
            using ND = SymGrad.NoDerivativeAttribute;

            namespace Aliases;

            public static partial class M
            {
                [D] public static double ViaAlias(double x, [ND] double k) => Math.Exp(x * k);
                [SymGrad.Differentiable] public static double Qualified(double x) => x * x;
                [global::SymGrad.DifferentiableAttribute] public static double GlobalQualified(double x) => ViaAlias(x, 2) + Qualified(x);
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Empty(run.SymGradDiagnostics);
        Assert.Contains("ViaAliasGradient(double x, double k, ref double dX)", run.SingleSource);
        CheckGradients(run, "GlobalQualified", [0.4]);
        CheckGradients(run, "ViaAlias", [0.4, 1.5]);
    }

    [Fact]
    public void An_attribute_of_the_same_name_in_another_namespace_is_not_ours()
    {
        string source = """
            namespace Other
            {
                public sealed class DifferentiableAttribute : System.Attribute { }
                public static class M { [Differentiable] public static double F(double x) => x; }
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Empty(run.SymGradDiagnostics);
        Assert.Empty(run.Sources);
    }

    public static TheoryData<string, string, string> WrongShapes => new()
    {
        { "local function", "public static double F(double x) { return G(x); [SymGrad.Differentiable] static double G(double y) => y * y; }", "SG0012" },
        { "abstract", "public abstract partial class A { [SymGrad.Differentiable] public abstract double F(double x); }", "SG0012" },
        { "extern", "public static partial class E { [SymGrad.Differentiable] [System.Runtime.InteropServices.DllImport(\"x\")] public static extern double F(double x); }", "SG0012" },
        { "struct instance", "public partial struct I { [SymGrad.Differentiable] public double F(double x) => x; }", "SG0001" },
        { "generic", "public static partial class G { [SymGrad.Differentiable] public static double F<T>(double x) => x; }", "SG0012" },
        { "interface static", "public partial interface J { [SymGrad.Differentiable] public static double F(double x) => x; }", "SG0012" },
    };

    [Theory]
    [MemberData(nameof(WrongShapes))]
    public void Attribute_on_an_unsupported_method_shape(string name, string code, string expectedId)
    {
        string source = code.StartsWith("public static double")
            ? "public static partial class Holder { " + code + " }"
            : code;
        GeneratorRun run = GeneratorHarness.RunOnAnything(source);
        Assert.True(run.SymGradDiagnostics.Any(d => d.Id == expectedId),
            $"{name}: expected {expectedId}, got [{GeneratorRun.Describe(run.SymGradDiagnostics)}]");
    }

    [Fact]
    public void Partial_method_with_its_body_in_the_implementing_declaration()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + "public static partial class P\n{\n    [Differentiable] public static partial double F(double x);\n    public static partial double F(double x) => x * x;\n}\n");
        Assert.Empty(run.SymGradDiagnostics);
        CheckGradients(run, "F", [0.5]);
    }

    /// <summary>Gradient = tape = finite differences at one point, for a method compiled in a robustness case.</summary>
    private static void CheckGradients(GeneratorRun run, string method, object[] args)
    {
        (LoadedAssembly loaded, Dictionary<string, Probe> probes) = Probe.Load(run, method);
        using (loaded) GradientCorrectnessTests.CheckPoint(method, probes[method], args);
    }
}

using System.Globalization;
using Microsoft.CodeAnalysis;

namespace SymGrad.Tests.Generator;

/// <summary>
/// Hostile and unusual struct, record and tuple input (issue 14): each case ends either in generated code that
/// compiles with no SG diagnostic and computes the right gradient (checked against a closed form), or in exactly the
/// SG diagnostics expected, on the right syntax; never in a generator exception (the harness checks that on every
/// run) nor in generated code that does not compile. The sources carry a small <c>Driver</c> class, as a user would
/// write, that calls the generated gradient with structs and hands the numbers back as a <c>double[]</c>.
/// </summary>
public class StructRobustnessTests
{
    private const string Usings = "using System;\nusing System.Numerics;\nusing SymGrad;\n\n";


    /// <summary>Calls <c>Driver.<paramref name="method"/></c> of a run that compiled cleanly.</summary>
    private static double[] Drive(GeneratorRun run, string method, params object[] args)
    {
        using LoadedAssembly loaded = run.Load();
        return (double[])loaded.Method("Driver", method).Invoke(null, args)!;
    }

    /// <summary>Generated code that compiles, with no SG diagnostic.</summary>
    private static GeneratorRun Clean(string source) => GeneratorHarness.RunClean(Usings + source);

    /// <summary>Exactly these SG ids, each on this syntax, in source order.</summary>
    private static GeneratorRun Expect(string source, params (string Id, string Located)[] expected)
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything(Usings + source);
        Assert.Equal(expected.Select(e => $"{e.Id} [{e.Located}]"),
            run.SymGradDiagnostics.Select(d => $"{d.Id} [{run.LocatedText(d)}]"));
        return run;
    }

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * (1 + Math.Abs(expected)), $"{what}: {actual}, expected {expected}");

    // ---- Types that are not shapes: a clean diagnostic where they are used, never a crash.

    [Fact]
    public void A_record_class_that_holds_itself_is_no_shape()
    {
        Expect("""
            public record Node(double X, Node? Next);
            public static partial class C
            {
                [Differentiable] public static double F(double x) { var n = new Node(x, null); return n.X * x; }
                [Differentiable] public static double G(Node n, double x) => n.X * x;
            }
            """, ("SG0011", "n = new Node(x, null)"), ("SG0004", "Node n"));
    }

    [Fact]
    public void A_generic_struct_is_no_shape()
    {
        Expect("""
            public struct G<T> { public double X; public double Y; }
            public static partial class C
            {
                [Differentiable] public static double F(double x) { var g = new G<int> { X = x, Y = 2 }; return g.X * g.Y; }
                [Differentiable] public static double H(G<int> g, double x) => g.X * x;
            }
            """, ("SG0011", "g = new G<int> { X = x, Y = 2 }"), ("SG0004", "G<int> g"));
    }

    [Fact]
    public void A_ref_struct_is_no_shape()
    {
        Expect("""
            public ref struct R { public double X; }
            public static partial class C
            {
                [Differentiable] public static double F(double x) { var r = new R { X = x }; return r.X * x; }
                [Differentiable] public static double G(R r) => r.X * r.X;
            }
            """, ("SG0011", "r = new R { X = x }"), ("SG0004", "R r"));
    }

    [Fact]
    public void A_struct_holding_a_double_array_is_no_shape()
    {
        GeneratorRun run = Expect("""
            public struct S { public double[] A; public double X; }
            public static partial class C
            {
                [Differentiable] public static double F(double x) { var s = new S { A = new double[2], X = x }; return s.X * x; }
                [Differentiable] public static double G(S s) => s.X * s.A[0];
            }
            """, ("SG0011", "s = new S { A = new double[2], X = x }"), ("SG0004", "S s"));
        Assert.StartsWith("A local of type 'S' is not supported", GeneratorHarness.Message(run.SymGradDiagnostics[0]));
    }

    // ---- Recursion through struct members: SG0010 at the recursive use, not a stack overflow.

    [Theory]
    [InlineData("public record struct V(double X, double Y) { public static V operator +(V a, V b) => a + b; }",
        "var v = new V(x, 1) + new V(2, x); return v.X;", "a + b", "F -> op_Addition -> op_Addition")]
    [InlineData("public struct S { public double X; public double Norm => Norm + X; }",
        "return new S { X = x }.Norm;", "Norm", "F -> get_Norm -> get_Norm")]
    [InlineData("public struct S { public double X; public S(double x) { this = new S(x); } }",
        "return new S(x).X;", "new S(x)", "F -> .ctor -> .ctor")]
    [InlineData("public struct A { public double X; public double F(int n) => n <= 0 ? X : new B { Y = X }.G(n - 1); }\npublic struct B { public double Y; public double G(int n) => new A { X = Y * 2 }.F(n); }",
        "return new A { X = x }.F(3);", "new A { X = Y * 2 }.F", "F -> F -> G -> F")]
    public void Recursion_through_struct_members_is_SG0010(string types, string body, string located, string path)
    {
        GeneratorRun run = Expect(types + "\npublic static partial class C { [Differentiable] public static double F(double x) { " + body + " } }",
            ("SG0010", located));
        Assert.Contains(path, GeneratorHarness.Message(run.SymGradDiagnostics[0]));
    }

    // ---- Unusual but valid: compiles, and the gradient is the closed form.

    [Fact]
    public void A_struct_with_300_double_fields_as_a_parameter()
    {
        const int n = 300;
        string fields = string.Concat(Enumerable.Range(0, n).Select(i => $"public double F{i}; "));
        string sum = string.Join(" + ", Enumerable.Range(0, n).Select(i => $"{i + 1} * s.F{i} * s.F{i}"));
        string set = string.Concat(Enumerable.Range(0, n).Select(i => $"s.F{i} = {i} * 0.01 - 1; "));
        string read = string.Join(", ", Enumerable.Range(0, n).Select(i => $"d.F{i}"));
        GeneratorRun run = Clean($$"""
            public struct Big { {{fields}} }
            public static partial class C { [Differentiable] public static double F(Big s) => {{sum}}; }
            public static class Driver
            {
                public static double[] G()
                {
                    var s = new Big();
                    {{set}}
                    var d = new Big();
                    double v = C.FGradient(s, ref d);
                    return [v, {{read}}];
                }
            }
            """);
        Assert.Contains("FGradient(global::Big s, ref global::Big dS)", run.SingleSource);
        double[] r = Drive(run, "G");
        double value = 0;
        for (int i = 0; i < n; i++)
        {
            double f = i * 0.01 - 1;
            value += (i + 1) * f * f;
            Close(2 * (i + 1) * f, r[i + 1], $"dS.F{i}");
        }
        Assert.Equal(value, r[0], 1e-9);
    }

    [Fact]
    public void A_struct_method_calling_a_method_of_another_struct()
    {
        GeneratorRun run = Clean("""
            public record struct A(double X) { public double Times(B b) => X * b.Scaled(X); }
            public record struct B(double Y) { public double Scaled(double k) => Y * k * k; }
            public static partial class C { [Differentiable] public static double F(double x, double y) => new A(x).Times(new B(y)); }
            public static class Driver
            {
                public static double[] G(double x, double y) { double dx = 0, dy = 0; double v = C.FGradient(x, y, ref dx, ref dy); return [v, dx, dy]; }
            }
            """);
        double[] r = Drive(run, "G", 1.5, -0.7);
        Close(1.5 * 1.5 * 1.5 * -0.7, r[0], "value");
        Close(3 * 1.5 * 1.5 * -0.7, r[1], "d/dx");
        Close(1.5 * 1.5 * 1.5, r[2], "d/dy");
    }

    [Fact]
    public void A_nested_tuple_parameter_deconstructed_and_read_by_path()
    {
        GeneratorRun run = Clean("""
            public static partial class C
            {
                [Differentiable] public static double F(((double, double), double) t) { var ((a, b), c) = t; return a * b * c + t.Item1.Item2; }
            }
            public static class Driver
            {
                public static double[] G(double a, double b, double c)
                {
                    var d = ((9.0, 9.0), 9.0); // stale values: overwritten
                    double v = C.FGradient(((a, b), c), ref d);
                    return [v, d.Item1.Item1, d.Item1.Item2, d.Item2];
                }
            }
            """);
        Assert.Contains("ref ((double, double), double) dT", run.SingleSource);
        double[] r = Drive(run, "G", 0.5, 2.0, -3.0);
        Assert.Equal([0.5 * 2.0 * -3.0 + 2.0, 2.0 * -3.0, 0.5 * -3.0 + 1, 0.5 * 2.0], r);
    }

    [Fact]
    public void A_tuple_converted_to_one_with_its_names_swapped_keeps_the_positions()
    {
        // (double B, double A) u = t is by position: u.B is t.A (x), u.A is t.B (y); names never reorder.
        GeneratorRun run = Clean("""
            public static partial class C
            {
                [Differentiable] public static double F(double x, double y) { (double A, double B) t = (x, y); (double B, double A) u = t; return u.A * 3 + u.B * u.B; }
            }
            public static class Driver
            {
                public static double[] G(double x, double y) { double dx = 0, dy = 0; double v = C.FGradient(x, y, ref dx, ref dy); return [v, dx, dy]; }
            }
            """);
        Assert.Equal([3 * 5.0 + 2.0 * 2.0, 2 * 2.0, 3], Drive(run, "G", 2.0, 5.0));
    }

    [Fact]
    public void Deconstruction_into_discards()
    {
        GeneratorRun run = Clean("""
            public static partial class C
            {
                [Differentiable] public static double F(double x, double y) { var t = (x * 2, y * y); var (_, b) = t; (var a, _) = t; return a * b; }
            }
            public static class Driver
            {
                public static double[] G(double x, double y) { double dx = 0, dy = 0; double v = C.FGradient(x, y, ref dx, ref dy); return [v, dx, dy]; }
            }
            """);
        double x = 0.75, y = -1.25;
        Assert.Equal([2 * x * y * y, 2 * y * y, 4 * x * y], Drive(run, "G", x, y));
    }

    [Fact]
    public void With_on_a_tuple_by_element_name_and_by_ItemN()
    {
        GeneratorRun run = Clean("""
            public static partial class C
            {
                [Differentiable] public static double F(double x, double y)
                {
                    (double A, double B) t = (x, y);
                    var u = t with { A = y * y };
                    var v = t with { Item2 = 5 };
                    return u.A * u.B + v.B * v.A;
                }
            }
            public static class Driver
            {
                public static double[] G(double x, double y) { double dx = 0, dy = 0; double v = C.FGradient(x, y, ref dx, ref dy); return [v, dx, dy]; }
            }
            """);
        double x = 1.1, y = 0.6;
        double[] r = Drive(run, "G", x, y);
        Close(y * y * y + 5 * x, r[0], "value");
        Close(5, r[1], "d/dx");
        Close(3 * y * y, r[2], "d/dy");
    }

    [Fact]
    public void A_field_initializer_reading_a_primary_constructor_parameter()
    {
        GeneratorRun run = Clean("""
            public struct S(double a) { public double X = a * a; public double Y = 3; }
            public static partial class C { [Differentiable] public static double F(double x) { var s = new S(x); return s.X + s.Y * x; } }
            public static class Driver
            {
                public static double[] G(double x) { double dx = 0; double v = C.FGradient(x, ref dx); return [v, dx]; }
            }
            """);
        Assert.Equal([0.25 + 3 * 0.5, 2 * 0.5 + 3], Drive(run, "G", 0.5));
    }

    [Fact]
    public void A_struct_with_a_const_a_static_field_and_an_event()
    {
        // The const is read through the member; the static field and the event are not numbers of the value.
        GeneratorRun run = Clean("""
            public struct S
            {
                public double X;
                public const double K = 3;
                public static int Count = 0;
                public event Action? Changed;
                public void Raise() => Changed?.Invoke();
                public double Scaled() => X * K;
            }
            public static partial class C
            {
                [Differentiable] public static double F(S s) => s.Scaled() * s.X;
            }
            public static class Driver
            {
                public static double[] G(double x) { var d = new S { X = 99 }; double v = C.FGradient(new S { X = x }, ref d); return [v, d.X]; }
            }
            """);
        Assert.Contains("dS = default(global::S) with { X = dS_X };", run.SingleSource);
        Assert.Equal([3 * 1.5 * 1.5, 6 * 1.5], Drive(run, "G", 1.5));
    }

    [Fact]
    public void A_static_field_read_inside_a_struct_member_is_reported_where_it_is_read()
    {
        GeneratorRun run = Expect("""
            public struct S { public double X; public static double Scale = 2; public double F() => X * Scale; }
            public static partial class C { [Differentiable] public static double F(double x) { var s = new S { X = x }; return s.F() * x; } }
            """, ("SG0011", "Scale"));
        Assert.Contains("Reading the field 'Scale' of another object or type", GeneratorHarness.Message(run.SymGradDiagnostics[0]));
    }

    [Fact]
    public void An_in_struct_parameter_marked_NoDerivative_is_data()
    {
        GeneratorRun run = Clean("""
            public record struct P(double X, double Y);
            public static partial class C { [Differentiable] public static double F([NoDerivative] in P p, double x) => p.X * x + p.Y * x * x; }
            public static class Driver
            {
                public static double[] G(double x) { double dx = 0; var p = new P(2, -3); double v = C.FGradient(in p, x, ref dx); return [v, dx]; }
            }
            """);
        Assert.Contains("public static double FGradient(in global::P p, double x, ref double dX)", run.SingleSource);
        double x = 0.4;
        Assert.Equal([2 * x - 3 * x * x, 2 - 6 * x], Drive(run, "G", x));
    }

    [Fact]
    public void A_nine_element_tuple_parameter_uses_Item8_and_Item9()
    {
        GeneratorRun run = Clean("""
            public static partial class C
            {
                [Differentiable] public static double F((double, double, double, double, double, double, double, double, double) t) => t.Item1 * t.Item8 + t.Item9 * t.Item9;
            }
            public static class Driver
            {
                public static double[] G()
                {
                    var d = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
                    double v = C.FGradient((2.0, 0, 0, 0, 0, 0, 0, 5.0, -3.0), ref d);
                    return [v, d.Item1, d.Item2, d.Item7, d.Item8, d.Item9];
                }
            }
            """);
        Assert.Equal([2.0 * 5.0 + 9.0, 5.0, 0, 0, 2.0, -6.0], Drive(run, "G"));
    }

    [Fact]
    public void A_tuple_of_a_record_struct_and_a_tuple_with_an_int()
    {
        GeneratorRun run = Clean("""
            public record struct V(double X, double Y);
            public static partial class C
            {
                [Differentiable] public static double F((V, (double, int)) t) => t.Item1.X * t.Item2.Item1 * t.Item2.Item2 + t.Item1.Y;
            }
            public static class Driver
            {
                public static double[] G()
                {
                    var d = (new V(7, 7), (7.0, 7));
                    double v = C.FGradient((new V(1.5, 2.5), (-2.0, 3)), ref d);
                    return [v, d.Item1.X, d.Item1.Y, d.Item2.Item1, d.Item2.Item2];
                }
            }
            """);
        Assert.Equal([1.5 * -2.0 * 3 + 2.5, -2.0 * 3, 1, 1.5 * 3, 0], Drive(run, "G")); // an int's gradient is 0
    }

    [Fact]
    public void Structs_nested_forty_deep()
    {
        string types = "public struct L0 { public double X; }\n" + string.Concat(Enumerable.Range(1, 40).Select(i => $"public struct L{i} {{ public L{i - 1} I; public double V; }}\n"));
        string path = string.Concat(Enumerable.Repeat("I.", 40)) + "X";
        GeneratorRun run = Clean(types + $$"""
            public static partial class C { [Differentiable] public static double F(L40 s) => s.{{path}} * s.V; }
            public static class Driver
            {
                public static double[] G()
                {
                    var s = new L40();
                    s.{{path}} = 3;
                    s.V = -2;
                    s.I.V = 100; // not read: no gradient
                    var d = new L40();
                    double v = C.FGradient(s, ref d);
                    return [v, d.{{path}}, d.V, d.I.V];
                }
            }
            """);
        Assert.Equal([-6, -2, 3, 0], Drive(run, "G"));
    }

    [Fact]
    public void A_user_equality_operator_on_default_is_inlined_but_a_record_structs_synthesized_one_is_SG0011()
    {
        GeneratorRun run = Clean("""
            public struct S
            {
                public double X;
                public static bool operator ==(S a, S b) => a.X == b.X;
                public static bool operator !=(S a, S b) => !(a == b);
                public override bool Equals(object? o) => o is S s && s.X == X;
                public override int GetHashCode() => X.GetHashCode();
            }
            public static partial class C { [Differentiable] public static double F(double x) { var a = new S { X = x }; return a == default ? x : x * x; } }
            public static class Driver
            {
                public static double[] G(double x) { double dx = 0; double v = C.FGradient(x, ref dx); return [v, dx]; }
            }
            """);
        Assert.Equal([0, 1], Drive(run, "G", 0.0)); // the branch where a == default
        Assert.Equal([9, 6], Drive(run, "G", 3.0));

        GeneratorRun synthesized = Expect("""
            public record struct P(double X, double Y);
            public static partial class C { [Differentiable] public static double F(double x) { var p = new P(x, 1); return p == default ? 0 : p.X * x; } }
            """, ("SG0011", "p == default"));
        Assert.StartsWith("'p == default', whose member 'P.operator ==(P, P)' has no body SymGrad can read", GeneratorHarness.Message(synthesized.SymGradDiagnostics[0]));
    }

    [Fact]
    public void A_property_with_a_non_auto_setter_assigned_on_a_local_is_SG0011()
    {
        Expect("""
            public struct S { private double _x; public double X { get => _x; set => _x = 2 * value; } }
            public static partial class C { [Differentiable] public static double F(double x) { var s = new S(); s.X = x; return s.X * x; } }
            """, ("SG0011", "s.X = x"));
    }

    // ---- System.Numerics and building blocks.

    [Fact]
    public void A_Vector3_in_a_double_method_is_SG0019()
    {
        GeneratorRun run = Expect("""
            public static partial class C { [Differentiable] public static double F(double x) { var v = new Vector3((float)x, 1f, 2f); return v.X * x; } }
            """, ("SG0019", "new Vector3((float)x, 1f, 2f)"));
        Assert.Contains("is float in the double method 'F'", GeneratorHarness.Message(run.SymGradDiagnostics[0]));
    }

    [Fact]
    public void Vector2_Lerp_is_SG0011()
    {
        GeneratorRun run = Expect("""
            public static partial class C { [Differentiable] public static float F(float x) { var v = Vector2.Lerp(new Vector2(x, 1f), Vector2.One, 0.5f); return v.X; } }
            """, ("SG0011", "Vector2.Lerp(new Vector2(x, 1f), Vector2.One, 0.5f)"));
        Assert.Contains("of System.Numerics", GeneratorHarness.Message(run.SymGradDiagnostics[0]));
    }

    [Fact]
    public void A_struct_returned_from_inside_a_kept_loop_is_SG0011_and_its_caller_SG0014()
    {
        Expect("""
            public record struct P(double X, double Y);
            public static partial class C
            {
                [Differentiable] public static P Loop(double x, int n) { for (int i = 0; i < n; i++) { if (x > i) return new P(x, i); } return new P(0, x); }
                [Differentiable] public static double F(double x, int n) => Loop(x, n).X * x;
            }
            """, ("SG0011", "return new P(x, i);"), ("SG0014", "Loop"));
    }

    [Fact]
    public void A_struct_passed_by_ref_to_a_differentiable_callee()
    {
        Expect("""
            public record struct P(double X, double Y);
            public static partial class C
            {
                [Differentiable] public static double G(ref P p) => p.X * p.Y;
                [Differentiable] public static double F(double x) { var p = new P(x, 2); return G(ref p); }
            }
            """, ("SG0004", "ref P p"), ("SG0011", "ref p"));
    }

    // ---- Broken code involving structs: the user's errors are the compiler's; SymGrad stays clean.

    public static TheoryData<string, string, string> BrokenStructs => new()
    {
        // An error inside the [Differentiable] method itself: the method is left alone.
        { "half-typed constructor call", "public record struct P(double X, double Y);\npublic static partial class C { [Differentiable] public static double F(double x) { var p = new P(x, ; return p.X; } }", "" },
        { "half-typed member access", "public record struct P(double X, double Y);\npublic static partial class C { [Differentiable] public static double F(double x) { var p = new P(x, 1); return p. ; } }", "" },
        { "struct method call missing its argument", "public struct S { public double X; public double Dot(S o) => X * o.X; }\npublic static partial class C { [Differentiable] public static double F(double x) { var s = new S { X = x }; return s.Dot(); } }", "" },
        { "with of a member that does not exist", "public record struct P(double X, double Y);\npublic static partial class C { [Differentiable] public static double F(double x) { var p = new P(x, 1) with { Z = 2 }; return p.X; } }", "" },
        { "local read before all its members are assigned", "public struct S { public double X, Y; }\npublic static partial class C { [Differentiable] public static double F(double x) { S s; s.X = x; return s.X + s.Y; } }", "" },
        // An error in the struct, outside the method: SymGrad reads the struct as it is.
        { "field missing its semicolon", "public struct S { public double X public double Y; }\npublic static partial class C { [Differentiable] public static double F(S s) => s.X * s.Y; }", "" },
        { "unclosed positional record", "public record struct P(double X, double Y\npublic static partial class C { [Differentiable] public static double F(P p) => p.X; }", "" },
        { "unclosed struct (the class lands inside it)", "public struct S { public double X; public double Y\npublic static partial class C { [Differentiable] public static double F(S s) => s.X * s.Y; }", "SG0002" },
        { "constructor body missing a semicolon", "public struct S { public double X; public S(double x) { X = x } }\npublic static partial class C { [Differentiable] public static double F(double x) => new S(x).X * x; }", "" },
        { "half-typed operator body", "public struct S { public double X; public static S operator +(S a, S b) => new S { X = a.X + }; }\npublic static partial class C { [Differentiable] public static double F(double x) { var s = new S { X = x } + new S { X = 1 }; return s.X; } }", "" },
        { "operator without a body (CS0501)", "public struct S { public double X; public static S operator +(S a, S b); }\npublic static partial class C { [Differentiable] public static double F(double x) { var s = new S { X = x } + new S { X = x }; return s.X; } }", "" },
        { "half-typed getter", "public struct S { public double X; public double N => ; }\npublic static partial class C { [Differentiable] public static double F(double x) => new S { X = x }.N * x; }", "" },
        { "member reading an undefined name", "public struct S { public double X; public double G() => X * Nope; }\npublic static partial class C { [Differentiable] public static double F(double x) => new S { X = x }.G(); }", "" },
        { "member reading an unassigned struct local (CS0170)", "public struct S { public double X, Y; public double G() { S t; t.X = X; return t.X + t.Y; } }\npublic static partial class C { [Differentiable] public static double F(double x) => new S { X = x, Y = 1 }.G(); }", "" },
        { "member not returning on every path (CS0161)", "public struct S { public double X; public double G() { if (X > 0) return X; } }\npublic static partial class C { [Differentiable] public static double F(double x) => new S { X = x }.G(); }", "" },
        { "field of an undefined type", "public struct S { public Nope N; public double X; }\npublic static partial class C { [Differentiable] public static double F(S s) => s.X; [Differentiable] public static double G(double x) { var s = new S { X = x }; return s.X; } }", "SG0004,SG0011" },
        { "positional record with an undefined parameter type", "public record struct P(double X, Nope Y);\npublic static partial class C { [Differentiable] public static double F(double x) => new P(x, default).X; }", "SG0011" },
        { "two fields of one name", "public struct S { public double X; public double X; }\npublic static partial class C { [Differentiable] public static double F(S s) => s.X * s.X; }", "" },
        { "structs holding each other", "public struct A { public double X; public B b; } public struct B { public A a; }\npublic static partial class C { [Differentiable] public static double F(A a) => a.X; [Differentiable] public static double G(double x) { var a = new A { X = x }; return a.X; } }", "SG0004,SG0011" },
    };

    [Theory]
    [MemberData(nameof(BrokenStructs))]
    public void Broken_struct_code_never_breaks_the_generator(string name, string source, string ids)
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything(Usings + source); // no exception, nothing wrong in generated files
        Assert.True(run.Output.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error), $"{name}: the source was meant to be broken");
        Assert.Equal(ids.Length == 0 ? [] : ids.Split(','), run.SymGradDiagnostics.Select(d => d.Id));
    }

    // ---- Bugs found by this file (see the report): each test states what must happen.

    /// <summary>
    /// A gradient struct is written with <c>default(T) with { member = ... }</c>, and its numbers read as
    /// <c>p.member</c>: a private field (behind a property with a body, or nested) or a private setter cannot be,
    /// from the generated class. That must be SG0020 on the parameter, as a readonly member is.
    /// </summary>
    [Theory]
    [InlineData("public struct S { private double _x; public double X { get => _x; set => _x = value; } }", "S s", "s.X * s.X")]
    [InlineData("public struct S { public double X { get; private set; } public S(double x) { X = x; } }", "S s", "s.X * s.X")]
    [InlineData("public struct In { private double _v; public double V { get => _v; set => _v = value; } }\npublic struct S { public In A; public double B; }", "S s", "s.A.V * s.B")]
    public void A_struct_parameter_with_a_member_the_generated_code_cannot_reach_is_SG0020(string types, string parameter, string body)
    {
        GeneratorRun run = Expect(types + $"\npublic static partial class C {{ [Differentiable] public static double F({parameter}) => {body}; }}", ("SG0020", parameter));
        Assert.StartsWith("The parameter 's' of type 'S' cannot be differentiated", GeneratorHarness.Message(run.SymGradDiagnostics[0]));
    }

    /// <summary>A struct member that holds a record class: <c>default(R) with { ... }</c> is a null dereference.</summary>
    [Fact]
    public void A_struct_parameter_holding_a_record_class_is_SG0020()
    {
        GeneratorRun run = Expect("""
            public record R(double X);
            public struct S { public R Ref; public double Y; }
            public static partial class C { [Differentiable] public static double F(S s) => s.Ref.X * s.Y; }
            """, ("SG0020", "S s"));
        Assert.Contains("record class", GeneratorHarness.Message(run.SymGradDiagnostics[0]));
    }

    [Fact]
    public void Struct_members_named_with_keywords_are_escaped()
    {
        GeneratorRun run = Clean("""
            public struct S { public double @class; public double @int; }
            public static partial class C { [Differentiable] public static double F(S s) => s.@class * s.@int; }
            public static class Driver
            {
                public static double[] G() { var d = new S(); double v = C.FGradient(new S { @class = 2, @int = 5 }, ref d); return [v, d.@class, d.@int]; }
            }
            """);
        Assert.Equal([10, 5, 2], Drive(run, "G"));
    }

    [Fact]
    public void A_parameter_named_like_a_struct_parameters_number_local()
    {
        // The leaf p.X is read into a local p_X; a parameter of that name (and one named like the gradient struct) must not clash.
        GeneratorRun run = Clean("""
            public record struct P(double X, double Y);
            public static partial class C { [Differentiable] public static double F(P p, double p_X, double dP) => p.X * p_X + dP * p.Y; }
            public static class Driver
            {
                public static double[] G()
                {
                    P d = default;
                    double a = 0, b = 0;
                    double v = C.FGradient(new P(2, 3), 5, 7, ref d, ref a, ref b);
                    return [v, d.X, d.Y, a, b];
                }
            }
            """);
        Assert.Equal([2 * 5 + 7 * 3, 5, 7, 2, 3], Drive(run, "G"));
    }

    /// <summary>
    /// A <c>[Differentiable]</c> method taking <c>in P</c> has a gradient of its own; calling it from another one must
    /// inline it (its parameter is read-only, as a by-value one) rather than say it is "neither [Differentiable] ...".
    /// </summary>
    [Fact]
    public void A_differentiable_callee_taking_an_in_struct_is_inlined()
    {
        GeneratorRun run = Clean("""
            public record struct P(double X, double Y);
            public static partial class C
            {
                [Differentiable] public static double G(in P p) => p.X * p.Y;
                [Differentiable] public static double F(double x) { var p = new P(x, 2); return G(in p) + G(p); }
            }
            public static class Driver
            {
                public static double[] H(double x) { double dx = 0; double v = C.FGradient(x, ref dx); return [v, dx]; }
            }
            """);
        Assert.Equal([4 * 1.5, 4], Drive(run, "H", 1.5));
    }

    /// <summary>
    /// Silently wrong gradients: code SymGrad accepts (no diagnostic, the output compiles) whose generated gradient
    /// computes another function than the method. Each must either be right or be refused with one SG diagnostic on
    /// the construct it cannot follow.
    /// </summary>
    [Theory]
    // A method of a struct assigning its own members: C# changes the local it is called on.
    [InlineData("public struct S { public double X; public double Bump(double k) { X = X * k; return X; } }",
        "var s = new S { X = x }; double b = s.Bump(x); return s.X + b;", 3.0, 18.0, 12.0, "s.Bump(x)")]
    // The same through a getter with side effects.
    [InlineData("public struct S { public double X; public double Next { get { X = X + 1; return X; } } }",
        "var s = new S { X = x }; double n = s.Next; return s.X * n;", 3.0, 16.0, 8.0, "s.Next")]
    // A record class's method setting its settable property: every name of the object sees it.
    [InlineData("public record R(double X) { public double Y { get; set; } public double Set(double v) { Y = v; return v; } }",
        "var r = new R(x); double s = r.Set(x * x); return r.Y + s;", 3.0, 18.0, 12.0, "r.Set(x * x)")]
    // A ref local to a struct: writing through it writes the struct.
    [InlineData("public struct S { public double X; }",
        "var s = new S { X = x }; ref var r = ref s; r.X = 2 * x; return s.X * x;", 3.0, 18.0, 12.0, "r = ref s")]
    // A ref local to a member of a struct.
    [InlineData("public struct S { public double X; }",
        "var s = new S { X = x }; ref double r = ref s.X; r = 2 * x; return s.X * x;", 3.0, 18.0, 12.0, "r = ref s.X")]
    // An explicit layout: X and Y are the same eight bytes.
    [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] public struct U { [System.Runtime.InteropServices.FieldOffset(0)] public double X; [System.Runtime.InteropServices.FieldOffset(0)] public double Y; }",
        "var u = new U(); u.X = x; return u.Y * x;", 3.0, 9.0, 6.0, "u = new U()")]
    public void What_SymGrad_accepts_it_differentiates_right(string types, string body, double x, double value, double derivative, string refusedAt)
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything(Usings + types + """

            public static partial class C { [Differentiable] public static double F(double x) { BODY } }
            public static class Driver
            {
                public static double[] G(double x) { double dx = 0; double v = C.FGradient(x, ref dx); return [C.F(x), v, dx]; }
            }
            """.Replace("BODY", body));
        if (run.SymGradDiagnostics.Count > 0)
        {
            Diagnostic d = Assert.Single(run.SymGradDiagnostics);
            Assert.Contains(d.Id, new[] { "SG0011", "SG0014" });
            Assert.Equal(refusedAt, run.LocatedText(d));
            return;
        }
        run.AssertCompilesCleanly();
        double[] r = Drive(run, "G", x);
        Assert.Equal(value, r[0]); // the method itself, run by .NET: the reference
        Assert.True(r[1] == value && Math.Abs(r[2] - derivative) < 1e-12, $"FGradient gives value {r[1]} and derivative {r[2]}; the method is {value} with derivative {derivative}");
    }

    /// <summary>A property pattern on a struct local: the message must not say that the assigned local is unassigned.</summary>
    [Fact]
    public void A_property_pattern_on_a_struct_is_supported_or_explained()
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything(Usings + """
            public record struct P(double X, double Y);
            public static partial class C { [Differentiable] public static double F(double x) { var p = new P(x, 1); return p is { X: > 0 } ? p.X * x : -x; } }
            public static class Driver
            {
                public static double[] G(double x) { double dx = 0; double v = C.FGradient(x, ref dx); return [v, dx]; }
            }
            """);
        if (run.SymGradDiagnostics.Count == 0)
        {
            run.AssertCompilesCleanly();
            Assert.Equal([4, 4], Drive(run, "G", 2.0));
            Assert.Equal([2, -1], Drive(run, "G", -2.0));
            return;
        }
        Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal("SG0011", d.Id);
        Assert.DoesNotContain("before it is assigned", GeneratorHarness.Message(d));
    }
}

using SymGrad.Tests.Generator;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// Minimal programs found by the fuzzers (shrunk by hand or by <see cref="ProgramChecker.Shrink"/>), kept as
/// regression tests. A test of an open generator bug is skipped with a one-line description; unskip it when fixed.
/// All of these were fixed by the lead (commits 6d3563e, 4f0639f, 03828af) after these tests reported them.
/// </summary>
public class Regressions
{
    private static string Method(string body, string parameters = "double x") => $$"""
        using SymGrad;

        public static partial class R
        {
            [Differentiable]
            public static double F({{parameters}})
            {
                {{body}}
            }
        }
        """;

    /// <summary>The generated gradient and the tape at x, for F(double x).</summary>
    private static (double Value, double Generated, double Tape) At(string source, double x)
    {
        (double value, double[] generated, double[] tape) = Gradients(source, x);
        return (value, generated[0], tape[0]);
    }

    /// <summary>F's value (from its generated gradient), its generated gradient and its tape gradient, for scalar parameters.</summary>
    private static (double Value, double[] Generated, double[] Tape) Gradients(string source, params double[] args)
    {
        GeneratorRun run = GeneratorHarness.Run(source, SampleSources.ImplicitUsings);
        (LoadedAssembly loaded, Dictionary<string, Probe> probes) = Probe.Load(run, "F");
        using (loaded)
        {
            Probe probe = probes["F"];
            object[] boxed = args.Cast<object>().ToArray();
            object?[] generated = probe.NewAdjoints(boxed, 0.0);
            double value = probe.Gradient(boxed, generated);
            (_, object?[] tape) = probe.Tape(boxed);
            return (value, generated.Select(g => (double)g!).ToArray(), tape.Select(t => (double)t!).ToArray());
        }
    }

    // Found by NumericsTests. ValueMath.Pow documents the tape's convention: d/dx = y x^(y-1), 0 when y = 0;
    // d/dy = x^y ln x, 0 at x = 0 with y >= 0 (the limit, as PyTorch). The generated gradient uses the bare formulas:
    // at x = 0, y = 2 it computes d/dy = 2 * (0 * ln 0) = 0 * -Infinity = NaN; at y = 0 it computes d/dx = 0 * 0^-1 = NaN.
    // A NaN in the gradient where the tape (and the limit) give 0: e.g. a ReLU output raised to a learned power.
    [Fact]
    public void Pow_of_two_variables_at_zero_base_follows_the_tapes_convention()
    {
        (double value, double[] generated, double[] tape) = Gradients(Method("return Math.Pow(x, y);", "double x, double y"), 0.0, 2.0);
        Assert.Equal(0.0, value);
        Assert.Equal([0.0, 0.0], tape);
        Assert.Equal([0.0, 0.0], generated);

        (_, generated, tape) = Gradients(Method("return Math.Pow(x, y);", "double x, double y"), 0.0, 0.0);
        Assert.Equal([0.0, 0.0], tape);
        Assert.Equal([0.0, 0.0], generated);
    }

    // Found by the 20,000-program campaign (DifferentialTests), shrunk from a 40-line program to
    // `Math.Tanh(Math.Pow(y - y, 0.0))`: a constant exponent 0 gets the slope 0 * Pow(t, -1.0), NaN at t = 0, where
    // the tape (Value.Pow) documents 0. Here the base is 0 for every y, so every call has a NaN gradient.
    [Fact]
    public void Pow_with_constant_exponent_zero_has_derivative_zero_at_zero()
    {
        (double value, double generated, double tape) = At(Method("return Math.Pow(x - x, 0.0);"), 0.75);
        Assert.Equal(1.0, value);
        Assert.Equal(0.0, tape);
        Assert.Equal(0.0, generated);
    }

    // Found by reading BodyLowerer (Env.Clone), then by DifferentialTests with SYMGRAD_FUZZ_KNOWN_BUGS=1 (which
    // generates aliases). `var b = a;` makes b another name for a's elements, but each branch of an if lowers with a
    // clone of the environment that clones a and b separately, and the merge after the if writes both back into the
    // one shared array, the last name winning. Here a's phi is overwritten by b's stale zeros: F returns 0 instead of
    // 3|x|, and its gradient is 0, silently. The tape twin is built from the same IR, so it agrees with the wrong
    // gradient: only the method itself (or finite differences) shows it.
    [Fact]
    public void Array_alias_sees_writes_made_in_a_branch()
    {
        string source = Method("double[] a = new double[2];\n        var b = a;\n        if (x > 0) { a[0] = x; } else { a[0] = -x; }\n        return b[0] * 3.0;");
        (double value, double generated, double tape) = At(source, 1.5);
        Assert.Equal(4.5, value);
        Assert.Equal(3.0, generated);
        Assert.Equal(3.0, tape);
        (value, generated, _) = At(source, -0.5);
        Assert.Equal(1.5, value);
        Assert.Equal(-3.0, generated);
    }

    // The same root cause as the test above, seen from the other side: after unrolling, `i < 3` is the constant
    // false at i = 3, and C# never evaluates `b[3]`; the generator lowers it anyway and reports SG0009 ("Index 'i' is
    // 3, outside 0..2") on valid code that guards its index, a common shape in an unrolled loop.
    [Fact]
    public void Short_circuit_guards_an_index_after_unrolling()
    {
        string source = Method("double[] b = [x, 2 * x, 3 * x];\n        double s = 0;\n        for (int i = 0; i < 5; i++) { if (i < 3 && b[i] > 0) s += b[i]; }\n        return s;");
        (double value, double generated, double tape) = At(source, 0.5);
        Assert.Equal(3.0, value);
        Assert.Equal(6.0, generated);
        Assert.Equal(6.0, tape);
    }

    // Found by DifferentialTests after the fix for Math.Max(q, q): `var c2 = b1; if (!(b1[2] >= c2[2]))` compares
    // one value with itself, and so does any comparison of two variables holding the same value. The generated code
    // writes `s >= s` (it may not fold it: it is false for NaN), which is warning CS1718 inside the generated file;
    // the user's code has no warning. Fixed in 03828af (folded, or `!double.IsNaN(s)`).
    [Fact]
    public void Comparison_of_one_value_under_two_names_compiles_without_warnings()
    {
        (double value, double[] generated, double[] tape) = Gradients(Method("double a = s;\n        double b = s;\n        return a >= b ? x : -x;", "double x, double s"), 1.5, 0.25);
        Assert.Equal(1.5, value);
        Assert.Equal([1.0, 0.0], generated);
        Assert.Equal([1.0, 0.0], tape);
    }

    // Found by reading BodyLowerer.Binary: `&&` and `||` lower both operands unconditionally, so an assignment in
    // the right operand happens even when the left one decides. For x < 0 C# never runs `a += 1` and F returns 0;
    // the generated code (and the tape) return x with gradient 1. Silently wrong, like the alias bug.
    [Fact]
    public void Short_circuit_skips_an_assignment_in_the_right_operand()
    {
        string source = Method("double a = 0;\n        if (x > 0 && (a += 1) > 0) a *= 2;\n        return a * x;");
        (double value, double generated, double tape) = At(source, -1.5);
        Assert.Equal(0.0, value);
        Assert.Equal(0.0, generated);
        Assert.Equal(0.0, tape);
        (value, generated, _) = At(source, 1.5);
        Assert.Equal(3.0, value);
        Assert.Equal(2.0, generated);
    }

    // Found by MutationTests (a token replaced by `q`): the generated file repeats the type's name, and a lower-case
    // name is warning CS8981 there as well as in the user's file; the generated one is not the user's to silence.
    // Fixed in 4f0639f (the generated file writes @q).
    [Fact]
    public void Lower_case_type_name_gives_no_warning_in_generated_code()
    {
        string source = Method("return x * x;").Replace("class R", "class q");
        Microsoft.CodeAnalysis.Compilation input = GeneratorHarness.Compile(source, SampleSources.ImplicitUsings);
        GeneratorHarness.NewDriver().RunGeneratorsAndUpdateCompilation(input, out Microsoft.CodeAnalysis.Compilation output, out _);
        var generated = output.SyntaxTrees.Except(input.SyntaxTrees).ToHashSet();
        Assert.NotEmpty(generated);
        var problems = output.GetDiagnostics().Where(d => d.Location.SourceTree is { } t && generated.Contains(t)
            && d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, GeneratorRun.Describe(problems));
        // The user's own file has the warning: the test would mean nothing if the name were not lower-case.
        Assert.Contains(output.GetDiagnostics(), d => d.Id == "CS8981" && !generated.Contains(d.Location.SourceTree!));
    }

    // Found by NumericsTests. Relu(x) * Log(Relu(x)) at x = -2.5: the value is 0 * -Infinity = NaN, and the adjoint
    // reaching the ReLU is Log(0) + 0 * (1/0) = NaN. The tape multiplies it by ReLU's local derivative 0 and reports
    // d/dx = NaN, as it should (the value is NaN); the generated code selects `x > 0 ? g : 0.0` and reports d/dx = 0,
    // a finite gradient for a NaN value. Same for Abs at 0 and for the losing operand of Max and Min.
    [Fact]
    public void A_nan_adjoint_through_a_relu_stays_nan()
    {
        (double value, double generated, double tape) = At(Method("return SymMath.Relu(x) * Math.Log(SymMath.Relu(x));"), -2.5);
        Assert.True(double.IsNaN(value));
        Assert.True(double.IsNaN(tape));
        Assert.True(double.IsNaN(generated), $"generated d/dx = {generated}");
    }

    // Found by NumericsTests. The tape's local derivatives are 1/y and -x/(y*y) for a division and 1/x for a log,
    // multiplied by the adjoint; the generated code divides the adjoint (g/y, -(g/y)*(x/y), g/x). Both are right in
    // exact arithmetic, but where 1/y or y*y overflows (|y| < 1e-154 or subnormal) they give different IEEE results:
    // at x = y = 1e-300, d(x/y)/dy is -1e300 generated (the accurate one) and -Infinity on the tape; at
    // Exp(x) * Log(y) with x = -Infinity, y = 5e-324 the generated d/dy is 0 and the tape's 0 * Infinity = NaN.
    // Fixed on both sides: the tape divides without y*y, and the generated code uses the tape's local derivatives.
    [Fact]
    public void Division_and_log_by_tiny_values_agree_with_the_tape()
    {
        (_, double[] generated, double[] tape) = Gradients(Method("return x / y;", "double x, double y"), 1e-300, 1e-300);
        Assert.Equal(tape, generated);
        (_, generated, tape) = Gradients(Method("return Math.Exp(x) * Math.Log(y);", "double x, double y"), double.NegativeInfinity, double.Epsilon);
        Assert.Equal(tape, generated);
    }

    // Found by DifferentialTests: `stackalloc double[] { ..., (-1.5) }`. Roslyn gives no IOperation for a
    // parenthesised expression (C# has no IParenthesizedOperation), and the stackalloc path reads its elements and
    // size through SemanticModel.GetOperation on the syntax, which returns null for them.
    [Fact]
    public void Parenthesised_stackalloc_element_is_differentiated()
    {
        (double value, double generated, double tape) = At(Method("Span<double> b = stackalloc double[] { (x) };\n        return b[0] * b[0];"), 1.5);
        Assert.Equal(2.25, value);
        Assert.Equal(3.0, generated);
        Assert.Equal(3.0, tape);
    }

    [Fact]
    public void Parenthesised_stackalloc_size_is_accepted()
    {
        (double value, double generated, double tape) = At(Method("Span<double> b = stackalloc double[(2)];\n        b[1] = x;\n        return b[1] * 3.0;"), 1.5);
        Assert.Equal(4.5, value);
        Assert.Equal(3.0, generated);
        Assert.Equal(3.0, tape);
    }

    // Found by DifferentialTests as `H(p, q) => Math.Min(q, q)`, and in a program whose user code has no
    // self-comparison at all: `Math.Max(Math.Max(b[0], y), SymMath.Relu(y))` with b[0] = 0, where Max(0, y) becomes
    // ReLU and common-subexpression elimination makes both operands one value. The backward sweep then writes
    // `bool t_2 = t > t;`, a CS1718 warning in the generated file, which breaks a consumer that treats warnings as
    // errors. The harness asserts the output compiles without warnings.
    [Fact]
    public void Max_of_two_spellings_of_one_value_compiles_without_warnings()
    {
        (double value, double generated, double tape) = At(Method("return Math.Max(Math.Max(0.0, x), SymMath.Relu(x));"), 1.5);
        Assert.Equal(1.5, value);
        Assert.Equal(1.0, generated);
        Assert.Equal(1.0, tape);
    }

    [Fact]
    public void Max_and_min_of_one_operand_compile_without_warnings()
    {
        (double value, double generated, double tape) = At(Method("return Math.Min(x, x) + Math.Max(x, x);"), 1.5);
        Assert.Equal(3.0, value);
        // Ties go to the second operand: each of Min and Max passes the whole gradient on once.
        Assert.Equal(2.0, generated);
        Assert.Equal(2.0, tape);
    }

    // Found by the fuzz test in CI (failed once in two runs, before its programs were fixed): a0 overflows to
    // -Infinity, tanh saturates, and the chain rule gives 0 * Infinity = NaN in both the generated gradient and the
    // tape, where finite differences of the saturated value say 0. Not a wrong gradient: a meaningless reference.
    // The checker compares such a point with the tape only, and counts it.
    [Fact]
    public void An_overflowing_intermediate_is_checked_against_the_tape_only()
    {
        var body = System.Collections.Immutable.ImmutableArray.Create<Stmt>(
            new LineStmt("double a0 = $0;", Expr.Leaf("w[1, 0]")),
            new ForStmt("i0", "for (int i0 = 0; i0 < 6; i0 += 2)", [
                new ForStmt("i1", "for (int i1 = 0; i1 < 4; i1++)", [new LineStmt("a0 -= $0;", Expr.Leaf("Math.Pow(a0, 2.0)"))])]));
        Point at = new([0.5, -0.25, 0.1, 0.2, 0.3, 0.7, -0.4, -1.098028963, 0.9], 1.5, 2);
        var program = new Program("double[]", null, body, Expr.Node("Math.Tanh($0)", true, Expr.Leaf("a0")), [at]);
        var counts = new Counts();

        Verdict verdict = Assert.Single(ProgramChecker.CheckBatch([program], counts));

        Assert.True(verdict.Kind == FailureKind.None, verdict.Detail);
        Assert.Equal(1, counts.Points);
        Assert.Equal(1, counts.NonFiniteIntermediates);
        Assert.Equal(0, counts.Coordinates); // no finite-difference comparison was made at that point
    }
}

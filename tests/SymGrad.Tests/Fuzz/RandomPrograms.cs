using System.Collections.Immutable;
using System.Globalization;
using CsCheck;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// CsCheck generators of <see cref="Program"/>s inside the language SymGrad accepts (issue 3): every math function
/// with its input kept in its domain, locals, compound assignments with safe divisors, constant for loops (nested,
/// 1..4 iterations), if/else and ?: on run-time comparisons, local arrays (stackalloc, new, collection expressions)
/// indexed by loop variables, calls to a [Differentiable] helper, [NoDerivative] and int parameters, and arrays or
/// spans as parameters. Values stay moderate (bounded factors in *=, bounded exponents), so finite differences work.
/// </summary>
internal static class RandomPrograms
{
    /// <summary>What an expression may read at some point of the program.</summary>
    internal sealed record Scope(
        ImmutableList<string> Doubles, ImmutableList<string> Locals, ImmutableList<string> Ints,
        ImmutableList<string> Loops, ImmutableList<(string Name, int Length)> Arrays, ImmutableList<string> ConstInts,
        bool HasHelper, int LoopDepth, int Nesting)
    {
        public int Next { get; init; }

        /// <summary>
        /// v and w have the point's own lengths (<see cref="LoopPrograms"/>): no leaf reads them at constant indices,
        /// and no call passes v where 3 elements are expected; the caller puts its safe element reads in Doubles.
        /// </summary>
        public bool RuntimeShapes { get; init; }

        /// <summary>Whether v and w have <see cref="Program"/>'s fixed shapes (3 and 2 × 2) here.</summary>
        public bool FixedShapes => Doubles.Contains("x") && !RuntimeShapes;

        public static Scope Start(bool helper) => new(
            ["x", "y", "s"], [], ["n"], [], [], [], helper, 0, 0);

        public Scope Fresh(out int id)
        {
            id = Next;
            return this with { Next = Next + 1 };
        }
    }

    private static readonly string[] Constants = ["0.5", "2.0", "(-1.5)", "3.0", "0.25", "1.0", "Math.PI", "Math.E"];

    /// <summary>One of some constants (CsCheck's OneOf over values, spelled so it cannot bind to its generator overload).</summary>
    private static Gen<T> Pick<T>(params T[] values) => Gen.OneOf<T>(values);

    /// <summary>An index expression into an array of the given length: a constant, or a loop variable (mod length).</summary>
    private static Gen<string> Index(Scope scope, int length)
    {
        var options = new List<IGen<string>> { Gen.Int[0, length - 1].Select(i => i.ToString(CultureInfo.InvariantCulture)) };
        if (!scope.Loops.IsEmpty)
        {
            options.Add(Gen.Select(Pick(scope.Loops.ToArray()), Gen.Int[0, 2],
                (l, c) => c == 0 ? $"{l} % {length}" : $"({l} + {c}) % {length}"));
            if (scope.Loops.Count > 1)
            {
                options.Add(Gen.Const($"({scope.Loops[0]} * {scope.Loops[1]} + 1) % {length}"));
            }
        }
        return Gen.OneOf<string>([.. options]);
    }

    private static Gen<Expr> Leaf(Scope scope)
    {
        var options = new List<(int, IGen<Expr>)>
        {
            (6, Pick(scope.Doubles.AddRange(scope.Locals).ToArray()).Select(Expr.Leaf)),
            (4, Pick(scope.Doubles.Remove("s").ToArray()).Select(Expr.Leaf)),
            (2, Pick(Constants).Select(Expr.Leaf)),
        };
        if (!scope.Ints.IsEmpty || !scope.Loops.IsEmpty) options.Add((1, Pick(scope.Ints.AddRange(scope.Loops).ToArray()).Select(Expr.Leaf)));
        if (scope.FixedShapes)
        {
            options.Add((6, Index(scope, 3).Select(i => Expr.Leaf($"v[{i}]"))));
            options.Add((4, Gen.Select(Index(scope, 2), Index(scope, 2), (i, j) => Expr.Leaf($"w[{i}, {j}]"))));
            // Slices and indices from the end (issue 14): read at checked offsets.
            options.Add((1, Index(scope, 2).Select(i => Expr.Leaf($"v[1..][{i}]"))));
            options.Add((1, Gen.Int[1, 3].Select(k => Expr.Leaf($"v[^{k}]"))));
        }
        if (!scope.Locals.IsEmpty) options.Add((4, Pick(scope.Locals.ToArray()).Select(Expr.Leaf)));
        foreach ((string name, int length) in scope.Arrays)
        {
            options.Add((3, Index(scope, length).Select(i => Expr.Leaf($"{name}[{i}]"))));
        }
        return Gen.Frequency(options.ToArray());
    }

    private static Expr U(string template, Expr a) => Expr.Node(template, true, a);

    /// <summary>Unary templates, each safe for any finite operand.</summary>
    private static readonly (int Weight, string Template, bool Primary)[] Unary =
    [
        (2, "-$0", false),
        (1, "Math.Exp(Math.Tanh($0))", true), (1, "Math.Exp(-$0 * $0)", true), (1, "Math.Exp(0.25 * Math.Sin($0))", true),
        (1, "Math.Log(1.0 + $0 * $0)", true), (1, "Math.Log(2.0 + Math.Sin($0))", true), (1, "Math.Log(1.0 + Math.Exp(Math.Tanh($0)))", true),
        (1, "Math.Sqrt(1.0 + $0 * $0)", true), (1, "Math.Sqrt(2.0 + Math.Cos($0))", true),
        (1, "Math.Pow($0, 2.0)", true), (1, "Math.Pow($0, 3.0)", true), (1, "Math.Pow(1.5 + $0 * $0, -1.5)", true),
        (1, "Math.Pow(1.5 + $0 * $0, 0.5)", true), (1, "Math.Pow($0, 1.0)", true), (1, "Math.Pow($0, 0.0)", true),
        (2, "Math.Tanh($0)", true), (2, "Math.Sin($0)", true), (2, "Math.Cos($0)", true),
        (1, "Math.Tan(Math.Tanh($0))", true), (1, "Math.Tan(0.5 * Math.Sin($0))", true),
        (2, "Math.Atan($0)", true), (2, "Math.Abs($0)", true),
        (2, "SymMath.Relu($0)", true), (1, "Math.Max(0, $0)", true), (1, "Math.Max($0, 0.0)", true),
        (2, "SymMath.Sigmoid($0)", true), (2, "SymMath.Softplus($0)", true),
        // The rest of Math, inside each domain for any finite operand.
        (1, "Math.Asin(0.5 * Math.Tanh($0))", true), (1, "Math.Acos(0.5 * Math.Sin($0))", true), (1, "Math.Atanh(0.5 * Math.Tanh($0))", true),
        (1, "Math.Sinh(Math.Tanh($0))", true), (1, "Math.Cosh(Math.Sin($0))", true), (1, "Math.Asinh($0)", true), (1, "Math.Acosh(1.5 + $0 * $0)", true),
        (1, "Math.Log10(1.0 + $0 * $0)", true), (1, "Math.Log2(2.0 + Math.Sin($0))", true), (1, "double.Exp2(Math.Tanh($0))", true),
        (1, "Math.Cbrt(1.5 + $0 * $0)", true),
        (1, "$0 * n", false), (1, "$0 * checked(n * 2 - 1)", false), (1, "$0 * s", false), (1, "(double)n * $0", false), (1, "$0 * v.Length", false),
        // A [Differentiable] method of another class (Shared, in every compilation), with its own loop and branch.
        (1, "Shared.K($0)", true),
    ];

    private static readonly (int Weight, string Template, bool Primary)[] Binary =
    [
        (4, "$0 + $1", false), (3, "$0 - $1", false), (4, "$0 * $1", false),
        (2, "$0 / (1.5 + $1 * $1)", false), (1, "$0 / (2.0 + Math.Sin($1))", false), (1, "$0 / 4.0", false),
        (2, "Math.Max($0, $1)", true), (2, "Math.Min($0, $1)", true),
        (1, "Math.Pow(1.5 + $0 * $0, Math.Tanh($1))", true), (1, "Math.Pow(2.0 + Math.Sin($0), $1 / (1.0 + $1 * $1))", true),
        (1, "Math.Atan2($0, 1.5 + $1 * $1)", true), (1, "Math.Log(2.0 + $0 * $0, 3.0 + Math.Sin($1))", true),
        (1, "Math.CopySign($0, 1.5 + $1 * $1)", true), (1, "Math.MaxMagnitude($0, $1)", true),
    ];

    /// <summary>Templates that read F's own parameters s or n, which the helper H does not have.</summary>
    private static bool MainOnly(string template) =>
        template.Contains(" n") || template.Contains(" s") || template.Contains("n ") || template.Contains("v.");

    private static readonly string[] Comparisons = ["$0 < $1", "$0 <= $1", "$0 > $1", "$0 >= $1"];

    public static Gen<Expr> Condition(Scope scope, int depth)
    {
        Gen<Expr> operand = Expression(scope, Math.Max(0, depth - 1));
        // Never the same operand twice: `x < x` is a warning (CS1718) in the user's code before it is the generator's.
        Gen<Expr> compare = Gen.Select(Pick(Comparisons), operand, operand, (t, a, b) => Expr.Condition(t, a, b))
            .Where(c => c.Args[0].Render() != c.Args[1].Render());
        if (depth == 0) return compare;
        Gen<Expr> inner = Condition(scope, depth - 1);
        var options = new List<(int, IGen<Expr>)>
        {
            (6, compare),
            (1, inner.Select(c => Expr.Condition("!($0)", c))),
            (1, Gen.Select(inner, inner, (a, b) => Expr.Condition("$0 && $1", a, b))),
            (1, Gen.Select(inner, inner, (a, b) => Expr.Condition("$0 || $1", a, b))),
            (scope.Doubles.Contains("x") ? 1 : 0, Gen.Const(Expr.Condition("n > 1"))),
            (scope.Doubles.Contains("x") ? 1 : 0, Gen.Const(Expr.Condition("n % 2 == 0"))),
            (scope.Doubles.Contains("x") ? 1 : 0, Gen.Const(Expr.Condition("n != 2"))),
            // Known after unrolling: the branch is picked at compile time, per iteration.
            (scope.Loops.IsEmpty ? 0 : 1, Gen.Const(Expr.Condition(scope.Loops.IsEmpty ? "true" : scope.Loops[^1] + " == 1"))),
        };
        if (!scope.Locals.IsEmpty)
        {
            // Short-circuit with an effect: the assignment happens only when the left operand does not decide.
            options.Add((1, Gen.Select(inner, Pick(scope.Locals.ToArray()), Pick("&&", "||"), operand,
                (c, a, op, e) => Expr.Condition($"$0 {op} ({a} += $1) > 0", c, e))));
        }
        if (!scope.Loops.IsEmpty)
        {
            // A guarded index: past the array's end the left operand is false and the right one must not be evaluated.
            string loop = scope.Loops[^1];
            var arrays = scope.Arrays.Select(a => (a.Name, a.Length)).ToList();
            if (scope.FixedShapes) arrays.Add(("v", 3));
            foreach ((string name, int length) in arrays)
            {
                options.Add((1, operand.Select(e => Expr.Condition($"{loop} < {length} && {name}[{loop}] > $0", e))));
            }
        }
        return Gen.Frequency(options.ToArray());
    }

    public static Gen<Expr> Expression(Scope scope, int depth)
    {
        Gen<Expr> leaf = Leaf(scope);
        if (depth == 0) return leaf;
        Gen<Expr> sub = Expression(scope, depth - 1);
        bool main = scope.Doubles.Contains("x");
        var options = new List<(int, IGen<Expr>)>
        {
            (4, leaf),
            (6, Gen.Select(Gen.Frequency(Unary.Where(u => main || !MainOnly(u.Template)).Select(u => (u.Weight, u)).ToArray()), sub,
                (u, a) => Expr.Node(u.Template, u.Primary, a))),
            (7, Gen.Select(Gen.Frequency(Binary.Select(b => (b.Weight, b)).ToArray()), sub, sub,
                (b, a, c) => Expr.Node(b.Template, b.Primary, a, c))),
            (1, Gen.Select(Condition(scope, 0), sub, sub, (c, a, b) => Expr.Node("$0 ? $1 : $2", false, c, a, b))),
        };
        if (scope.HasHelper) options.Add((2, Gen.Select(sub, sub, (a, b) => Expr.Node("H($0, $1)", true, a, b))));
        // An array or span passed to a [Differentiable] method of another class: v, or a local array of 3 or more.
        string[] spans = [.. (scope.FixedShapes ? ["v"] : Array.Empty<string>()), .. scope.Arrays.Where(a => a.Length >= 3).Select(a => a.Name)];
        if (spans.Length > 0) options.Add((1, Gen.Select(Pick(spans), sub, (a, e) => Expr.Node($"Shared.Dot3({a}, $0)", true, e))));
        return Gen.Frequency(options.ToArray());
    }

    /// <summary>The helper's body: an expression of p and q (it may not call itself: that is SG0010).</summary>
    /// <summary>
    /// The returned expression plus every top-level local and array element: values computed along the way reach the
    /// result (most would otherwise be dead code), so most partial derivatives are nonzero and actually compared.
    /// </summary>
    private static Expr Live(Scope scope, Expr result)
    {
        IEnumerable<string> live = scope.Locals.Concat(scope.Arrays.SelectMany(a => Enumerable.Range(0, a.Length).Select(i => $"{a.Name}[{i}]")));
        return live.Aggregate(result, (sum, name) => Expr.Node("$0 + $1", false, sum, Expr.Node("Math.Tanh($0)", true, Expr.Leaf(name))));
    }

    private static readonly Scope HelperScope = new(["p", "q"], [], [], [], [], [], false, 0, 0);

    private static readonly Gen<Expr> HelperBody =
        Expression(HelperScope, 2)
            .Select(e => e.Args.IsEmpty ? Expr.Node("$0 * q", false, e) : e);

    /// <summary>A block of statements; returns it with the scope after it (locals declared inside a nested block do not escape it).</summary>
    private static Gen<(ImmutableArray<Stmt> Block, Scope Scope)> Block(Scope scope, int count)
    {
        if (count == 0) return Gen.Const((ImmutableArray<Stmt>.Empty, scope));
        return Statement(scope).SelectMany(first => Block(first.Scope, count - 1)
            .Select(rest => (rest.Block.InsertRange(0, first.Stmts), rest.Scope)));
    }

    private static Gen<(ImmutableArray<Stmt> Stmts, Scope Scope)> One(Gen<Stmt> stmt, Scope after) =>
        stmt.Select(s => (ImmutableArray.Create(s), after));

    private static Gen<(ImmutableArray<Stmt> Stmts, Scope Scope)> Statement(Scope scope)
    {
        int depth = scope.LoopDepth > 0 ? 1 : 2;
        Gen<Expr> expr = Expression(scope, depth);
        var options = new List<(int, IGen<(ImmutableArray<Stmt>, Scope)>)>();

        // double aK = e;
        Scope declared = scope.Fresh(out int id);
        string local = "a" + id;
        options.Add((5, Gen.Select(Pick("double " + local + " = $0;", "var " + local + " = Math.Tanh($0);"), expr,
            (t, e) => ((ImmutableArray<Stmt>)[new LineStmt(t, e)], declared with { Locals = declared.Locals.Add(local) }))));

        // A call kept for its side effect (issue 14): in every forward sweep, never in a backward one.
        options.Add((1, One(expr.Select(e => (Stmt)new LineStmt("Shared.Note($\"at {n}: {$0:F3}\");", e)), scope)));

        if (!scope.Locals.IsEmpty)
        {
            Gen<string> target = Pick(scope.Locals.ToArray());
            Gen<string> op = Pick(" = $0;", " += $0;", " -= $0;", " *= Math.Tanh($0);", " *= 0.5 + SymMath.Sigmoid($0);",
                " /= 1.5 + $0 * $0;", " /= 2.0 + Math.Cos($0);", " *= 0.5;");
            options.Add((6, One(Gen.Select(target, op, expr, (t, o, e) => (Stmt)new LineStmt(t + o, e)), scope)));
            options.Add((1, One(Gen.Select(target, Pick("++;", "--;"), (t, o) => (Stmt)new PlainStmt(t + o)), scope)));
            // Chained assignment: the value of an assignment expression, stored twice.
            options.Add((1, One(Gen.Select(target, target, expr, (t1, t2, e) => (Stmt)new LineStmt(t1 == t2 ? $"{t1} = $0;" : $"{t1} = {t2} = $0;", e)), scope)));
        }

        foreach ((string name, int length) in scope.Arrays.Where(a => !a.Name.StartsWith('r')))
        {
            options.Add((3, One(Gen.Select(Index(scope, length), Pick(" = $0;", " += $0;", " *= Math.Cos($0);"), expr,
                (i, o, e) => (Stmt)new LineStmt($"{name}[{i}]{o}", e)), scope)));
        }

        if (scope.Nesting < 3 && scope.Arrays.Count < 2)
        {
            // A local array: zeros (stackalloc or new) or initialised elements (collection expression or stackalloc { }).
            Scope withArray = scope.Fresh(out int aid);
            string name = "b" + aid;
            options.Add((2, Gen.Int[1, 4].SelectMany(length =>
            {
                Scope after = withArray with { Arrays = withArray.Arrays.Add((name, length)) };
                Gen<Stmt> zeros = Pick(
                    $"Span<double> {name} = stackalloc double[{length}];",
                    $"double[] {name} = new double[{length}];").Select(t => (Stmt)new PlainStmt(t));
                Gen<Stmt> filled = Gen.Select(Pick(
                        ($"double[] {name} = ", "[", "]"),
                        ($"Span<double> {name} = ", "stackalloc double[] { ", " }")),
                    expr.Array[length],
                    (f, es) => (Stmt)new ArrayInitStmt(f.Item1, f.Item2, f.Item3, [.. es]));
                // A ReadOnlySpan local is read, never written (named r..., which the element writes above skip).
                string readOnly = "r" + aid;
                Gen<(ImmutableArray<Stmt>, Scope)> readOnlyArray = expr.Array[length].Select(es =>
                    (ImmutableArray.Create<Stmt>(new ArrayInitStmt($"ReadOnlySpan<double> {readOnly} = ", "[", "]", [.. es])),
                     withArray with { Arrays = withArray.Arrays.Add((readOnly, length)) }));
                return Gen.Frequency<(ImmutableArray<Stmt>, Scope)>([
                    (2, Gen.OneOf<Stmt>([zeros, filled]).Select(s => (ImmutableArray.Create(s), after))),
                    (1, readOnlyArray)]);
            })));
        }

        if (scope.Arrays.Any(a => !a.Name.StartsWith('r')))
        {
            // Another name for a local array, written and read through either name (Regressions.cs has the bug it found).
            Scope withAlias = scope.Fresh(out int cid0);
            string alias = "c" + cid0;
            options.Add((2, Pick(scope.Arrays.Where(a => !a.Name.StartsWith('r')).ToArray()).Select(a =>
                (ImmutableArray.Create<Stmt>(new PlainStmt($"var {alias} = {a.Name};")),
                 withAlias with { Arrays = withAlias.Arrays.Add((alias, a.Length)) }))));
        }

        if (scope.Nesting < 2 && scope.LoopDepth < 2)
        {
            // for loops with constant bounds: literals, a const local, arithmetic on it; up, down, or by 2.
            Scope withConst = scope.Fresh(out int cid);
            string loopVar = "i" + scope.LoopDepth;
            options.Add((4, Gen.Select(Gen.Int[1, 4], Gen.Int[0, 3], Gen.Int[1, 3]).SelectMany(t =>
            {
                (int bound, int shape, int count) = t;
                Scope inner = scope with
                {
                    Loops = scope.Loops.Add(loopVar), LoopDepth = scope.LoopDepth + 1, Nesting = scope.Nesting + 1,
                };
                string c = "k" + cid;
                (string header, Stmt? constDecl) = shape switch
                {
                    0 => ($"for (int {loopVar} = 0; {loopVar} < {bound}; {loopVar}++)", null),
                    1 => ($"for (int {loopVar} = {bound - 1}; {loopVar} >= 0; {loopVar}--)", null),
                    2 => ($"for (int {loopVar} = 0; {loopVar} < {2 * bound}; {loopVar} += 2)", null),
                    _ => ($"for (int {loopVar} = 0; {loopVar} < {c} - 1; {loopVar}++)", (Stmt)new PlainStmt($"const int {c} = {bound + 1};")),
                };
                return Block(inner with { Next = withConst.Next }, count).Select(b =>
                {
                    var loop = new ForStmt(loopVar, header, b.Block);
                    Scope after = scope with { Next = b.Scope.Next };
                    return (constDecl is null ? ImmutableArray.Create<Stmt>(loop) : [constDecl, loop], after);
                });
            })));
        }

        if (scope.Nesting < 3)
        {
            Scope inner = scope with { Nesting = scope.Nesting + 1 };
            // Outside loops a then-branch may end in a return (nested early returns: the rest of the method is
            // lowered into both paths). Its expression reads the scope inside the branch.
            Gen<Expr?> earlyReturn = scope.LoopDepth == 0
                ? Gen.Frequency<Expr?>([(3, Gen.Const((Expr?)null)), (1, expr.Select(e => (Expr?)e))])
                : Gen.Const((Expr?)null);
            options.Add((3, Gen.Select(Condition(scope, 1), Gen.Int[1, 2], Gen.Int[0, 2], earlyReturn).SelectMany(t =>
                Block(inner, t.Item2).SelectMany(then =>
                    Block(inner with { Next = then.Scope.Next }, t.Item3).Select(@else =>
                        (ImmutableArray.Create<Stmt>(new IfStmt(t.Item1,
                            t.Item4 is { } r ? then.Block.Add(new LineStmt("return $0;", r)) : then.Block,
                            t.Item3 == 0 ? null : @else.Block)),
                         scope with { Next = @else.Scope.Next }))))));

            // A switch statement on n, a loop counter or a double: sections of constants, several labels, relational
            // patterns, a when guard, a default (anywhere), each a real branch; an early return in one (outside loops).
            Gen<string> intSubject = Pick(scope.Loops.Add("n").ToArray());
            Gen<string> doubleSubject = Pick(scope.Locals.Add("x").Add("y").ToArray());
            Gen<(string Subject, string[] Labels)> shape = Gen.Frequency<(string, string[])>([
                (2, intSubject.Select(v => (v, new[] { "case 1:", "case 0: case 2:", "case > 2 when x > 0.25:", "default:" }))),
                (1, doubleSubject.Select(v => (v, new[] { "case < -0.5:", "case >= 0.25 and < 1.0:", "case > 1.0 when y < 0.5:", "default:" })))]);
            options.Add((2, Gen.Select(shape, Gen.Int[1, 3], Gen.Int[0, 3], earlyReturn).SelectMany(t =>
            {
                ((string subject, string[] labels), int count, int defaultAt, Expr? early) = t;
                Gen<(ImmutableArray<(string, ImmutableArray<Stmt>)> Sections, int Next)> sections =
                    Gen.Const((ImmutableArray<(string, ImmutableArray<Stmt>)>.Empty, scope.Next));
                for (int k = 0; k < count; k++)
                {
                    // The default's place varies (C# takes it last whatever its place); the other labels in order.
                    string label = k == defaultAt % count && defaultAt < 3 ? "default:" : labels[k];
                    bool returns = k == 0 && early is not null;
                    sections = sections.SelectMany(acc => Block(inner with { Next = acc.Next }, 1).Select(b =>
                        (acc.Item1.Add((label, returns ? b.Block.Add(new LineStmt("return $0;", early!)) : b.Block)), b.Scope.Next)));
                }
                return sections.Select(all => (ImmutableArray.Create<Stmt>(new SwitchStmt(subject, all.Item1)), scope with { Next = all.Next }));
            })));

            // A local declared without a value and assigned on both paths (definite assignment through an if).
            Scope assigned = scope.Fresh(out int uid);
            string u = "a" + uid;
            options.Add((2, Gen.Select(Condition(scope, 1), expr, expr, (c, a, b) =>
                (ImmutableArray.Create<Stmt>(new PlainStmt($"double {u};"),
                    new IfStmt(c, [new LineStmt(u + " = $0;", a)], [new LineStmt(u + " = $0;", b)])),
                 assigned with { Locals = assigned.Locals.Add(u) }))));
        }

        if (scope.LoopDepth == 0 && scope.Nesting == 0)
        {
            // An early return at the top level: the rest of the method runs only on the other path.
            options.Add((1, Gen.Select(Condition(scope, 1), expr, (c, e) =>
                (ImmutableArray.Create<Stmt>(new IfStmt(c, [new LineStmt("return $0;", e)], null)), scope))));
        }

        if (!scope.Locals.IsEmpty || scope.LoopDepth > 0)
        {
            // An int local from a double: piecewise constant, so it adds no gradient (a cast the generator must respect).
            Scope withInt = scope.Fresh(out int mid);
            string m = "m" + mid;
            options.Add((1, Gen.Select(expr, e => ((ImmutableArray<Stmt>)[new LineStmt($"int {m} = (int)$0;", e)],
                withInt with { Ints = withInt.Ints.Add(m) }))));
        }
        return Gen.Frequency(options.ToArray());
    }

    /// <summary>
    /// Uniform on a fine grid in [-1.5, 1.5], offset off the round numbers: CsCheck's own doubles favour 0, ±1 and
    /// tiny values, exactly the kinks where finite differences say nothing (NumericsTests covers those values).
    /// </summary>
    internal static readonly Gen<double> Coordinate = Gen.Int[-1_500_000, 1_500_000].Select(i => i * 1e-6 + 3.7e-8);

    private static readonly Gen<Point> PointGen =
        Gen.Select(Coordinate.Array[Point.Names.Length], Coordinate.Select(c => c / 1.5), Gen.Int[1, 3],
            (z, s, n) => new Point([.. z], s, n));

    /// <summary>Random programs, each with 3 random points.</summary>
    public static readonly Gen<Program> Programs =
        Gen.Select(Pick("double[]", "ReadOnlySpan<double>", "Span<double>"), Gen.Bool, Gen.Int[1, 5])
            .SelectMany(t =>
            {
                (string vType, bool helper, int count) = t;
                return Gen.Select(
                    helper ? HelperBody.Select(h => (Expr?)h) : Gen.Const((Expr?)null),
                    Block(Scope.Start(helper), count).SelectMany(b => Expression(b.Scope, 2).Select(r => (b.Block, r: Live(b.Scope, r)))),
                    PointGen.Array[3],
                    Gen.Int[0, 2].SelectMany(g => g == 0
                        ? Gen.Select(Condition(HelperScope, 0), Expression(HelperScope, 1), (c, e) => ((Expr, Expr)?)(c, e))
                        : Gen.Const(((Expr, Expr)?)null)),
                    (h, body, points, guard) => new Program(vType, h, body.Block, body.r, [.. points]) { HelperGuard = h is null ? null : guard });
            });

    /// <summary>
    /// Programs that unroll to thousands of operations: a random loop body (with branches, arrays, calls) run 150 to
    /// 300 times, accumulating into <c>acc</c>. Past about 2,400 operations the generator splits the gradient into
    /// parts that share a frame, and branches, phis and adjoints then cross part boundaries.
    /// </summary>
    public static readonly Gen<Program> LargePrograms =
        Gen.Select(Pick("double[]", "ReadOnlySpan<double>", "Span<double>"), Gen.Int[150, 300], Gen.Int[3, 5])
            .SelectMany(t =>
            {
                (string vType, int repeat, int count) = t;
                // The body reads acc (so no iteration is a common subexpression of another) but never writes it,
                // so acc stays bounded: |acc| < 10.
                Scope start = Scope.Start(helper: true);
                var inLoop = start with { Doubles = start.Doubles.Add("acc"), Loops = ["r"], LoopDepth = 1, Nesting = 1 };
                return Gen.Select(
                    HelperBody,
                    Block(inLoop, count).SelectMany(b => Expression(b.Scope, 2).Select(e => (b.Block, e))),
                    Expression(Scope.Start(helper: true) with { Locals = ["acc"] }, 1),
                    PointGen.Array[3],
                    (h, body, result, points) =>
                    {
                        ImmutableArray<Stmt> loopBody = body.Block.Add(new LineStmt("acc = 0.9 * acc + Math.Tanh($0) * Math.Cos(acc);", body.e));
                        ImmutableArray<Stmt> block = [new PlainStmt("double acc = 0.0;"), new ForStmt("r", $"for (int r = 0; r < {repeat}; r++)", loopBody)];
                        return new Program(vType, h, block, Expr.Node("acc + Math.Tanh($0)", false, result), [.. points]);
                    });
            });
}

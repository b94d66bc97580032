using System.Collections.Immutable;
using CsCheck;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// CsCheck generators of <see cref="LoopProgram"/>s: loops whose trip counts are known only at run time. for loops
/// over v.Length, n, w.GetLength(k), idx.Length and local arrays' lengths (from 0 or 1, to the bound or the bound
/// minus 1, up, down, by 2, triangular j &lt; i and j &gt; i), while and do/while loops whose trip counts depend on
/// active data (always under a hard int cap), foreach over v, local arrays and idx, double loop variables; break and
/// continue under data-dependent conditions; local arrays of run-time size (new, stackalloc, 2-D) written and
/// overwritten across iterations and read in later loops at i - 1, i + 1 and idx[i]; scalars carried by sums (the
/// in-place path), by products, maxima and decays (the taped path); nests up to depth 3. Expressions come from
/// <see cref="RandomPrograms.Expression"/>, whose templates keep every math function in its domain.
/// </summary>
internal static class LoopPrograms
{
    /// <summary>
    /// Draw <c>return</c> inside loops (on; SYMGRAD_LOOP_FUZZ_RETURN=0 turns it off, to tell a failure's cause).
    /// </summary>
    public static readonly bool ReturnInLoops = Environment.GetEnvironmentVariable("SYMGRAD_LOOP_FUZZ_RETURN") != "0";

    /// <summary>
    /// Draw <c>foreach (int j in idx)</c> beside <c>for (...; i &lt; idx.Length; ...)</c> with <c>v[idx[i]]</c>
    /// (on; SYMGRAD_LOOP_FUZZ_FOREACH_INT=0 turns it off).
    /// </summary>
    public static readonly bool ForeachInt = Environment.GetEnvironmentVariable("SYMGRAD_LOOP_FUZZ_FOREACH_INT") != "0";

    /// <summary>
    /// Draw <c>break</c> directly in a for or foreach loop nested in another loop, whose trip count then differs
    /// between outer iterations (docs/loop-fuzz-bugs.md, bug 1, fixed); on, SYMGRAD_LOOP_FUZZ_NESTED_BREAK=0 turns
    /// it off. break in outermost loops and in nested while and do loops, and continue everywhere, are always drawn.
    /// </summary>
    public static readonly bool NestedBreak = Environment.GetEnvironmentVariable("SYMGRAD_LOOP_FUZZ_NESTED_BREAK") != "0";

    /// <summary>A length known at run time, by the name F spells it.</summary>
    internal static readonly string[] Lengths = ["v.Length", "n", "w.GetLength(0)", "w.GetLength(1)"];

    private static Gen<T> Pick<T>(params T[] values) => Gen.OneOf<T>(values);

    /// <summary>
    /// What a statement may read and write. Arrays and loop indices carry the run-time length they are measured
    /// in (a name from <see cref="Lengths"/>, or "idx.Length"), and an index the offsets it may be read at, so every
    /// element read or write is in range whatever the point's lengths.
    /// </summary>
    internal sealed record LoopScope(
        ImmutableList<Array1> Arrays, ImmutableList<Array2> Grids, ImmutableList<LoopIndex> Indices,
        ImmutableList<string> Doubles, ImmutableList<string> Locals, ImmutableList<string> Ints, int Depth, int Nesting, int Next)
    {
        public static readonly LoopScope Start = new(
            [new Array1("v", "v.Length", false)], [new Array2("w", "w.GetLength(0)", "w.GetLength(1)", false)], [],
            ["x", "s"], [], ["n"], 0, 0, 0);

        /// <summary>Whether the innermost loop may have a break (see <see cref="NestedBreak"/>).</summary>
        public bool BreakAllowed { get; init; } = true;

        public LoopScope Fresh(out int id)
        {
            id = Next;
            return this with { Next = Next + 1 };
        }

        /// <summary>Every in-range element read here: v[i - 1], a3[idx[i0]], w[i0, j1]...</summary>
        public IEnumerable<string> ElementReads() =>
            Arrays.SelectMany(a => Positions(a.Length)
                .Select(p => $"{a.Name}[{p}]"))
            .Concat(Grids.SelectMany(g => Positions(g.Rows).Take(3)
                .SelectMany(r => Positions(g.Columns).Take(3).Select(c => $"{g.Name}[{r}, {c}]"))));

        /// <summary>In-range index expressions for an array of that length: i, i - 1, i + 1, idx[i].</summary>
        public IEnumerable<string> Positions(string length) =>
            Indices.Where(i => i.Length == length).SelectMany(i => i.Offsets.Select(d => Offset(i.Name, d)))
                .Concat(length == "v.Length" ? Indices.Where(i => i.Length == "idx.Length").Select(i => $"idx[{i.Name}]") : []);

        private static string Offset(string name, int d) => d switch { 0 => name, > 0 => $"{name} + {d}", _ => $"{name} - {-d}" };

        /// <summary>The scope <see cref="RandomPrograms.Expression"/> draws from: element reads are leaves like x.</summary>
        public RandomPrograms.Scope Expressions =>
            new(Doubles.AddRange(ElementReads()), Locals, Ints, Indices.Where(i => i.Length != "").Select(i => i.Name).ToImmutableList(),
                [], [], false, Depth, Nesting) { RuntimeShapes = true };
    }

    /// <summary>A 1-D array (v or a local) of that run-time length; locals are <see cref="Writable"/>.</summary>
    internal sealed record Array1(string Name, string Length, bool Writable);

    internal sealed record Array2(string Name, string Rows, string Columns, bool Writable);

    /// <summary>An int loop variable, in range for arrays of <see cref="Length"/> at each of <see cref="Offsets"/>.</summary>
    internal sealed record LoopIndex(string Name, string Length, ImmutableArray<int> Offsets);

    private static Gen<Expr> Expression(LoopScope scope) => RandomPrograms.Expression(scope.Expressions, scope.Depth > 0 ? 1 : 2);

    private static Gen<Expr> Condition(LoopScope scope) => RandomPrograms.Condition(scope.Expressions, 1);

    /// <summary>
    /// A comparison of a parameter's value (x or an element of v or w) with an expression: a break that depends on
    /// the data. Conditions the generator may fold (constants, constant locals: bug 2 of docs/loop-fuzz-bugs.md, a
    /// certain break) come from <see cref="ExitCondition"/>'s other arm.
    /// </summary>
    private static Gen<Expr> DataCondition(LoopScope scope)
    {
        string[] data = ["x", .. scope.ElementReads().Where(r => r.StartsWith("v[", StringComparison.Ordinal) || r.StartsWith("w[", StringComparison.Ordinal))];
        return Gen.Select(Pick(["$0 < $1", "$0 > $1", "$0 <= $1", "$0 >= $1"]), Pick(data), Expression(scope), (t, d, e) => Expr.Condition(t, Expr.Leaf(d), e))
            .Where(c => c.Args[0].Render() != c.Args[1].Render());
    }

    /// <summary>The condition of a break or continue: mostly on data, sometimes any condition (constants too).</summary>
    private static Gen<Expr> ExitCondition(LoopScope scope) => Gen.Frequency((4, DataCondition(scope)), (1, Condition(scope)));

    private static Gen<(ImmutableArray<Stmt> Block, LoopScope Scope)> Block(LoopScope scope, int count)
    {
        if (count == 0) return Gen.Const((ImmutableArray<Stmt>.Empty, scope));
        return Statement(scope).SelectMany(first => Block(first.Scope, count - 1)
            .Select(rest => (rest.Block.InsertRange(0, first.Stmts), rest.Scope)));
    }

    private static Gen<(ImmutableArray<Stmt> Stmts, LoopScope Scope)> One(Gen<Stmt> stmt, LoopScope after) =>
        stmt.Select(s => (ImmutableArray.Create(s), after));

    private static Gen<(ImmutableArray<Stmt> Stmts, LoopScope Scope)> Statement(LoopScope scope)
    {
        Gen<Expr> expr = Expression(scope);
        var options = new List<(int, IGen<(ImmutableArray<Stmt>, LoopScope)>)>();

        // A scalar: carried across the iterations of the loops after it (or, declared inside a loop, that iteration's own).
        LoopScope declared = scope.Fresh(out int id);
        string local = "c" + id;
        options.Add((scope.Depth == 0 ? 4 : 2, expr.Select(e =>
            ((ImmutableArray<Stmt>)[new LineStmt($"double {local} = $0;", e)], declared with { Locals = declared.Locals.Add(local) }))));

        if (!scope.Locals.IsEmpty && scope.Depth > 0)
        {
            // Updates of carried scalars: sums (the in-place path), then decays, products and maxima (taped). Each
            // keeps the value bounded over many iterations, so finite differences stay meaningful.
            // A raw `s += e` reads no carried scalar in e (a sum of its own squares doubles its exponent every trip,
            // and past 1e15 x is lost in the sum and differences of the gradient say 0).
            Gen<string> target = Pick(scope.Locals.ToArray());
            Gen<Expr> free = Expression(scope with { Locals = [] });
            options.Add((4, target.SelectMany(t => Gen.Select(Pick(" += $0;", " += Math.Tanh($0);", " -= 0.5 * Math.Sin($0);"), free, expr,
                (o, f, e) => (Stmt)new LineStmt(t + o, o == " += $0;" ? f : e))).Select(st => (ImmutableArray.Create(st), scope))));
            options.Add((4, One(Gen.Select(target, Pick("{0} = {0} * 0.5 + $0;", "{0} = 0.5 * {0} + Math.Tanh($0);", "{0} *= 0.5 + SymMath.Sigmoid($0);",
                    "{0} *= Math.Tanh($0);", "if (Math.Tanh($0) > {0}) {0} = Math.Tanh($0);", "{0} = Math.Max({0}, Math.Tanh($0));",
                    "{0} = Math.Tanh($0) * {0} + Math.Cos({0});"), expr,
                (t, o, e) => (Stmt)new LineStmt(string.Format(System.Globalization.CultureInfo.InvariantCulture, o, t), e)), scope)));
        }

        // Element writes into local arrays at in-range indices: overwritten across iterations, read by later loops.
        foreach (Array1 a in scope.Arrays.Where(a => a.Writable))
        {
            string[] at = scope.Positions(a.Length).ToArray();
            if (at.Length == 0) continue;
            options.Add((4, One(Gen.Select(Pick(at), Pick("{0} = $0;", "{0} += $0;", "{0} = 0.5 * {0} + Math.Tanh($0);"), expr,
                (i, o, e) => (Stmt)new LineStmt(string.Format(System.Globalization.CultureInfo.InvariantCulture, o, $"{a.Name}[{i}]"), e)), scope)));
        }
        foreach (Array2 g in scope.Grids.Where(g => g.Writable))
        {
            string[] rows = scope.Positions(g.Rows).ToArray(), columns = scope.Positions(g.Columns).ToArray();
            if (rows.Length == 0 || columns.Length == 0) continue;
            options.Add((3, One(Gen.Select(Pick(rows), Pick(columns), Pick(" = $0;", " += $0;"), expr,
                (r, c, o, e) => (Stmt)new LineStmt($"{g.Name}[{r}, {c}]{o}", e)), scope)));
        }

        if (scope.Depth == 0 && scope.Arrays.Count + scope.Grids.Count < 4)
        {
            // A local array of run-time size, zeros or filled by a loop (2-D: new only; in a loop body: new only).
            LoopScope withArray = scope.Fresh(out int aid);
            string name = "a" + aid;
            options.Add((3, Gen.Select(Pick(Lengths), Pick("double[] {0} = new double[{1}];", "Span<double> {0} = stackalloc double[{1}];"), Gen.Bool, expr)
                .Select(t =>
                {
                    (string length, string decl, bool fill, Expr e) = t;
                    var stmts = ImmutableArray.Create<Stmt>(new PlainStmt(string.Format(System.Globalization.CultureInfo.InvariantCulture, decl, name, length)));
                    if (fill) stmts = stmts.Add(new LoopStmt($"for (int f{aid} = 0; f{aid} < {name}.Length; f{aid}++)", [], [new LineStmt($"{name}[f{aid}] = $0;", e)]));
                    return (stmts, withArray with { Arrays = withArray.Arrays.Add(new Array1(name, length, true)) });
                })));
            string grid = "g" + aid;
            options.Add((1, Gen.Select(Pick(Lengths), Pick(Lengths)).Select(t =>
                (ImmutableArray.Create<Stmt>(new PlainStmt($"double[,] {grid} = new double[{t.Item1}, {t.Item2}];")),
                 withArray with { Grids = withArray.Grids.Add(new Array2(grid, t.Item1, t.Item2, true)) }))));
        }

        if (scope.Depth < 3 && scope.Nesting < 4)
        {
            options.Add((scope.Depth == 0 ? 8 : 3, Loop(scope)));
        }

        if (scope.Depth > 0)
        {
            // break and continue under conditions on active data (and, behind a switch, return).
            options.Add((2, One(Gen.Select(ExitCondition(scope), scope.BreakAllowed ? Pick("break;", "continue;") : Gen.Const("continue;"), (c, j) =>
                (Stmt)new IfStmt(c, [new PlainStmt(j)], null)), scope)));
            if (ReturnInLoops)
            {
                options.Add((1, One(Gen.Select(Condition(scope), expr, (c, e) => (Stmt)new IfStmt(c, [new LineStmt("return $0;", e)], null)), scope)));
            }
        }

        if (scope.Nesting < 4)
        {
            LoopScope inner = scope with { Nesting = scope.Nesting + 1 };
            options.Add((2, Gen.Select(Condition(scope), Gen.Int[1, 2], Gen.Int[0, 1]).SelectMany(t =>
                Block(inner, t.Item2).SelectMany(then => Block(inner with { Next = then.Scope.Next }, t.Item3).Select(@else =>
                    (ImmutableArray.Create<Stmt>(new IfStmt(t.Item1, then.Block, t.Item3 == 0 ? null : @else.Block)),
                     scope with { Next = @else.Scope.Next }))))));
        }
        return Gen.Frequency(options.ToArray());
    }

    /// <summary>The loop forms; each returns the statements before the loop, the loop, and the scope after it.</summary>
    private static Gen<(ImmutableArray<Stmt>, LoopScope)> Loop(LoopScope scope)
    {
        LoopScope fresh = scope.Fresh(out int id);
        string i = "i" + id;
        LoopScope Inside(LoopScope s, bool counted) =>
            s with { Depth = s.Depth + 1, Nesting = s.Nesting + 1, Next = fresh.Next, BreakAllowed = !counted || s.Depth == 0 || NestedBreak };

        // Every bound a for loop may count to: the run-time lengths, idx's, and the local arrays'.
        string[] bounds = [.. Lengths, "idx.Length", .. scope.Arrays.Where(a => a.Writable).Select(a => a.Name + ".Length")];
        string LengthOf(string bound) => bound.EndsWith(".Length", StringComparison.Ordinal) && bound != "v.Length" && bound != "idx.Length"
            ? scope.Arrays.Single(a => a.Name + ".Length" == bound).Length
            : bound;

        Gen<(ImmutableArray<Stmt>, LoopScope)> Build(string header, LoopScope inside, Func<LoopStmt, LoopScope, (ImmutableArray<Stmt>, LoopScope)>? wrap = null,
                                                     ImmutableArray<Stmt> counter = default, string? doCondition = null) =>
            Gen.Int[1, 3].SelectMany(count => Block(Inside(inside, counted: !header.StartsWith("while", StringComparison.Ordinal) && header != "do"), count).Select(b =>
            {
                var loop = new LoopStmt(header, counter.IsDefault ? [] : counter, b.Block, doCondition);
                LoopScope after = scope with { Next = b.Scope.Next };
                return wrap is null ? ([loop], after) : wrap(loop, after);
            }));

        LoopScope WithIndex(string length, params int[] offsets) =>
            fresh with { Indices = fresh.Indices.Add(new LoopIndex(i, length, [.. offsets])) };

        var forms = new List<(int, IGen<(ImmutableArray<Stmt>, LoopScope)>)>
        {
            // for over a run-time bound: from 0 or 1, to the bound or the bound minus 1, up, down, by 2.
            (6, Gen.Select(Pick(bounds), Gen.Int[0, 5]).SelectMany(t =>
            {
                (string bound, int shape) = t;
                string length = LengthOf(bound);
                return shape switch
                {
                    0 => Build($"for (int {i} = 0; {i} < {bound}; {i}++)", WithIndex(length, 0)),
                    1 => Build($"for (int {i} = 1; {i} < {bound}; {i}++)", WithIndex(length, 0, -1)),
                    2 => Build($"for (int {i} = 0; {i} < {bound} - 1; {i}++)", WithIndex(length, 0, 1)),
                    3 => Build($"for (int {i} = {bound} - 1; {i} >= 0; {i}--)", WithIndex(length, 0)),
                    4 => Build($"for (int {i} = 0; {i} < {bound}; {i} += 2)", WithIndex(length, 0)),
                    _ => Build($"for (int {i} = 1; {i} < {bound}; {i} += 2)", WithIndex(length, 0, -1)),
                };
            })),
            // foreach over v or a local array (its elements as values), or over idx (entries index v's length).
            (2, Pick(["v", .. scope.Arrays.Where(a => a.Writable).Select(a => a.Name)]).SelectMany(a =>
                Build($"foreach (double {i} in {a})", fresh with { Doubles = fresh.Doubles.Add(i) }))),
            // A 2-D array's rows, then its columns (GetLength(0) and GetLength(1)), the inner loop indexing both.
            (2, Pick(scope.Grids.ToArray()).SelectMany(g =>
            {
                string j = "j" + id;
                // Built as the inner loop, one level deeper than scope: the outer one wraps it.
                LoopScope inside = fresh with
                {
                    Indices = fresh.Indices.Add(new LoopIndex(i, g.Rows, [0])).Add(new LoopIndex(j, g.Columns, [0])), Depth = scope.Depth + 1, Nesting = scope.Nesting + 1,
                };
                return Build($"for (int {j} = 0; {j} < {g.Name}.GetLength(1); {j}++)", inside, (loop, after) =>
                    ([new LoopStmt($"for (int {i} = 0; {i} < {g.Name}.GetLength(0); {i}++)", [], [loop])], after));
            })),
            // A double loop variable, over a constant or a run-time range.
            (1, Pick($"for (double {i} = 0.0; {i} < 1.0; {i} += 0.25)", $"for (double {i} = 0.5; {i} < n; {i} += 0.75)").SelectMany(h =>
                Build(h, fresh with { Doubles = fresh.Doubles.Add(i) }))),
            // while: a trip count set by active data (t grows by data-dependent steps), under a hard cap; k is
            // incremented first, so a continue cannot skip it, and k - 1 indexes arrays of the cap's length.
            (3, Gen.Select(Pick(Lengths), Pick("1.0", "2.5", "1.0 + x * x"), Gen.Bool, Expression(scope)).SelectMany(t =>
            {
                (string cap, string limit, bool dataFirst, Expr step) = t;
                string k = "k" + id, tv = "t" + id;
                string condition = dataFirst ? $"{tv} < {limit} && {k} < {cap}" : $"{k} < {cap} && {tv} < {limit}";
                LoopScope inside = fresh with
                {
                    Indices = fresh.Indices.Add(new LoopIndex(k, cap, [-1])), Doubles = fresh.Doubles.Add(tv),
                };
                return Build($"while ({condition})", inside, (loop, after) =>
                    ([new PlainStmt($"int {k} = 0;"), new PlainStmt($"double {tv} = 0.0;"),
                      // t grows last, so a continue before it leaves the cap on k to end the loop.
                      loop with { Body = loop.Body.Add(new LineStmt($"{tv} += 0.25 + SymMath.Sigmoid($0);", step)) }],
                     after with { Doubles = after.Doubles.Add(tv) }),
                    [new PlainStmt($"{k}++;")]);
            })),
            // do/while: at least one trip, whatever the cap (n = 0 included); no index, as k - 1 may be past the end.
            (2, Gen.Select(Pick("n", "v.Length", "3"), Pick("1.5", "0.5 + x * x"), Expression(scope), Gen.Bool).SelectMany(t =>
            {
                (string cap, string limit, Expr step, bool growFirst) = t;
                string k = "k" + id, tv = "t" + id;
                return Build("do", fresh with { Doubles = fresh.Doubles.Add(tv) }, (loop, after) =>
                    ([new PlainStmt($"int {k} = 0;"), new PlainStmt($"double {tv} = 0.0;"),
                      // t grows first or last: first, the body may end in `if (...) continue;` (bug 3's shape).
                      loop with { Body = growFirst
                          ? loop.Body.Insert(0, new LineStmt($"{tv} += 0.25 + SymMath.Sigmoid($0);", step))
                          : loop.Body.Add(new LineStmt($"{tv} += 0.25 + SymMath.Sigmoid($0);", step)) }],
                     after with { Doubles = after.Doubles.Add(tv) }),
                    [new PlainStmt($"{k}++;")], $"{k} < {cap} && {tv} < {limit}");
            })),
        };

        if (ForeachInt) forms.Add((1, Build($"foreach (int {i} in idx)", WithIndex("v.Length", 0))));

        // Triangular nests under an enclosing index: j < i (so j + 1 is in range too), j <= i, and j > i.
        LoopIndex[] outer = scope.Indices.Where(o => o.Offsets.Contains(0) && o.Length != "idx.Length").ToArray();
        if (outer.Length > 0)
        {
            forms.Add((4, Gen.Select(Pick(outer), Gen.Int[0, 2]).SelectMany(t =>
            {
                (LoopIndex o, int shape) = t;
                return shape switch
                {
                    0 => Build($"for (int {i} = 0; {i} < {o.Name}; {i}++)", WithIndex(o.Length, 0, 1)),
                    1 => Build($"for (int {i} = 0; {i} <= {o.Name}; {i}++)", WithIndex(o.Length, 0)),
                    _ => Build($"for (int {i} = {o.Name} + 1; {i} < {o.Length}; {i}++)", WithIndex(o.Length, 0, -1)),
                };
            })));
        }
        return Gen.Frequency(forms.ToArray());
    }

    /// <summary>
    /// Sums every top-level scalar and every element of every local array into the result (through tanh), so values
    /// computed along the way reach it and most partial derivatives are nonzero.
    /// </summary>
    private static (ImmutableArray<Stmt> Tail, Expr Result) Live(LoopScope scope, Expr result)
    {
        var tail = ImmutableArray.CreateBuilder<Stmt>();
        tail.Add(new PlainStmt("double live = 0.0;"));
        foreach (Array1 a in scope.Arrays.Where(a => a.Writable))
        {
            tail.Add(new PlainStmt($"for (int e = 0; e < {a.Name}.Length; e++) live += Math.Tanh({a.Name}[e]);"));
        }
        foreach (Array2 g in scope.Grids.Where(g => g.Writable))
        {
            tail.Add(new PlainStmt($"for (int e = 0; e < {g.Name}.GetLength(0); e++) for (int f = 0; f < {g.Name}.GetLength(1); f++) live += Math.Tanh({g.Name}[e, f]);"));
        }
        Expr sum = scope.Locals.Concat(scope.Doubles.Where(d => d.StartsWith('t'))).Aggregate(
            Expr.Node("$0 + live", false, result), (s, name) => Expr.Node("$0 + $1", false, s, Expr.Node("Math.Tanh($0)", true, Expr.Leaf(name))));
        return (tail.ToImmutable(), sum);
    }

    /// <summary>
    /// A point: v of length 0 to 5, w of 0 to 3 rows and columns, n from 0 to 4, idx of 0 to 4 entries in v's range:
    /// zero-trip loops are common. Coordinates as <see cref="RandomPrograms.Coordinate"/> (off the kinks).
    /// </summary>
    private static readonly Gen<Point> PointGen =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 4], Gen.Int[0, 4]).SelectMany(t =>
        {
            (int length, int rows, int columns, int n, int entries) = t;
            Gen<int[]> idx = length == 0 ? Gen.Const(System.Array.Empty<int>()) : Gen.Int[0, length - 1].Array[entries];
            return Gen.Select(RandomPrograms.Coordinate.Array[1 + length + rows * columns], RandomPrograms.Coordinate, idx, (z, s, ix) =>
            {
                var w = new double[rows, columns];
                for (int r = 0; r < rows; r++)
                {
                    for (int c = 0; c < columns; c++) w[r, c] = z[1 + length + r * columns + c];
                }
                return LoopPoint.Create(z[0], z[1..(1 + length)], w, s / 1.5, n, ix);
            });
        });

    /// <summary>Random loop programs, each with 3 points.</summary>
    public static readonly Gen<LoopProgram> Programs =
        Gen.Select(Pick("double[]", "ReadOnlySpan<double>"), Gen.Int[2, 5]).SelectMany(t =>
            Block(LoopScope.Start, t.Item2).SelectMany(b => Expression(b.Scope).Select(r =>
            {
                (ImmutableArray<Stmt> tail, Expr result) = Live(b.Scope, r);
                return (Body: b.Block.AddRange(tail), Result: result);
            }))
            .SelectMany(p => PointGen.Array[3].Select(points => new LoopProgram(t.Item1, p.Body, p.Result, [.. points]))));
}

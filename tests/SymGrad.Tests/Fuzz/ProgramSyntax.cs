using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// A C# expression as a tree, so a failing program can be shrunk structurally (a node replaced by one of its
/// operands). <see cref="Template"/> holds the text with <c>$0</c>, <c>$1</c>... for the operands; a leaf has none.
/// Domain safety lives in the templates (<c>Math.Log(1.0 + $0 * $0)</c>), so every subtree is safe anywhere.
/// </summary>
internal sealed record Expr(string Template, ImmutableArray<Expr> Args, bool IsBool = false, bool Primary = true)
{
    public static Expr Leaf(string text) => new(text, [], Primary: true);

    public static Expr Node(string template, bool primary, params Expr[] args) => new(template, [.. args], Primary: primary);

    public static Expr Condition(string template, params Expr[] args) => new(template, [.. args], IsBool: true, Primary: false);

    private static readonly Regex Hole = new(@"\$(\d)", RegexOptions.Compiled);

    public string Render() => Args.IsEmpty ? Template : Hole.Replace(Template, m =>
    {
        Expr arg = Args[m.Value[1] - '0'];
        string text = arg.Render();
        return arg.Primary ? text : "(" + text + ")";
    });

    public int Size => 1 + Args.Sum(a => a.Size);

    /// <summary>Smaller expressions of the same kind: an operand in place of the node, then a node with a smaller operand.</summary>
    public IEnumerable<Expr> Shrinks()
    {
        if (!IsBool)
        {
            foreach (Expr a in Args.Where(a => !a.IsBool).OrderBy(a => a.Size)) yield return a;
            if (Template != "1.0") yield return Leaf("1.0");
            if (Template != "x") yield return Leaf("x");
        }
        for (int i = 0; i < Args.Length; i++)
        {
            foreach (Expr smaller in Args[i].Shrinks()) yield return this with { Args = Args.SetItem(i, smaller) };
        }
    }

    public override string ToString() => Render();
}

/// <summary>A statement: a line with expression holes, a for loop, or an if/else.</summary>
internal abstract record Stmt
{
    public abstract void Render(StringBuilder s, string indent);

    public abstract int Size { get; }

    /// <summary>Smaller versions of this statement (an empty list: delete it; handled by the enclosing block).</summary>
    public abstract IEnumerable<ImmutableArray<Stmt>> Shrinks();

    internal static void RenderBlock(StringBuilder s, string indent, ImmutableArray<Stmt> block)
    {
        s.Append(indent).Append("{\n");
        foreach (Stmt st in block) st.Render(s, indent + "    ");
        s.Append(indent).Append("}\n");
    }

    /// <summary>Every block with one statement removed or replaced by one of its shrinks.</summary>
    internal static IEnumerable<ImmutableArray<Stmt>> ShrinkBlock(ImmutableArray<Stmt> block)
    {
        for (int i = block.Length - 1; i >= 0; i--) yield return block.RemoveAt(i);
        for (int i = 0; i < block.Length; i++)
        {
            foreach (ImmutableArray<Stmt> replacement in block[i].Shrinks())
            {
                yield return block.RemoveAt(i).InsertRange(i, replacement);
            }
        }
    }

    internal static int SizeOf(ImmutableArray<Stmt> block) => block.Sum(s => s.Size);
}

internal sealed record LineStmt(string Template, Expr Value) : Stmt
{
    public override void Render(StringBuilder s, string indent) =>
        s.Append(indent).Append(Template.Replace("$0", Value.Primary ? Value.Render() : "(" + Value.Render() + ")")).Append('\n');

    public override int Size => 1 + Value.Size;

    public override IEnumerable<ImmutableArray<Stmt>> Shrinks() =>
        Template.Contains("$0") ? Value.Shrinks().Select(e => ImmutableArray.Create<Stmt>(this with { Value = e })) : [];
}

/// <summary>A line without an expression (an array declaration, a const).</summary>
internal sealed record PlainStmt(string Text) : Stmt
{
    public override void Render(StringBuilder s, string indent) => s.Append(indent).Append(Text).Append('\n');

    public override int Size => 1;

    public override IEnumerable<ImmutableArray<Stmt>> Shrinks() => [];
}

/// <summary>An array declaration with element initializers: <c>double[] b0 = [$0, $1];</c>.</summary>
internal sealed record ArrayInitStmt(string Prefix, string Open, string Close, ImmutableArray<Expr> Elements) : Stmt
{
    public override void Render(StringBuilder s, string indent) =>
        s.Append(indent).Append(Prefix).Append(Open).Append(string.Join(", ", Elements.Select(e => e.Render()))).Append(Close).Append(";\n");

    public override int Size => 1 + Elements.Sum(e => e.Size);

    public override IEnumerable<ImmutableArray<Stmt>> Shrinks()
    {
        for (int i = 0; i < Elements.Length; i++)
        {
            foreach (Expr e in Elements[i].Shrinks()) yield return [this with { Elements = Elements.SetItem(i, e) }];
        }
    }
}

internal sealed record ForStmt(string Variable, string Header, ImmutableArray<Stmt> Body) : Stmt
{
    public override void Render(StringBuilder s, string indent)
    {
        s.Append(indent).Append(Header).Append('\n');
        RenderBlock(s, indent, Body);
    }

    public override int Size => 1 + SizeOf(Body);

    public override IEnumerable<ImmutableArray<Stmt>> Shrinks()
    {
        string once = $"for (int {Variable} = 0; {Variable} < 1; {Variable}++)";
        if (Header != once) yield return [this with { Header = once }];
        foreach (ImmutableArray<Stmt> body in ShrinkBlock(Body)) yield return [this with { Body = body }];
    }
}

internal sealed record IfStmt(Expr Condition, ImmutableArray<Stmt> Then, ImmutableArray<Stmt>? Else) : Stmt
{
    public override void Render(StringBuilder s, string indent)
    {
        s.Append(indent).Append("if (").Append(Condition.Render()).Append(")\n");
        RenderBlock(s, indent, Then);
        if (Else is { } e)
        {
            s.Append(indent).Append("else\n");
            RenderBlock(s, indent, e);
        }
    }

    public override int Size => 1 + Condition.Size + SizeOf(Then) + (Else is { } e ? SizeOf(e) : 0);

    public override IEnumerable<ImmutableArray<Stmt>> Shrinks()
    {
        // A branch in place of the if (a return inside it is fine at the top level, where early returns live).
        yield return Then;
        if (Else is { } e)
        {
            yield return e;
            yield return [this with { Else = null }];
        }
        foreach (ImmutableArray<Stmt> then in ShrinkBlock(Then)) yield return [this with { Then = then }];
        if (Else is { } el)
        {
            foreach (ImmutableArray<Stmt> @else in ShrinkBlock(el)) yield return [this with { Else = @else }];
        }
        foreach (Expr c in Condition.Shrinks()) yield return [this with { Condition = c }];
    }
}

/// <summary>
/// A switch statement: each section's labels (<c>case 1: case 2:</c>, <c>case &gt; 0.5 when y &lt; 0:</c>,
/// <c>default:</c>), its statements in a block of their own, then <c>break;</c>.
/// </summary>
internal sealed record SwitchStmt(string Subject, ImmutableArray<(string Labels, ImmutableArray<Stmt> Body)> Sections) : Stmt
{
    public override void Render(StringBuilder s, string indent)
    {
        s.Append(indent).Append("switch (").Append(Subject).Append(")\n").Append(indent).Append("{\n");
        foreach ((string labels, ImmutableArray<Stmt> body) in Sections)
        {
            s.Append(indent).Append("    ").Append(labels).Append('\n');
            RenderBlock(s, indent + "    ", body);
            s.Append(indent).Append("        break;\n");
        }
        s.Append(indent).Append("}\n");
    }

    public override int Size => 1 + Sections.Sum(c => 1 + SizeOf(c.Body));

    public override IEnumerable<ImmutableArray<Stmt>> Shrinks()
    {
        foreach ((string _, ImmutableArray<Stmt> body) in Sections) yield return body; // one section in place of the switch
        for (int i = 0; i < Sections.Length; i++)
        {
            if (Sections.Length > 1) yield return [this with { Sections = Sections.RemoveAt(i) }];
            foreach (ImmutableArray<Stmt> body in ShrinkBlock(Sections[i].Body))
            {
                yield return [this with { Sections = Sections.SetItem(i, (Sections[i].Labels, body)) }];
            }
        }
    }
}

/// <summary>
/// Where a program is evaluated: the differentiable inputs x, y, v[0..2], w[0..1, 0..1] as one vector, s
/// ([NoDerivative]) and n (int).
/// </summary>
internal sealed record Point(ImmutableArray<double> Inputs, double S, int N)
{
    public static readonly string[] Names = ["x", "y", "v[0]", "v[1]", "v[2]", "w[0, 0]", "w[0, 1]", "w[1, 0]", "w[1, 1]"];

    /// <summary>The inputs' names, if not <see cref="Names"/> (a loop program's arrays have the point's own lengths).</summary>
    public ImmutableArray<string> InputNames { get; init; }

    /// <summary>Ints the glue reads (a loop program's lengths and index table); none for <see cref="Program"/>.</summary>
    public ImmutableArray<int> Ints { get; init; }

    public string[] Labels => InputNames.IsDefault ? Names : [.. InputNames];

    /// <summary>A fresh copy of the inputs (finite differences change one).</summary>
    public double[] Z => [.. Inputs];

    /// <summary>A fresh copy of the ints.</summary>
    public int[] K => Ints.IsDefault ? [] : [.. Ints];

    public override string ToString() =>
        string.Join(", ", Labels.Select((name, i) => name + "=" + Inputs[i].ToString("R", CultureInfo.InvariantCulture)))
        + string.Create(CultureInfo.InvariantCulture, $", s={S:R}, n={N}")
        + (Ints.IsDefaultOrEmpty ? "" : ", k=[" + string.Join(", ", Ints) + "]");
}

/// <summary>
/// One random [Differentiable] program: <c>F(double x, double y, &lt;array or span&gt; v, [NoDerivative] double s,
/// int n)</c>, an optional [Differentiable] helper <c>H(p, q)</c> it may call, and the points it is checked at.
/// <see cref="ToString"/> is the whole source (with the points as a comment), so a failure prints the program.
/// </summary>
internal sealed record Program(string VType, Expr? Helper, ImmutableArray<Stmt> Body, Expr Result, ImmutableArray<Point> Points) : ICheckedProgram<Program>
{
    public string Glue(int index) => ProgramChecker.Glue(index) + (index % 2 == 0 ? JacobianGlue(index) : "");

    /// <summary>J{index}: the vector wrapper's Jacobian and VJP on a point's flat inputs (even programs only).</summary>
    private string JacobianGlue(int i) => $$"""

        public static class J{{i}}
        {
            public static void Jacobian(double[] z, double s, int n, int[] k, double[] r, double[,] j) =>
                V{{i}}.FJacobian(z[0], z[1], new double[] { z[2], z[3], z[4] }, new double[,] { { z[5], z[6] }, { z[7], z[8] } }, s, n, r, j);

            public static void Vjp(double[] z, double s, int n, int[] k, double[] r, double[] seed, double[] g)
            {
                double dX = 1e3, dY = -1e3;
                double[] dV = [1e3, 1e3, 1e3];
                var dW = new double[,] { { 1e3, 1e3 }, { 1e3, 1e3 } };
                V{{i}}.FVjp(z[0], z[1], new double[] { z[2], z[3], z[4] }, new double[,] { { z[5], z[6] }, { z[7], z[8] } }, s, n, r, seed,
                    ref dX, ref dY, dV, dW);
                g[0] = dX; g[1] = dY; g[2] = dV[0]; g[3] = dV[1]; g[4] = dV[2];
                g[5] = dW[0, 0]; g[6] = dW[0, 1]; g[7] = dW[1, 0]; g[8] = dW[1, 1];
            }
        }

        """;

    /// <summary>When set, H starts with <c>if (guard) return alternative;</c>: an early return inside an inlined callee.</summary>
    public (Expr Guard, Expr Alternative)? HelperGuard { get; init; }

    public int Size => (Helper?.Size ?? 0) + (HelperGuard is { } g ? 1 + g.Guard.Size + g.Alternative.Size : 0) + Stmt.SizeOf(Body) + Result.Size;

    /// <summary>The source of this program as class <c>P{index}</c> (batches put many in one compilation).</summary>
    public string Source(int index)
    {
        var s = new StringBuilder();
        // Random code has unreachable branches (CS0162), unused constants (CS0219) and the like: the user's warnings, not the generator's.
        s.Append("#pragma warning disable CS0162, CS0219, CS1717, CS1718\nusing SymGrad;\n\nnamespace Fuzz;\n\n");
        s.Append("public static partial class P").Append(index).Append('\n').Append("{\n");
        if (Helper is { } h)
        {
            s.Append("    [Differentiable]\n");
            if (HelperGuard is { } g)
            {
                s.Append("    private static double H(double p, double q)\n    {\n");
                s.Append("        if (").Append(g.Guard.Render()).Append(") return ").Append(g.Alternative.Render()).Append(";\n");
                s.Append("        return ").Append(h.Render()).Append(";\n    }\n\n");
            }
            else
            {
                s.Append("    private static double H(double p, double q) => ").Append(h.Render()).Append(";\n\n");
            }
        }
        s.Append("    [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.HessianVector | DerivativeModes.Hessian)]\n");
        s.Append("    public static double F(double x, double y, ").Append(VType).Append(" v, double[,] w, [NoDerivative] double s, int n)\n");
        s.Append("    {\n");
        foreach (Stmt st in Body) st.Render(s, "        ");
        s.Append("        return ").Append(Result.Render()).Append(";\n");
        s.Append("    }\n}\n");
        if (index % 2 == 0)
        {
            // Every other program also as a vector output, for its Jacobian (see ProgramChecker.CheckJacobian).
            s.Append(ProgramChecker.VectorWrapper(index, $"double x, double y, {VType} v, double[,] w, [NoDerivative] double s, int n", "x, y, v, w, s, n"));
        }
        return s.ToString();
    }

    public override string ToString() =>
        Source(0) + string.Concat(Points.Select(p => "// at " + p + "\n"));

    /// <summary>Structurally smaller programs, the most promising first.</summary>
    public IEnumerable<Program> Shrinks()
    {
        if (Points.Length > 1)
        {
            foreach (Point p in Points) yield return this with { Points = [p] };
        }
        foreach (ImmutableArray<Stmt> body in Stmt.ShrinkBlock(Body)) yield return this with { Body = body };
        foreach (Expr r in Result.Shrinks()) yield return this with { Result = r };
        if (HelperGuard is { } g)
        {
            yield return this with { HelperGuard = null };
            foreach (Expr smaller in g.Alternative.Shrinks()) yield return this with { HelperGuard = (g.Guard, smaller) };
            foreach (Expr smaller in g.Guard.Shrinks()) yield return this with { HelperGuard = (smaller, g.Alternative) };
        }
        if (Helper is { } h)
        {
            foreach (Expr smaller in h.Shrinks()) yield return this with { Helper = smaller };
        }
        if (VType != "double[]") yield return this with { VType = "double[]" };
    }
}


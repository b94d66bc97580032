using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// A runtime loop: a header (<c>for (...)</c>, <c>while (...)</c>, <c>foreach (...)</c>, or <c>do</c> with
/// <see cref="DoCondition"/>), then <see cref="Counter"/> and <see cref="Body"/> in one block. The counter
/// (<c>k3++;</c>) is never shrunk away: it comes first, before any <c>continue</c>, so every loop ends at its hard cap
/// however the body is shrunk.
/// </summary>
internal sealed record LoopStmt(string Header, ImmutableArray<Stmt> Counter, ImmutableArray<Stmt> Body, string? DoCondition = null) : Stmt
{
    public override void Render(StringBuilder s, string indent)
    {
        s.Append(indent).Append(DoCondition is null ? Header : "do").Append('\n');
        RenderBlock(s, indent, Counter.AddRange(Body));
        if (DoCondition is not null) s.Append(indent).Append("while (").Append(DoCondition).Append(");\n");
    }

    public override int Size => 1 + SizeOf(Body);

    public override IEnumerable<ImmutableArray<Stmt>> Shrinks() => ShrinkBlock(Body).Select(b => ImmutableArray.Create<Stmt>(this with { Body = b }));
}

/// <summary>
/// One random program with runtime loops: <c>F(double x, &lt;double[] or ReadOnlySpan&lt;double&gt;&gt; v, double[,] w,
/// [NoDerivative] double s, int n, int[] idx)</c>, checked at points whose v, w and idx have their own lengths
/// (<see cref="LoopPoint"/>). <see cref="ToString"/> is the source with the points as comments.
/// </summary>
internal sealed record LoopProgram(string VType, ImmutableArray<Stmt> Body, Expr Result, ImmutableArray<Point> Points) : ICheckedProgram<LoopProgram>
{
    public int Size => Stmt.SizeOf(Body) + Result.Size;

    public string Source(int index)
    {
        var s = new StringBuilder();
        // Random code has unreachable statements (CS0162) and the like: the user's warnings, not the generator's.
        s.Append("#pragma warning disable CS0162, CS0219, CS1717, CS1718\nusing SymGrad;\n\nnamespace Fuzz;\n\n");
        s.Append("public static partial class P").Append(index).Append("\n{\n");
        s.Append("    [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.HessianVector | DerivativeModes.Hessian)]\n");
        s.Append("    public static double F(double x, ").Append(VType).Append(" v, double[,] w, [NoDerivative] double s, int n, int[] idx)\n    {\n");
        foreach (Stmt st in Body) st.Render(s, "        ");
        s.Append("        return ").Append(Result.Render()).Append(";\n    }\n}\n");
        if (index % 2 == 0)
        {
            // Every other program also as a vector output, for its Jacobian (see ProgramChecker.CheckJacobian).
            s.Append(ProgramChecker.VectorWrapper(index, $"double x, {VType} v, double[,] w, [NoDerivative] double s, int n, int[] idx", "x, v, w, s, n, idx"));
        }
        return s.ToString();
    }

    /// <summary>
    /// G{index} unpacks a point (<see cref="LoopPoint"/>) into F's arguments; adjoints and H·v outputs start as
    /// garbage (1e3), as in <see cref="ProgramChecker.Glue"/>. Glue 0 also holds the unpacking helpers, once per
    /// compilation (every batch has a program 0).
    /// </summary>
    public string Glue(int index) => (index == 0 ? LoopPoint.Helpers : "") + Glue0(index) + (index % 2 == 0 ? JacobianGlue(index) : "");

    /// <summary>J{index}: the vector wrapper's Jacobian and VJP on a point's flat inputs (even programs only).</summary>
    private static string JacobianGlue(int index) => $$"""

        public static class J{{index}}
        {
            public static void Jacobian(double[] z, double s, int n, int[] k, double[] r, double[,] j) =>
                V{{index}}.FJacobian(z[0], LoopGlue.V(z, k), LoopGlue.W(z, k), s, n, LoopGlue.Idx(k), r, j);

            public static void Vjp(double[] z, double s, int n, int[] k, double[] r, double[] seed, double[] g)
            {
                double dX = 1e3;
                double[] dV = LoopGlue.Garbage(k[0]);
                double[,] dW = LoopGlue.Garbage(k[1], k[2]);
                V{{index}}.FVjp(z[0], LoopGlue.V(z, k), LoopGlue.W(z, k), s, n, LoopGlue.Idx(k), r, seed, ref dX, dV, dW);
                LoopGlue.Flatten(dX, dV, dW, g);
            }
        }

        """;

    private static string Glue0(int index) => $$"""

        public static class G{{index}}
        {
            public static double Value(double[] z, double s, int n, int[] k) => P{{index}}.F(z[0], LoopGlue.V(z, k), LoopGlue.W(z, k), s, n, LoopGlue.Idx(k));

            public static double Gradient(double[] z, double s, int n, int[] k, double[] g)
            {
                double dX = 1e3;
                double[] dV = LoopGlue.Garbage(k[0]);
                double[,] dW = LoopGlue.Garbage(k[1], k[2]);
                double r = P{{index}}.FGradient(z[0], LoopGlue.V(z, k), LoopGlue.W(z, k), s, n, LoopGlue.Idx(k), ref dX, dV, dW);
                LoopGlue.Flatten(dX, dV, dW, g);
                return r;
            }

            public static double Jvp(double[] z, double s, int n, int[] k, double[] u, out double derivative) =>
                P{{index}}.FJvp(z[0], LoopGlue.V(z, k), LoopGlue.W(z, k), s, n, LoopGlue.Idx(k), u[0], LoopGlue.V(u, k), LoopGlue.W(u, k), out derivative);

            public static double Hvp(double[] z, double s, int n, int[] k, double[] u, double[] g, double[] hv)
            {
                double dX = 1e3, hX = -1e3;
                double[] dV = LoopGlue.Garbage(k[0]), hV = LoopGlue.Garbage(k[0]);
                double[,] dW = LoopGlue.Garbage(k[1], k[2]), hW = LoopGlue.Garbage(k[1], k[2]);
                double r = P{{index}}.FHvp(z[0], LoopGlue.V(z, k), LoopGlue.W(z, k), s, n, LoopGlue.Idx(k), u[0], LoopGlue.V(u, k), LoopGlue.W(u, k),
                    ref dX, dV, dW, ref hX, hV, hW);
                LoopGlue.Flatten(dX, dV, dW, g);
                LoopGlue.Flatten(hX, hV, hW, hv);
                return r;
            }

            public static double Hessian(double[] z, double s, int n, int[] k, double[,] h)
            {
                double dX = 1e3;
                double[] dV = LoopGlue.Garbage(k[0]);
                double[,] dW = LoopGlue.Garbage(k[1], k[2]);
                return P{{index}}.FHessian(z[0], LoopGlue.V(z, k), LoopGlue.W(z, k), s, n, LoopGlue.Idx(k), ref dX, dV, dW, h);
            }

            public static double Tape(double[] z, double s, int n, int[] k, double[] g, out bool finite)
            {
                var x = new Value(z[0]);
                Value[] v = LoopGlue.V(z, k).Select(e => new Value(e)).ToArray();
                double[,] wd = LoopGlue.W(z, k);
                var w = new Value[k[1], k[2]];
                for (int i = 0; i < k[1]; i++)
                    for (int j = 0; j < k[2]; j++) w[i, j] = new Value(wd[i, j]);
                Value r = P{{index}}.FTape(x, v, w, s, n, LoopGlue.Idx(k));
                r.Backward();
                LoopGlue.Flatten(x.Grad, v.Select(e => e.Grad).ToArray(), LoopGlue.Grads(w), g);
                finite = Shared.AllFinite(r);
                return r.Data;
            }
        }

        """;

    public override string ToString() => Source(0) + string.Concat(Points.Select(p => "// at " + p + "\n"));

    public IEnumerable<LoopProgram> Shrinks()
    {
        if (Points.Length > 1)
        {
            foreach (Point p in Points) yield return this with { Points = [p] };
        }
        foreach (ImmutableArray<Stmt> body in Stmt.ShrinkBlock(Body)) yield return this with { Body = body };
        foreach (Expr r in Result.Shrinks()) yield return this with { Result = r };
        if (VType != "double[]") yield return this with { VType = "double[]" };
    }
}

/// <summary>
/// A loop program's point: inputs x, v[0..L-1], w[0..R-1, 0..C-1] (row by row) as one vector, and ints
/// [L, R, C, idx...] (idx's entries index v). Lengths of 0 are drawn too: loops that run zero times.
/// </summary>
internal static class LoopPoint
{
    public static Point Create(double x, double[] v, double[,] w, double s, int n, int[] idx)
    {
        int rows = w.GetLength(0), columns = w.GetLength(1);
        var inputs = ImmutableArray.CreateBuilder<double>();
        var names = ImmutableArray.CreateBuilder<string>();
        inputs.Add(x);
        names.Add("x");
        for (int i = 0; i < v.Length; i++)
        {
            inputs.Add(v[i]);
            names.Add(string.Create(CultureInfo.InvariantCulture, $"v[{i}]"));
        }
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                inputs.Add(w[i, j]);
                names.Add(string.Create(CultureInfo.InvariantCulture, $"w[{i}, {j}]"));
            }
        }
        return new Point(inputs.ToImmutable(), s, n) { InputNames = names.ToImmutable(), Ints = [v.Length, rows, columns, .. idx] };
    }

    /// <summary>The glue's helpers: a point's flat vector and ints to F's arrays, and adjoint arrays back to a flat vector.</summary>
    public const string Helpers = """

        internal static class LoopGlue
        {
            public static double[] V(double[] z, int[] k) => z[1..(1 + k[0])];

            public static double[,] W(double[] z, int[] k)
            {
                var w = new double[k[1], k[2]];
                for (int i = 0; i < k[1]; i++)
                    for (int j = 0; j < k[2]; j++) w[i, j] = z[1 + k[0] + i * k[2] + j];
                return w;
            }

            public static int[] Idx(int[] k) => k[3..];

            public static double[] Garbage(int length) => Enumerable.Repeat(1e3, length).ToArray();

            public static double[,] Garbage(int rows, int columns)
            {
                var w = new double[rows, columns];
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < columns; j++) w[i, j] = 1e3;
                return w;
            }

            public static double[,] Grads(Value[,] w)
            {
                var g = new double[w.GetLength(0), w.GetLength(1)];
                for (int i = 0; i < w.GetLength(0); i++)
                    for (int j = 0; j < w.GetLength(1); j++) g[i, j] = w[i, j].Grad;
                return g;
            }

            public static void Flatten(double x, double[] v, double[,] w, double[] flat)
            {
                flat[0] = x;
                v.CopyTo(flat, 1);
                int at = 1 + v.Length;
                foreach (double e in w) flat[at++] = e;
            }
        }

        """;
}

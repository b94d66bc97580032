using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// Writes <c>{Name}Hessian</c>: the value, the gradient and the dense Hessian over the inputs (every scalar of
/// every differentiable parameter, in parameter order, arrays row-major), one Hessian-vector product per row with a
/// unit tangent. Only the upper triangle of each row is kept and mirrored, so the result is symmetric to the bit.
/// It allocates its tangent and product buffers once per call (the Hessian itself is n², so they are small beside it).
/// </summary>
internal static class HessianEmitter
{
    public static void Emit(CodeWriter w, MethodSpec spec, MethodIr ir)
    {
        RealType real = RealType.Of(ir.Real);
        var differentiable = Enumerable.Range(0, ir.Params.Count).Where(p => ir.Params[p].IsDifferentiable).ToList();
        var taken = ir.Params.Select(p => p.Name.TrimStart('@')).Append("hessian").ToList();
        var adjoints = new Dictionary<int, string>();
        foreach (int p in differentiable)
        {
            adjoints[p] = Naming.AdjointParameter(ir.Params[p], taken);
            taken.Add(adjoints[p]);
        }
        // Locals of this method must not shadow a parameter (a user's n, row, ...): each takes the first free name.
        string Fresh(string wanted)
        {
            string name = wanted;
            while (taken.Contains(name)) name += "_";
            taken.Add(name);
            return name;
        }
        string n = Fresh("n"), row = Fresh("row"), column = Fresh("column"), value = Fresh("value");
        string r0 = Fresh("r0"), r1 = Fresh("r1"), c0 = Fresh("c0"), c1 = Fresh("c1");
        string cref = XmlDocs.Cref(spec, ir);
        w.Line("/// <summary>");
        w.Line($"/// Computes <see cref=\"{cref}\"/>, its gradient and its dense Hessian over the inputs: every scalar of every");
        w.Line("/// differentiable parameter, in parameter order, arrays row-major. One Hessian-vector product per row; the upper");
        w.Line("/// triangle is kept and mirrored, so the Hessian is symmetric to the last bit.");
        w.Line("/// </summary>");
        XmlDocs.MethodParameters(w, spec, ir);
        XmlDocs.Derived(w, adjoints, ir, p => $"Receives the derivative of the result with respect to {p}.");
        w.Line("/// <param name=\"hessian\">Receives the Hessian: n x n, n the number of inputs.</param>");
        XmlDocs.Returns(w, cref);
        w.Line(Emitter.GeneratedCodeAttribute);
        var parameters = ir.Params.Select(p => GradientEmitter.ParamType(p.Kind, real) + " " + p.Name)
            .Concat(adjoints.Select(a => GradientEmitter.AdjointType(ir.Params[a.Key].Kind, real) + " " + a.Value))
            .Append(real.Name + "[,] hessian");
        w.Open($"{spec.Accessibility} static {real.Name} {spec.Name}Hessian({string.Join(", ", parameters)})");
        ArgumentChecks.Emit(w, ir, adjoints, "adjoint");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(hessian);");
        w.Line($"int {n} = {string.Join(" + ", differentiable.Select(p => Size(ir.Params[p])).DefaultIfEmpty("0"))};");
        w.Line($"if (hessian.GetLength(0) != {n} || hessian.GetLength(1) != {n}) " +
               $"throw new global::System.ArgumentException(\"hessian must be n x n, n the number of inputs (\" + {n} + \").\", nameof(hessian));");
        w.Line();
        w.Line("// A unit tangent per input, and the product H·t it gives: one row of the Hessian.");
        var tangent = new Dictionary<int, string>();
        var product = new Dictionary<int, string>();
        foreach (int p in differentiable)
        {
            ParamSpec spec0 = ir.Params[p];
            string pascal = Naming.Pascal(spec0.Name);
            tangent[p] = Fresh("t" + pascal);
            product[p] = Fresh("hv" + pascal);
            w.Line(spec0.Kind switch
            {
                ParamKind.Double => $"{real.Name} {tangent[p]} = {real.Zero}, {product[p]} = {real.Zero};",
                ParamKind.Array2D => $"{real.Name}[,] {tangent[p]} = new {real.Name}[{spec0.Name}.GetLength(0), {spec0.Name}.GetLength(1)], {product[p]} = new {real.Name}[{spec0.Name}.GetLength(0), {spec0.Name}.GetLength(1)];",
                _ => $"{real.Name}[] {tangent[p]} = new {real.Name}[{spec0.Name}.Length], {product[p]} = new {real.Name}[{spec0.Name}.Length];",
            });
        }
        w.Line($"int {row} = 0;");
        w.Line($"{real.Name} {value} = {real.Zero};");
        string call = $"{spec.Name}Hvp(" + string.Join(", ", ir.Params.Select(p => p.Name)
            .Concat(differentiable.Select(p => tangent[p]))
            .Concat(differentiable.Select(p => (ir.Params[p].Kind == ParamKind.Double ? "ref " : "") + adjoints[p]))
            .Concat(differentiable.Select(p => (ir.Params[p].Kind == ParamKind.Double ? "ref " : "") + product[p]))) + ")";
        foreach (int p in differentiable)
        {
            w.Line($"// The rows of {ir.Params[p].Name.TrimStart('@')}.");
            ForEachElement(w, ir.Params[p], r0, r1, element =>
            {
                string unit = tangent[p] + element;
                w.Line($"{unit} = {real.One};");
                w.Line($"{value} = {call};");
                w.Line($"{unit} = {real.Zero};");
                w.Line($"int {column} = 0;");
                foreach (int q in differentiable)
                {
                    ForEachElement(w, ir.Params[q], c0, c1, other =>
                    {
                        w.Line($"if ({column} >= {row}) hessian[{row}, {column}] = hessian[{column}, {row}] = {product[q]}{other};");
                        w.Line($"{column}++;");
                    });
                }
                w.Line($"{row}++;");
            });
        }
        // With no input at all there was no product to return the value from.
        w.Line($"return {row} > 0 ? {value} : {spec.Name}({string.Join(", ", ir.Params.Select(p => p.Name))});");
        w.Close();
    }

    /// <summary>The number of scalars a parameter holds, as a C# expression.</summary>
    internal static string Size(ParamSpec p) => p.Kind switch
    {
        ParamKind.Double => "1",
        ParamKind.Array2D => $"{p.Name}.GetLength(0) * {p.Name}.GetLength(1)",
        _ => $"{p.Name}.Length",
    };

    /// <summary>Writes <paramref name="body"/> once per element of <paramref name="p"/>, inside loops over its indices (row-major).</summary>
    private static void ForEachElement(CodeWriter w, ParamSpec p, string i, string j, System.Action<string> body)
    {
        switch (p.Kind)
        {
            case ParamKind.Double:
                w.OpenBlock(); // a scope of its own, as a loop body has
                body("");
                w.Close();
                break;
            case ParamKind.Array2D:
                w.Open($"for (int {i} = 0; {i} < {p.Name}.GetLength(0); {i}++)");
                w.Open($"for (int {j} = 0; {j} < {p.Name}.GetLength(1); {j}++)");
                body($"[{i}, {j}]");
                w.Close();
                w.Close();
                break;
            default:
                w.Open($"for (int {i} = 0; {i} < {p.Name}.Length; {i}++)");
                body($"[{i}]");
                w.Close();
                break;
        }
    }
}

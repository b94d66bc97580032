using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// Writes <c>{Name}Jacobian</c> for a method with a vector output r: the dense m x n Jacobian, rows the outputs,
/// columns the inputs (every scalar of every differentiable parameter, in parameter order, arrays row-major). With
/// no more outputs than inputs it goes by rows: <c>{Name}JacobianRows</c> (one forward sweep, one backward sweep per row)
/// where <see cref="GradientEmitter.SharesForward"/> holds, else one VJP per row (the row's unit seed gives the row); otherwise one JVP per
/// column (the column's unit tangent gives the column): whichever is fewer sweeps, decided at run time from the
/// lengths. Its seed, tangent and adjoint buffers are kept per thread, so a warm call allocates nothing.
/// </summary>
internal static class JacobianEmitter
{
    /// <param name="sharedRows">Whether the rows share one forward sweep (<c>{Name}JacobianRows</c>, see <see cref="GradientEmitter.SharesForward"/>) rather than one VJP each.</param>
    public static void Emit(CodeWriter w, MethodSpec spec, MethodIr ir, bool sharedRows)
    {
        RealType real = RealType.Of(ir.Real);
        int output = ir.Params.ToList().FindIndex(p => p.IsOutput);
        ParamSpec r = ir.Params[output];
        var differentiable = Enumerable.Range(0, ir.Params.Count).Where(p => ir.Params[p].IsDifferentiable).ToList();
        var taken = ir.Params.Select(p => p.Name.TrimStart('@')).Append("jacobian").ToList();
        // Locals of this method must not shadow a parameter (a user's n, row, ...): each takes the first free name.
        string Fresh(string wanted)
        {
            string name = wanted;
            while (taken.Contains(name)) name += "_";
            taken.Add(name);
            return name;
        }
        string m = Fresh("m"), n = Fresh("n"), row = Fresh("row"), column = Fresh("column"), at = Fresh("at"), k = Fresh("k"), input = Fresh("input");
        string flat = Fresh("jacobianFlat"), scratch = Fresh("scratch"), seed = Fresh("seed"), tr = Fresh("tangentOfResults");
        string scratchField = $"{spec.Name}JacobianScratch", kept = Fresh("kept");
        string cref = XmlDocs.Cref(spec, ir);
        string rName = r.Name.TrimStart('@');

        w.Line("/// <summary>");
        w.Line($"/// Computes <see cref=\"{cref}\"/> and its Jacobian: rows the elements of <paramref name=\"{rName}\"/>, columns the inputs");
        w.Line("/// (every scalar of every differentiable parameter, in parameter order, arrays row-major). One reverse sweep per row");
        w.Line("/// when there are no more rows than columns, else one forward sweep per column.");
        w.Line("/// </summary>");
        XmlDocs.MethodParameters(w, spec, ir);
        w.Line($"/// <param name=\"jacobian\">Receives the Jacobian: {rName}.Length x n, n the number of inputs; overwritten.</param>");
        w.Line(Emitter.GeneratedCodeAttribute);
        var parameters = ir.Params.Select(p => GradientEmitter.ParamType(p.Kind, real) + " " + p.Name).Append(real.Name + "[,] jacobian");
        w.Open($"{spec.Accessibility} static void {spec.Name}Jacobian({string.Join(", ", parameters)})");
        ArgumentChecks.Emit(w, ir, System.Array.Empty<IReadOnlyDictionary<int, string>>(), "argument");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(jacobian);");
        w.Line($"int {m} = {r.Name}.Length, {n} = {string.Join(" + ", differentiable.Select(p => HessianEmitter.Size(ir.Params[p])).DefaultIfEmpty("0"))};");
        w.Line($"if (jacobian.GetLength(0) != {m} || jacobian.GetLength(1) != {n}) " +
               $"throw new global::System.ArgumentException(\"jacobian must be {rName}.Length x n, n the number of inputs (\" + {m} + \" x \" + {n} + \").\", nameof(jacobian));");
        string call = $"{spec.Name}({string.Join(", ", ir.Params.Select(p => p.Name))})";
        w.Line($"if ({n} == 0 || {m} == 0)");
        w.Line("{");
        w.Line($"    {call}; // no sweep to compute the results in");
        w.Line("    return;");
        w.Line("}");
        w.Line($"{real.Span} {flat} = global::SymGrad.GradientTape.Flat(jacobian);");

        // Each differentiable parameter's buffer (an adjoint in the VJPs, a tangent in the JVPs), of its shape: the
        // two-dimensional ones kept per thread, the others in the scratch span (after the m seeds or tangents of r).
        var buffer = new Dictionary<int, string>();
        var twoDimensional = new List<(string Field, ParamSpec P)>();
        foreach (int p in differentiable)
        {
            ParamSpec spec0 = ir.Params[p];
            buffer[p] = Fresh("d" + Naming.Pascal(spec0.Name));
            if (spec0.Kind != ParamKind.Array2D) continue;
            string field = $"{spec.Name}Jacobian{Naming.Pascal(spec0.Name)}";
            twoDimensional.Add((field, spec0));
            string keptArray = Fresh("kept" + Naming.Pascal(spec0.Name));
            w.Line($"{real.Name}[,] {buffer[p]} = {field}.Value is {{ }} {keptArray} && {keptArray}.GetLength(0) == {spec0.Name}.GetLength(0) && {keptArray}.GetLength(1) == {spec0.Name}.GetLength(1)");
            w.Line($"    ? {keptArray} : ({field}.Value = new {real.Name}[{spec0.Name}.GetLength(0), {spec0.Name}.GetLength(1)]);");
            w.Line($"global::SymGrad.GradientTape.Zero({buffer[p]});");
        }
        if (sharedRows)
        {
            w.Open($"if ({m} <= {n})");
            w.Line("// One forward sweep, then one backward sweep per row from the row's unit seed, written into the row.");
            w.Line($"{spec.Name}JacobianRows({string.Join(", ", ir.Params.Select(p => p.Name).Append(flat).Append(n).Concat(twoDimensional.Select(t => buffer[ir.Params.ToList().IndexOf(t.P)])))});");
            w.Line("return;");
            w.Close();
        }
        w.Line($"{real.Span} {scratch} = {scratchField}.Value is {{ }} {kept} && {kept}.Length >= {m} + {n} ? {kept} : ({scratchField}.Value = new {real.Name}[{m} + {n}]);");
        w.Line($"global::SymGrad.GradientTape.Zero({scratch}.Slice(0, {m} + {n}));");
        string offset = m;
        foreach (int p in differentiable)
        {
            ParamSpec spec0 = ir.Params[p];
            if (spec0.Kind == ParamKind.Double) w.Line($"{real.Name} {buffer[p]} = {real.Zero};");
            else if (spec0.Kind != ParamKind.Array2D) w.Line($"{real.Span} {buffer[p]} = {scratch}.Slice({offset}, {spec0.Name}.Length);");
            offset = $"{offset} + {HessianEmitter.Size(spec0)}";
        }
        if (!sharedRows)
        {
            w.Open($"if ({m} <= {n})");
            string adjointArguments = string.Join(", ", differentiable.Select(p => (ir.Params[p].Kind == ParamKind.Double ? "ref " : "") + buffer[p]));
            w.Line("// One reverse sweep per row: the row's unit seed, and the adjoints it gives are the row.");
            w.Line($"{real.Span} {seed} = {scratch}.Slice(0, {m});");
            w.Open($"for (int {row} = 0; {row} < {m}; {row}++)");
            w.Line($"{seed}[{row}] = {real.One};");
            w.Line($"{spec.Name}Vjp({string.Join(", ", ir.Params.Select(p => p.Name))}, {seed}, {adjointArguments});");
            w.Line($"{seed}[{row}] = {real.Zero};");
            w.Line($"int {at} = {row} * {n};");
            CopyRow(w, ir, differentiable.ToDictionary(p => p, p => buffer[p]), flat, at);
            w.Close();
            w.Line("return;");
            w.Close();
            w.Line();
        }
        w.Line($"// One forward sweep per column: the column's unit tangent, and the tangents of the results it gives are the column.");
        w.Line($"{real.Span} {tr} = {scratch}.Slice(0, {m});");
        w.Line($"int {column} = 0;");
        string jvp = $"{spec.Name}Jvp({string.Join(", ", ir.Params.Where(p => !p.IsOutput).Select(p => p.Name).Concat(differentiable.Select(p => buffer[p])).Append(r.Name).Append(tr))})";
        foreach (int p in differentiable)
        {
            ParamSpec spec0 = ir.Params[p];
            w.Line($"// The columns of {spec0.Name.TrimStart('@')}.");
            void Column(string unit)
            {
                w.Line($"{unit} = {real.One};");
                w.Line($"{jvp};");
                w.Line($"{unit} = {real.Zero};");
                w.Line($"for (int {k} = 0; {k} < {m}; {k}++) {flat}[{k} * {n} + {column}] = {tr}[{k}];");
                w.Line($"{column}++;");
            }
            switch (spec0.Kind)
            {
                case ParamKind.Double:
                    w.OpenBlock();
                    Column(buffer[p]);
                    w.Close();
                    break;
                case ParamKind.Array2D:
                    string flatBuffer = Fresh(buffer[p] + "Flat");
                    w.Line($"{real.Span} {flatBuffer} = global::SymGrad.GradientTape.Flat({buffer[p]});");
                    w.Open($"for (int {input} = 0; {input} < {flatBuffer}.Length; {input}++)");
                    Column($"{flatBuffer}[{input}]");
                    w.Close();
                    break;
                default:
                    w.Open($"for (int {input} = 0; {input} < {buffer[p]}.Length; {input}++)");
                    Column($"{buffer[p]}[{input}]");
                    w.Close();
                    break;
            }
        }
        w.Close();
        w.Line();
        PerThread.Declare(w, $"The seed or tangent buffers of <see cref=\"{spec.Name}Jacobian\"/>, one per thread (the sweeps call no user code, so a call never re-enters).", real.Name + "[]", scratchField);
        foreach ((string field, ParamSpec p) in twoDimensional)
        {
            w.Line();
            PerThread.Declare(w, $"The buffer of <see cref=\"{spec.Name}Jacobian\"/> for {p.Name.TrimStart('@')}, one per thread.", real.Name + "[,]", field);
        }
    }

    /// <summary>
    /// Copies the adjoints (by parameter, in parameter order) into the row of <paramref name="flat"/> that starts at
    /// <paramref name="at"/>, advancing it past each one but the last.
    /// </summary>
    internal static void CopyRow(CodeWriter w, MethodIr ir, IReadOnlyDictionary<int, string> adjoints, string flat, string at)
    {
        int last = adjoints.Keys.DefaultIfEmpty(-1).Max();
        foreach (KeyValuePair<int, string> a in adjoints.OrderBy(a => a.Key))
        {
            bool more = a.Key != last;
            w.Line(ir.Params[a.Key].Kind switch
            {
                ParamKind.Double => $"{flat}[{at}{(more ? "++" : "")}] = {a.Value};",
                ParamKind.Array2D => $"global::SymGrad.GradientTape.Flat({a.Value}).CopyTo({flat}.Slice({at}));{(more ? $" {at} += {a.Value}.Length;" : "")}",
                _ => $"{a.Value}.CopyTo({flat}.Slice({at}));{(more ? $" {at} += {a.Value}.Length;" : "")}",
            });
        }
    }
}

using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// The fields a method reads (<see cref="FieldSource"/>) are parameters of its IR; here is the one place that knows
/// they are not parameters of the generated methods. An instance field is copied into a local of its own name at the
/// top (the JIT then keeps it in a register, and the body reads as the source does); its adjoint is the same field of
/// a second instance of the type, the gradient, like PyTorch's <c>.grad</c>. A static field is read where it is.
/// </summary>
internal static class FieldInputs
{
    /// <summary>The IR parameters that are parameters of the generated methods too, in order.</summary>
    public static IEnumerable<ParamSpec> Own(MethodIr ir) => ir.Params.Where(p => !p.IsField);

    /// <summary>The adjoints that are arguments of the generated method (not those of fields).</summary>
    public static IEnumerable<KeyValuePair<int, string>> OwnAdjoints(MethodIr ir, IReadOnlyDictionary<int, string> adjoints) =>
        adjoints.Where(a => !ir.Params[a.Key].IsField);

    /// <summary>The name of the gradient instance argument, or null when the method differentiates no field.</summary>
    public static string? GradientArgument(MethodIr ir, IReadOnlyDictionary<int, string> adjoints, IEnumerable<string> taken)
    {
        if (!adjoints.Keys.Any(i => ir.Params[i].IsField)) return null;
        var used = new HashSet<string>(taken.Select(n => n.TrimStart('@')));
        string name = "gradient";
        while (used.Contains(name)) name += "_";
        return name;
    }

    /// <summary>The type's name as the gradient argument's type: the innermost containing type with its type parameters.</summary>
    public static string TypeName(MethodSpec spec) => spec.Types[spec.Types.Count - 1].Name + spec.Types[spec.Types.Count - 1].TypeParameters;

    /// <summary>Copies each instance field into a local of its name, and binds each field's adjoint to the gradient's field.</summary>
    public static void EmitLocals(CodeWriter w, MethodIr ir, RealType real, IReadOnlyDictionary<int, string> adjoints, string? gradient)
    {
        var instance = Enumerable.Range(0, ir.Params.Count).Where(i => ir.Params[i].Field == FieldSource.Instance).ToList();
        if (instance.Count == 0) return;
        w.Line(gradient is null
            ? "// The fields of this, read once."
            : $"// The fields of this, read once; the gradient of each differentiated one is written into the same field of {gradient}.");
        if (gradient is not null)
        {
            w.Line($"if ({gradient} is null) throw new global::System.ArgumentNullException(nameof({gradient}));");
            w.Line($"if ((object){gradient} == this) throw new global::System.ArgumentException(\"{gradient} must be another instance than this: its fields are overwritten with the gradient.\", nameof({gradient}));");
        }
        // The model objects the fields are read through (a layer in a field): each must exist, in the model and,
        // for the fields the gradient receives, in the gradient.
        foreach (string holder in Holders(ir, instance))
        {
            string reads = string.Join(", ", instance.Select(i => ir.Params[i].Shown).Where(s => s.StartsWith(holder + ".", System.StringComparison.Ordinal)));
            w.Line($"if (this.{holder} is null) throw new global::System.InvalidOperationException(\"The field {holder} is null: the method reads {reads}.\");");
        }
        // Each object on the paths is read as an input of its own: one held twice (tied layers, a layer pointing back
        // at its model) would have its weights read, and its gradient written, once per path.
        var types = HolderTypes(ir, instance);
        var held = Holders(ir, instance).ToList();
        var all = new[] { "this" }.Concat(held.Select(h => "this." + h)).ToList();
        if (held.Count > 0) w.Line("// Each object on the paths is read as inputs of its own: none may be another's (tied layers).");
        for (int a = 0; a < all.Count; a++)
        {
            for (int b = a + 1; b < all.Count; b++)
            {
                if (types.TryGetValue(Bare(all[a]), out string? ta) && types.TryGetValue(Bare(all[b]), out string? tb) && ta != tb) continue; // cannot be one object
                w.Line($"if ((object){all[a]} == (object){all[b]}) throw new global::System.InvalidOperationException(\"{Bare(all[a])} and {Bare(all[b])} are one object: tied layers are not supported yet (each field of the model is an input of its own); hold a copy in each field.\");");
            }
        }
        if (gradient is not null)
        {
            var written = Holders(ir, instance.Where(adjoints.ContainsKey)).ToList();
            foreach (string holder in written)
            {
                w.Line($"if ({gradient}.{holder} is null) throw new global::System.ArgumentException(\"{gradient}.{holder} is null: the gradient needs the model's objects, of its shapes.\", nameof({gradient}));");
                w.Line($"if ((object){gradient}.{holder} == (object)this.{holder}) throw new global::System.ArgumentException(\"{gradient}.{holder} is this.{holder}: the gradient must hold objects of its own, or it would overwrite the model's weights.\", nameof({gradient}));");
            }
            for (int a = 0; a < written.Count; a++)
            {
                for (int b = a + 1; b < written.Count; b++)
                {
                    if (types.TryGetValue(written[a], out string? ta) && types.TryGetValue(written[b], out string? tb) && ta != tb) continue;
                    w.Line($"if ((object){gradient}.{written[a]} == (object){gradient}.{written[b]}) throw new global::System.ArgumentException(\"{gradient}.{written[a]} and {gradient}.{written[b]} are one object: each receives a gradient of its own.\", nameof({gradient}));");
                }
            }
        }
        foreach (int i in instance)
        {
            ParamSpec p = ir.Params[i];
            w.Line($"{GradientEmitter.ParamType(p.Kind, real)} {p.Name} = this.{Access(p)};");
        }
        foreach (int i in instance)
        {
            if (!adjoints.TryGetValue(i, out string? d)) continue;
            ParamSpec p = ir.Params[i];
            // A one-dimensional adjoint is a span, as a parameter's is (the emitters slice it); a null array becomes an
            // empty span, so the checks below test the field itself.
            w.Line(p.Kind switch
            {
                ParamKind.Double => $"ref {real.Name} {d} = ref {gradient}.{Access(p)};",
                ParamKind.Array2D => $"{real.Name}[,] {d} = {gradient}.{Access(p)};",
                _ => $"{real.Span} {d} = {gradient}.{Access(p)};",
            });
        }
        w.Line();
    }

    /// <summary>
    /// Each field adjoint must exist and have its field's shape; the exception names the gradient argument and the
    /// field. After the argument checks, which make sure the fields themselves are not null.
    /// </summary>
    public static void EmitGradientChecks(CodeWriter w, MethodIr ir, IReadOnlyDictionary<int, string> adjoints, string? gradient)
    {
        if (gradient is null) return;
        bool any = false;
        foreach (KeyValuePair<int, string> a in adjoints.Where(a => ir.Params[a.Key].IsField && ir.Params[a.Key].IsArrayLike))
        {
            ParamSpec p = ir.Params[a.Key];
            string field = p.Shown, shape = p.Kind == ParamKind.Array2D ? "shape" : "length";
            w.Line($"if ({gradient}.{Access(p)} is null) throw new global::System.ArgumentException(\"{gradient}.{field} is null: the gradient needs arrays of the {shape}s of this one's.\", nameof({gradient}));");
            w.Line($"if ((object){gradient}.{Access(p)} == (object){p.Name}) throw new global::System.ArgumentException(\"{gradient}.{field} is this.{field}: the gradient must hold arrays of its own, or it would overwrite the model's weights.\", nameof({gradient}));");
            w.Line(p.Kind == ParamKind.Array2D
                ? $"if ({a.Value}.GetLength(0) != {p.Name}.GetLength(0) || {a.Value}.GetLength(1) != {p.Name}.GetLength(1)) "
                  + $"throw new global::System.ArgumentException(\"{gradient}.{field} must have the shape of {field} (\" + {p.Name}.GetLength(0) + \" x \" + {p.Name}.GetLength(1) + \").\", nameof({gradient}));"
                : $"if ({a.Value}.Length != {p.Name}.Length) throw new global::System.ArgumentException(\"{gradient}.{field} must have the length of {field} (\" + {p.Name}.Length + \").\", nameof({gradient}));");
            any = true;
        }
        if (any) w.Line();
    }

    /// <summary>The declared type of this and of each holder on the fields' paths.</summary>
    private static Dictionary<string, string> HolderTypes(MethodIr ir, IEnumerable<int> fields)
    {
        var types = new Dictionary<string, string>();
        foreach (int i in fields)
        {
            ParamSpec p = ir.Params[i];
            if (p.FieldPath is not { } path || p.FieldHolderTypes.Count == 0) continue;
            types["this"] = p.FieldHolderTypes[0];
            string[] segments = path.Split('.');
            for (int k = 1; k < segments.Length && k < p.FieldHolderTypes.Count; k++) types[string.Join(".", segments.Take(k))] = p.FieldHolderTypes[k];
        }
        return types;
    }

    private static string Bare(string access) => access == "this" ? "this" : access.Substring("this.".Length);

    /// <summary>How the generated code reaches a field from this or the gradient: its name, or its path through model objects.</summary>
    private static string Access(ParamSpec p) => p.FieldPath ?? p.Name;

    /// <summary>The model objects on the fields' paths, outermost first (<c>Encoder</c>, then <c>Encoder.L1</c>).</summary>
    private static IEnumerable<string> Holders(MethodIr ir, IEnumerable<int> fields)
    {
        var holders = new List<string>();
        foreach (int i in fields)
        {
            if (ir.Params[i].FieldPath is not { } path) continue;
            for (int dot = path.IndexOf('.'); dot >= 0; dot = path.IndexOf('.', dot + 1))
            {
                string holder = path.Substring(0, dot);
                if (!holders.Contains(holder)) holders.Add(holder);
            }
        }
        return holders.OrderBy(h => h.Count(c => c == '.')).ThenBy(h => h, System.StringComparer.Ordinal);
    }

    /// <summary>The doc comment's reference to an input: a parameter's paramref, a field's see cref.</summary>
    public static string Reference(ParamSpec p) =>
        p.FieldPath is { } path ? $"<c>{path}</c>" // a layer's field: a path, which a cref cannot name
        : p.IsField ? $"<see cref=\"{p.Shown}\"/>" : $"<paramref name=\"{p.Name.TrimStart('@')}\"/>";
}

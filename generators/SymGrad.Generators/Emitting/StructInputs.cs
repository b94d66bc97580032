using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// A struct parameter (<c>Point p</c>) is one IR parameter per number (<see cref="StructInput"/>); here is the one
/// place that knows the generated signatures take the struct once. Its numbers are read into locals at the top
/// (<c>double p_X = p.X;</c>), their adjoints are locals the body writes as any scalar adjoint, and the gradient
/// struct is built from them at the end: <c>dP = default(Point) with { X = dP_X, Y = dP_Y };</c>, a struct of the
/// parameter's type, as the issue's users asked (<c>ref Point dP</c>).
/// </summary>
internal static class StructInputs
{
    /// <summary>The generated method's own parameters: a struct's leaves as the struct, once, at the first leaf.</summary>
    public static IEnumerable<string> Parameters(MethodIr ir, RealType real) => Parameters(FieldInputs.Own(ir), real);

    /// <summary>Parameters as a signature takes them: a struct's leaves as the struct, once, at the first leaf.</summary>
    public static IEnumerable<string> Parameters(IEnumerable<ParamSpec> parameters, RealType real) =>
        Grouped(parameters).Select(p => p.Struct is { } s
            ? (s.IsIn ? "in " : "") + s.Type + " " + s.Param
            : GradientEmitter.ParamType(p.Kind, real) + " " + p.Name);

    /// <summary>The parameters with each struct's leaves but its first left out.</summary>
    public static IEnumerable<ParamSpec> Grouped(IEnumerable<ParamSpec> parameters) => parameters.Where(p => p.Struct is not { Leaf: > 0 });

    /// <summary>The names of parameters as a signature has them.</summary>
    public static IEnumerable<string> Names(IEnumerable<ParamSpec> parameters) => Grouped(parameters).Select(p => p.Struct?.Param ?? p.Name);

    /// <summary>The cref types of the method's parameters.</summary>
    public static IEnumerable<string> CrefTypes(MethodIr ir, RealType real) =>
        FieldInputs.Own(ir).Where(p => p.Struct is not { Leaf: > 0 }).Select(p => p.Struct is { } s
            ? (s.IsIn ? "in " : "") + s.CrefType
            : GradientEmitter.CrefType(p.Kind, real));

    /// <summary>The names of the method's own parameters, for their doc comments.</summary>
    public static IEnumerable<string> Names(MethodIr ir) =>
        FieldInputs.Own(ir).Where(p => p.Struct is not { Leaf: > 0 }).Select(p => p.Struct?.Param ?? p.Name);

    /// <summary>The gradient struct's name for each struct parameter with adjoints, by its first leaf's index.</summary>
    public static Dictionary<int, string> AdjointStructs(MethodIr ir, IReadOnlyDictionary<int, string> adjoints, IEnumerable<string> taken)
    {
        var used = new HashSet<string>(taken.Select(n => n.TrimStart('@')));
        var names = new Dictionary<int, string>();
        for (int i = 0; i < ir.Params.Count; i++)
        {
            if (ir.Params[i].Struct is not { Leaf: 0 } s || !adjoints.ContainsKey(i)) continue;
            string name = "d" + Naming.Pascal(s.Param);
            while (used.Contains(name)) name += "_";
            used.Add(name);
            names[i] = name;
        }
        return names;
    }

    /// <summary>The adjoint parameters of the signature: a struct's leaves as one <c>ref T dP</c>.</summary>
    public static IEnumerable<string> AdjointParameters(MethodIr ir, IReadOnlyDictionary<int, string> adjoints, IReadOnlyDictionary<int, string> structs, RealType real) =>
        FieldInputs.OwnAdjoints(ir, adjoints).Where(a => ir.Params[a.Key].Struct is not { Leaf: > 0 }).Select(a => ir.Params[a.Key].Struct is { } s
            ? "ref " + s.Type + " " + structs[a.Key]
            : GradientEmitter.AdjointType(ir.Params[a.Key].Kind, real) + " " + a.Value);

    /// <summary>The adjoints documented one by one: a struct's once, under its gradient struct's name.</summary>
    public static IEnumerable<KeyValuePair<int, string>> DocumentedAdjoints(MethodIr ir, IReadOnlyDictionary<int, string> adjoints, IReadOnlyDictionary<int, string> structs) =>
        FieldInputs.OwnAdjoints(ir, adjoints).Where(a => ir.Params[a.Key].Struct is not { Leaf: > 0 })
            .Select(a => structs.TryGetValue(a.Key, out string? s) ? new KeyValuePair<int, string>(a.Key, s) : a);

    /// <summary>The struct parameters' numbers read into locals, and the locals their adjoints are written into.</summary>
    public static void EmitLocals(CodeWriter w, MethodIr ir, RealType real, IReadOnlyDictionary<int, string> adjoints)
    {
        var leaves = Enumerable.Range(0, ir.Params.Count).Where(i => ir.Params[i].IsStructLeaf).ToList();
        if (leaves.Count == 0) return;
        w.Line(leaves.Any(adjoints.ContainsKey)
            ? "// The numbers of the struct parameters, read once; their adjoints make the gradient structs at the end."
            : "// The numbers of the struct parameters, read once.");
        foreach (int i in leaves)
        {
            ParamSpec p = ir.Params[i];
            w.Line($"{(p.Kind == ParamKind.Int ? "int" : real.Name)} {p.Name} = {p.Struct!.Param}.{Escaped(p.Struct.Path)};");
        }
        foreach (int i in leaves.Where(adjoints.ContainsKey)) w.Line($"{real.Name} {adjoints[i]} = 0;");
        w.Line();
    }

    /// <summary>A member path with each name that is a C# keyword escaped (<c>s.@class</c>).</summary>
    private static string Escaped(string path) => string.Join(".", path.Split('.').Select(Parsing.MethodParser.Identifier));

    /// <summary>Each gradient struct built from its leaves' adjoints (an int leaf's is 0).</summary>
    public static void EmitWriteBack(CodeWriter w, MethodIr ir, IReadOnlyDictionary<int, string> adjoints, IReadOnlyDictionary<int, string> structs)
    {
        foreach (KeyValuePair<int, string> s in structs)
        {
            StructInput input = ir.Params[s.Key].Struct!;
            string built = input.WriteBack;
            for (int k = 0; k < input.Leaves; k++)
            {
                int i = s.Key + k;
                string leaf = ir.Params[i].Struct!.Path;
                built = built.Replace("{" + leaf + "}", adjoints.TryGetValue(i, out string? d) ? d : "0");
            }
            w.Line($"{s.Value} = {built};");
        }
    }
}

using System.Linq;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Emitting;

/// <summary>The XML documentation every generated method shares: the cref of its method, its own parameters, its value.</summary>
internal static class XmlDocs
{
    /// <summary>The cref of the <c>[Differentiable]</c> method: <c>F(double, double[])</c>.</summary>
    public static string Cref(MethodSpec spec, MethodIr ir) => spec.Name + "(" + string.Join(", ", StructInputs.CrefTypes(ir, RealType.Of(ir.Real))) + ")";

    /// <summary>One <c>&lt;param&gt;</c> per parameter of the method, which the generated method takes first, unchanged.</summary>
    public static void MethodParameters(CodeWriter w, MethodSpec spec, MethodIr ir)
    {
        foreach (string name in StructInputs.Names(ir)) w.Line($"/// <param name=\"{name.TrimStart('@')}\">As for <c>{spec.Name}</c>.</param>");
    }

    /// <summary>One <c>&lt;param&gt;</c> per argument that goes with a parameter (an adjoint, a tangent), described after it.</summary>
    public static void Derived(CodeWriter w, System.Collections.Generic.IReadOnlyDictionary<int, string> names, MethodIr ir, System.Func<string, string> describe,
                               System.Collections.Generic.IReadOnlyDictionary<int, string>? structs = null)
    {
        foreach (System.Collections.Generic.KeyValuePair<int, string> n in StructInputs.DocumentedAdjoints(ir, names, structs ?? new System.Collections.Generic.Dictionary<int, string>()))
        {
            string of = ir.Params[n.Key].Struct?.Param ?? ir.Params[n.Key].Name;
            w.Line($"/// <param name=\"{n.Value}\">{describe($"<paramref name=\"{of.TrimStart('@')}\"/>")}{(ir.Params[n.Key].IsStructLeaf ? " A struct of its type: each member holds that member's derivative." : "")}</param>");
        }
    }

    public static void Returns(CodeWriter w, string cref) => w.Line($"/// <returns>The value of <see cref=\"{cref}\"/>.</returns>");
}

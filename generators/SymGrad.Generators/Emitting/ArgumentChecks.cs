using System.Collections.Generic;
using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// The checks a generated method makes before any work, each throwing an exception that names the argument: array
/// parameters are not null and have the extents the method reads at constant indices, and each array that goes
/// with a parameter (an adjoint, a tangent) has that parameter's shape. Each check is a plain <c>if</c> and
/// <c>throw</c>, never a helper such as <c>ThrowIfNull</c>: past 512 locals of its own the JIT inlines nothing into a
/// method, and a large unrolled gradient would then pay a call per argument.
/// </summary>
internal static class ArgumentChecks
{
    public static void Emit(CodeWriter w, MethodIr ir, IReadOnlyDictionary<int, string> shaped, string what) =>
        Emit(w, ir, new[] { shaped }, what);

    /// <param name="shaped">Each map gives, for some parameters, the name of an argument that must have its shape.</param>
    /// <param name="what">What those arguments are, for the comment ("adjoint", "tangent").</param>
    public static void Emit(CodeWriter w, MethodIr ir, IReadOnlyList<IReadOnlyDictionary<int, string>> shaped, string what)
    {
        bool any = false;
        void Header()
        {
            if (!any) w.Line($"// The indices read below must exist, and each {what} must have its parameter's shape.");
            any = true;
        }
        for (int i = 0; i < ir.Params.Count; i++)
        {
            ParamSpec p = ir.Params[i];
            string name = p.Name, bare = p.Shown;
            if (p.Kind is ParamKind.Array or ParamKind.Array2D or ParamKind.IntArray)
            {
                Header();
                w.Line(p.IsField
                    ? $"if ({name} is null) throw new global::System.InvalidOperationException(\"The field {bare} is null: the method reads it.\");"
                    : $"if ({name} is null) throw new global::System.ArgumentNullException(nameof({name}));");
            }
            if (p.Kind == ParamKind.Array2D && p.MinLength0 > 0)
            {
                Header();
                w.Line($"if ({name}.GetLength(0) < {p.MinLength0} || {name}.GetLength(1) < {p.MinLength1}) " +
                       Throw(p, $"{bare} must be at least {p.MinLength0} x {p.MinLength1}: the method reads {bare}[{p.MinLength0 - 1}, {p.MinLength1 - 1}]."));
            }
            else if (p.IsArrayLike && p.MinLength0 > 0)
            {
                Header();
                w.Line($"if ({name}.Length < {p.MinLength0}) " +
                       Throw(p, $"{bare} must have at least {p.MinLength0} element{(p.MinLength0 == 1 ? "" : "s")}: the method reads {bare}[{p.MinLength0 - 1}]."));
            }
            foreach (IReadOnlyDictionary<int, string> map in shaped)
            {
                if (map.TryGetValue(i, out string? d)) CheckShape(w, p, d, Header);
            }
        }
        if (any) w.Line();
    }

    /// <summary>
    /// The throw statement for a parameter of the wrong extent: an <c>ArgumentException</c> naming it, or for a field
    /// (not an argument the caller passed) an <c>InvalidOperationException</c> naming the field.
    /// </summary>
    private static string Throw(ParamSpec p, string message) => p.IsField
        ? $"throw new global::System.InvalidOperationException(\"The field {message}\");"
        : $"throw new global::System.ArgumentException(\"{message}\", nameof({p.Name}));";

    /// <summary>Argument <paramref name="d"/> must have parameter <paramref name="p"/>'s shape (nothing to check for a double).</summary>
    private static void CheckShape(CodeWriter w, ParamSpec p, string d, System.Action header)
    {
        string name = p.Name, bare = p.Shown;
        if (p.Kind == ParamKind.Array2D)
        {
            header();
            w.Line($"if ({d} is null) throw new global::System.ArgumentNullException(nameof({d}));");
            w.Line($"if ({d}.GetLength(0) != {name}.GetLength(0) || {d}.GetLength(1) != {name}.GetLength(1)) " +
                   $"throw new global::System.ArgumentException(\"{d} must have the shape of {bare}.\", nameof({d}));");
        }
        else if (p.IsArrayLike)
        {
            header();
            w.Line($"if ({d}.Length != {name}.Length) " +
                   $"throw new global::System.ArgumentException(\"{d} must have the length of {bare}.\", nameof({d}));");
        }
    }
}

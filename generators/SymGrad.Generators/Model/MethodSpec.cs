using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Model;

/// <summary>The derivatives a method asks for: the runtime's <c>SymGrad.DerivativeModes</c>, value for value.</summary>
[System.Flags]
internal enum DerivativeModes
{
    Reverse = 1,
    Forward = 2,
    HessianVector = 4,
    Hessian = 8,
    Jacobian = 16,
}

/// <summary>
/// Everything the emitter needs about one <c>[Differentiable]</c> method, as plain equatable data. <see cref="Where"/>
/// is the method's name in the source: an error of a later phase (SG0099) is reported there.
/// </summary>
internal sealed record MethodSpec(
    string Namespace,
    EquatableArray<TypeDecl> Types,
    string Name,
    string Accessibility,
    MethodIr Ir,
    DerivativeModes Modes = DerivativeModes.Reverse,
    SourceSpot? Where = null)
{
    /// <summary>
    /// An instance method of a class (a model's loss): its generated gradient and tape twin are instance methods too,
    /// reading the fields of <c>this</c>.
    /// </summary>
    public bool IsInstance { get; init; }

    /// <summary>The containing type's namespace and declarations: all a generated file needs of it.</summary>
    public TypeShell Shell => new(Namespace, Types);

    /// <summary>Whether the method writes a vector output (an <c>[Output]</c> span) instead of returning a double.</summary>
    public bool HasVectorOutput => System.Linq.Enumerable.Any(Ir.Params, p => p.IsOutput);

    /// <summary>The containing type's full name, used to group methods into one file per type.</summary>
    public string TypeKey => (Namespace.Length > 0 ? Namespace + "." : "") + string.Join(".", System.Linq.Enumerable.Select(Types, t => t.Name + t.TypeParameters));
}

/// <summary>The front end's answer for one method: a spec, or the diagnostics that explain why there is none.</summary>
internal sealed record LoweringResult(MethodSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);

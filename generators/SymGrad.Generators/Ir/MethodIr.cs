using SymGrad.Generators.Model;

namespace SymGrad.Generators.Ir;

/// <summary>How a parameter is passed; decides its adjoint's type and the tape twin's type.</summary>
internal enum ParamKind : byte { Double, Int, Array, Array2D, ReadOnlySpan, Span, IntArray, IntReadOnlySpan }

/// <summary>
/// A parameter of a <c>[Differentiable]</c> method. <see cref="MinLength0"/> and <see cref="MinLength1"/> are the
/// extents the body reads (largest constant index + 1), checked before any work.
/// </summary>
internal sealed record ParamSpec(string Name, ParamKind Kind, bool NoDerivative, int MinLength0, int MinLength1)
{
    /// <summary>
    /// The method's vector output (an <c>[Output]</c> span, its last parameter): memory the body writes its results
    /// into, lowered as a local array bound to the caller's span (<see cref="ArraySource"/>). It has no adjoint of its
    /// own: its seed, tangent or Jacobian rows are extra parameters of the generated methods.
    /// </summary>
    public bool IsOutput { get; init; }

    /// <summary>
    /// Where the value comes from: a parameter, or a field the body reads (a model's weights, a static table). Fields
    /// are parameters of the IR like any other; only the generated signatures differ (<see cref="FieldSource"/>).
    /// </summary>
    public FieldSource Field { get; init; }

    /// <summary>One number of a struct parameter (<c>p.X</c> of <c>Point p</c>): the signatures take the struct once.</summary>
    public StructInput? Struct { get; init; }

    public bool IsStructLeaf => Struct is not null;

    /// <summary>
    /// For a field of a model object held in a field of this (a layer's weights), its path from this: <c>L1.W</c>.
    /// Null for a field of this itself, read by its name.
    /// </summary>
    public string? FieldPath { get; init; }

    /// <summary>
    /// For a <see cref="FieldPath"/> of n names, the declared types of the n objects it goes through: this's, then
    /// each holder's (<c>Net</c>, <c>Layer</c> for <c>L1.W</c>). Two holders can be one object only when their types match.
    /// </summary>
    public EquatableArray<string> FieldHolderTypes { get; init; } = EquatableArray<string>.Empty;

    /// <summary>How messages and the generated code name the input: its path for a field of a model object, else its name.</summary>
    public string Shown => FieldPath ?? Name.TrimStart('@');

    /// <summary>A field of the method's type rather than a parameter of the method.</summary>
    public bool IsField => Field != FieldSource.None;

    public bool IsArrayLike => Kind is ParamKind.Array or ParamKind.Array2D or ParamKind.ReadOnlySpan or ParamKind.Span or ParamKind.IntArray or ParamKind.IntReadOnlySpan;

    /// <summary>An <c>int[]</c> or <c>ReadOnlySpan&lt;int&gt;</c>: labels, index tables; read as data.</summary>
    public bool IsIntArray => Kind is ParamKind.IntArray or ParamKind.IntReadOnlySpan;

    /// <summary>Differentiable parameters get an adjoint: doubles and double arrays not marked [NoDerivative].</summary>
    public bool IsDifferentiable => !NoDerivative && !IsOutput && Field != FieldSource.Static && Kind is not (ParamKind.Int or ParamKind.IntArray or ParamKind.IntReadOnlySpan);
}

/// <summary>
/// Where a struct parameter's number comes from: leaf <see cref="Leaf"/> (of <see cref="Leaves"/>, at
/// <see cref="Path"/>) of parameter <see cref="Param"/> of type <see cref="Type"/> (fully qualified).
/// <see cref="WriteBack"/> is the C# that builds the gradient struct from the leaves' adjoints, with <c>{path}</c>
/// holes (<see cref="Emitting.StructInputs"/>).
/// </summary>
internal sealed record StructInput(string Param, string Type, bool IsIn, string Path, int Leaf, int Leaves, string WriteBack)
{
    public bool IsBool { get; init; }

    /// <summary>The type as a doc comment's cref names it (a tuple as its ValueTuple).</summary>
    public string CrefType { get; init; } = "";
}

/// <summary>
/// A field read by a <c>[Differentiable]</c> method, seen as one more input. An instance field (a model's weight) is
/// read from <c>this</c> and differentiated unless <c>[NoDerivative]</c>: its adjoint goes into the same field of a
/// second instance, the gradient. A static field is data, read where it is (a table of constants).
/// </summary>
internal enum FieldSource
{
    None,
    Instance,
    Static,
}

/// <summary>
/// A method lowered to IR: loops unrolled, local arrays scalarised, calls inlined. <see cref="Body"/> computes
/// <see cref="Return"/>. <see cref="SourceLines"/> holds the text of each source statement that
/// <see cref="Instr.Origin"/> points at, for the comments of the emitted code.
/// </summary>
internal sealed record MethodIr(
    EquatableArray<ParamSpec> Params,
    Block Body,
    int Return,
    int NextId,
    EquatableArray<string> SourceLines)
{
    /// <summary>
    /// The method's floating-point type: every <see cref="ValType.Double"/> value of the IR is one of these. A
    /// <c>float</c> method is lowered, folded, differentiated and emitted in <c>float</c>, in its own operation order.
    /// </summary>
    public Real Real { get; init; }
}

/// <summary>The floating-point type a method computes in (C# has no implicit conversion that would mix them silently).</summary>
internal enum Real : byte { Double, Single }

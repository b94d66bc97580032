using System;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Ir;

/// <summary>The type of an SSA value.</summary>
internal enum ValType : byte { Double, Int, Bool }

/// <summary>Operators of <see cref="UnaryInstr"/>, <see cref="BinaryInstr"/> and <see cref="CompareInstr"/>.</summary>
internal enum Op : byte
{
    // unary
    Neg, Not, IsNaN, Exp, Log, Sqrt, Tanh, Sin, Cos, Tan, Atan, Abs, Relu, Sigmoid, Softplus, IntToDouble, DoubleToInt,
    // binary
    Add, Sub, Mul, Div, Rem, Pow, Max, Min, And, Or,
    // comparisons
    Lt, Le, Gt, Ge, Eq, Ne,
}

/// <summary>
/// One instruction of the IR: an SSA value <see cref="Id"/> of type <see cref="Type"/>, defined once. A value
/// carries the source variable it was assigned to (<see cref="Name"/>, for readable emitted locals) and the
/// source statement it came from (<see cref="Origin"/>, an index into <see cref="MethodIr.SourceLines"/>, or -1).
/// Instructions are pure: the only control flow is the structured <see cref="IfInstr"/> region, so every pass
/// is a walk over nested blocks, and later regions (loops kept as loops) slot in beside it.
/// </summary>
internal abstract record Instr(int Id, ValType Type)
{
    public string? Name { get; init; }
    public int Origin { get; init; } = -1;

    /// <summary>For a value of the backward sweep, the forward value it is the adjoint of (or -1): names it <c>d</c> + that name.</summary>
    public int AdjointOf { get; init; } = -1;
}

/// <summary>A literal. Bools are 0/1, ints are exact in a double.</summary>
internal sealed record ConstInstr(int Id, ValType Type, double Value) : Instr(Id, Type);

/// <summary>A scalar parameter (<c>double</c> or <c>int</c>).</summary>
internal sealed record ParamInstr(int Id, ValType Type, int Param) : Instr(Id, Type);

/// <summary>An element of an array or span parameter; <see cref="J"/> is -1 for one-dimensional ones.</summary>
internal sealed record LoadInstr(int Id, int Param, int I, int J) : Instr(Id, ValType.Double);

/// <summary>The length of a parameter along one dimension (an int known only at run time).</summary>
internal sealed record LengthInstr(int Id, int Param, int Dimension) : Instr(Id, ValType.Int);

internal sealed record UnaryInstr(int Id, ValType Type, Op Op, int A) : Instr(Id, Type);

internal sealed record BinaryInstr(int Id, ValType Type, Op Op, int A, int B) : Instr(Id, Type);

/// <summary><c>A op B</c> for a comparison operator; the result is a bool.</summary>
internal sealed record CompareInstr(int Id, Op Op, int A, int B) : Instr(Id, ValType.Bool);

/// <summary><c>Cond ? A : B</c> with both sides already computed: only for cheap values (derivative selections).</summary>
internal sealed record SelectInstr(int Id, ValType Type, int Cond, int A, int B) : Instr(Id, Type);

/// <summary>
/// A structured two-way branch. Only the taken block runs; values that flow out of it are the
/// <see cref="Phis"/>. The instruction itself defines no value (<see cref="Instr.Id"/> is -1).
/// </summary>
internal sealed record IfInstr(int Cond, Block Then, Block Else, EquatableArray<Phi> Phis) : Instr(-1, ValType.Bool);

/// <summary>The value <see cref="Id"/> after an <see cref="IfInstr"/>: <see cref="Then"/> or <see cref="Else"/>.</summary>
internal sealed record Phi(int Id, ValType Type, int Then, int Else, string? Name) : IEquatable<Phi>;

/// <summary>A sequence of instructions.</summary>
internal sealed record Block(EquatableArray<Instr> Instrs)
{
    public static readonly Block Empty = new(EquatableArray<Instr>.Empty);
}

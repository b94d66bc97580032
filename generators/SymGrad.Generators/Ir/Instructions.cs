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
    Asin, Acos, Sinh, Cosh, Asinh, Acosh, Atanh, Log10, Log2, Exp2, Exp10, Cbrt,
    Floor, Ceiling, Truncate, Round, Sign, StopGradient, IsFinite, IsInfinity, IsPositiveInfinity, IsNegativeInfinity,
    CheckedNeg, CheckedDoubleToInt,
    // binary
    Add, Sub, Mul, Div, Rem, Pow, Max, Min, And, Or, Atan2, LogBase, CopySign, MaxMagnitude, MinMagnitude,
    CheckedAdd, CheckedSub, CheckedMul,
    // comparisons
    Lt, Le, Gt, Ge, Eq, Ne,
}

/// <summary>
/// An element of a <see cref="Block"/>: a value (<see cref="Instr"/>), a region (<see cref="Region"/>, control
/// flow with blocks inside) or an effect (<see cref="Effect"/>, a write to memory). Every node carries the source statement it came from (<see cref="Origin"/>, an index
/// into <see cref="MethodIr.SourceLines"/>, or -1).
/// </summary>
internal abstract record Node
{
    public int Origin { get; init; } = -1;
}

/// <summary>
/// A value of the IR: an SSA value <see cref="Id"/> of type <see cref="Type"/>, defined once, pure. A value
/// carries the source variable it was assigned to (<see cref="Name"/>, for readable emitted locals).
/// </summary>
internal abstract record Instr(int Id, ValType Type) : Node
{
    public string? Name { get; init; }

    /// <summary>For a value of the backward sweep, the forward value it is the adjoint of (or -1): names it <c>d</c> + that name.</summary>
    public int AdjointOf { get; init; } = -1;

    /// <summary>For a tangent of forward mode, the value it is the tangent of (or -1): names it <c>t</c> + that name.</summary>
    public int TangentOf { get; init; } = -1;
}

/// <summary>
/// Structured control flow: blocks of nodes that run as the region decides, and the values that flow out of it
/// (<see cref="Results"/>). A region is not a value. What every pass needs of a region, whatever its kind, is in
/// <see cref="IrWalk"/>; a new kind of region (a loop) is a new subclass taught there.
/// </summary>
internal abstract record Region : Node
{
    /// <summary>The values the region defines for the code after it, with their types.</summary>
    public abstract System.Collections.Generic.IEnumerable<(int Id, ValType Type)> Results { get; }
}

/// <summary>A literal. Bools are 0/1, ints are exact in a double.</summary>
internal sealed record ConstInstr(int Id, ValType Type, double Value) : Instr(Id, Type);

/// <summary>A scalar parameter (<c>double</c> or <c>int</c>).</summary>
internal sealed record ParamInstr(int Id, ValType Type, int Param) : Instr(Id, Type);

/// <summary>
/// An element of an array or span parameter at index values (ints): <see cref="Index0"/>, and <see cref="Index1"/>
/// for two-dimensional ones (-1 otherwise). Out of range it throws, as the method itself does.
/// </summary>
internal sealed record LoadInstr(int Id, int Param, int Index0, int Index1, ValType ElementType = ValType.Double) : Instr(Id, ElementType);

/// <summary>The length of a parameter along one dimension (an int known only at run time).</summary>
internal sealed record LengthInstr(int Id, int Param, int Dimension) : Instr(Id, ValType.Int);

internal sealed record UnaryInstr(int Id, ValType Type, Op Op, int A) : Instr(Id, Type);

internal sealed record BinaryInstr(int Id, ValType Type, Op Op, int A, int B) : Instr(Id, Type);

/// <summary><c>A op B</c> for a comparison operator; the result is a bool.</summary>
internal sealed record CompareInstr(int Id, Op Op, int A, int B) : Instr(Id, ValType.Bool);

/// <summary>
/// A call kept as a call: the static method <see cref="Target"/> (as C# names it, <c>global::</c> included) on
/// <see cref="Args"/>, doubles and ints, returning a double or an int. Pure as far as SymGrad is concerned (it may
/// be moved, repeated or dropped). With <see cref="Derivative"/>, a user's <c>[DerivativeOf]</c> rule supplies its
/// partials: a call of the rule method on the same arguments, whose <see cref="Item"/>th result (a tuple's, or the
/// one double when <see cref="Item"/> is -1) is the partial with respect to argument <see cref="Item"/>. Without one,
/// no active value may reach it (checked after activity analysis, SG0007 at <see cref="Where"/>).
/// </summary>
internal sealed record CallInstr(int Id, ValType Type, string Target, EquatableArray<int> Args) : Instr(Id, Type)
{
    public string? Derivative { get; init; }

    public int Item { get; init; } = -1;

    /// <summary>The method's name as the source wrote it (<c>Erf</c>): names temporaries and tape nodes.</summary>
    public string Label { get; init; } = "call";

    /// <summary>What a local holding its result is named: the method's name, first letter lower-cased (<c>erf</c>).</summary>
    public string Stem => char.ToLowerInvariant(Label[0]) + Label.Substring(1);

    /// <summary>The method as diagnostics show it (<c>System.Math.BitDecrement(double)</c>).</summary>
    public string Shown { get; init; } = "";

    public Diagnostics.SourceSpot? Where { get; init; }

    /// <summary>
    /// The call is cheap and pure (a <c>SymGrad.Slices</c> index check): a loop's backward sweep recomputes it rather
    /// than keep it on the tape. A user's call is never assumed to be either.
    /// </summary>
    public bool Recomputable { get; init; }
}

/// <summary><c>Cond ? A : B</c> with both sides already computed: only for cheap values (derivative selections).</summary>
internal sealed record SelectInstr(int Id, ValType Type, int Cond, int A, int B) : Instr(Id, Type);

/// <summary>
/// A node that writes memory and defines no value. Effects run in order and are never removed as dead code.
/// </summary>
internal abstract record Effect : Node;

/// <summary>
/// Adds <see cref="Value"/> to the adjoint of parameter <see cref="Param"/>: the element at the index values
/// <see cref="Index0"/> (and <see cref="Index1"/>, or -1) of an array's adjoint, or the adjoint of a double
/// parameter (both indices -1). Array adjoints are zeroed once before the backward sweep; accumulations at
/// constant indices that happen once are turned back into single writes (<c>AdjointWrites</c>).
/// </summary>
internal sealed record AddToAdjoint(int Param, int Index0, int Index1, int Value) : Effect
{
    /// <summary>Adds to the tangent of the adjoint instead (forward over reverse: the Hessian-vector product's output).</summary>
    public bool OfTangent { get; init; }
}

/// <summary>
/// A structured two-way branch. Only the taken block runs; values that flow out of it are the
/// <see cref="Phis"/>.
/// </summary>
internal sealed record IfInstr(int Cond, Block Then, Block Else, EquatableArray<Phi> Phis) : Region
{
    public override System.Collections.Generic.IEnumerable<(int Id, ValType Type)> Results => System.Linq.Enumerable.Select(Phis, p => (p.Id, p.Type));
}

/// <summary>
/// The value <see cref="Id"/> after an <see cref="IfInstr"/>: <see cref="Then"/> or <see cref="Else"/>. Like a
/// value, it carries the source variable it stands for (<see cref="Name"/>) or the value it is the adjoint of
/// (<see cref="AdjointOf"/>) or the tangent of (<see cref="TangentOf"/>), or -1: naming hints for the emitter, no meaning.
/// </summary>
internal sealed record Phi(int Id, ValType Type, int Then, int Else, string? Name) : IEquatable<Phi>
{
    public int AdjointOf { get; init; } = -1;

    public int TangentOf { get; init; } = -1;
}

/// <summary>
/// A loop, shaped as C#'s <c>while</c>: each iteration runs <see cref="Header"/> on the variables' values at its
/// start, stops when <see cref="Cond"/> is false, and otherwise runs <see cref="Body"/>, whose end gives each
/// variable its next value. A <c>for</c> loop is this with its index as one of the <see cref="Vars"/>. The loop is
/// structured (no break or continue: the front end turns those into flags), so every pass can treat an iteration as
/// a block run once, and the loop as that block run as often as the header says.
/// </summary>
internal sealed record LoopRegion(EquatableArray<LoopVar> Vars, Block Header, int Cond, Block Body) : Region
{
    public override System.Collections.Generic.IEnumerable<(int Id, ValType Type)> Results => System.Linq.Enumerable.Select(Vars, v => (v.Result, v.Type));
}

/// <summary>
/// A variable a <see cref="LoopRegion"/> carries from one iteration to the next: <see cref="Id"/> is its value at
/// the start of an iteration (read by the header and the body), <see cref="Init"/> its value before the loop,
/// <see cref="Next"/> (made in the body) its value for the next iteration, and <see cref="Result"/> its value after
/// the loop, for the code that follows. The emitted code keeps all four in one local, as a person writes a loop.
/// </summary>
internal sealed record LoopVar(int Id, ValType Type, int Init, int Next, int Result, string? Name) : IEquatable<LoopVar>
{
    public int AdjointOf { get; init; } = -1;

    public int TangentOf { get; init; } = -1;
}

/// <summary>
/// Makes local array <see cref="Array"/> (an id of its own, like a value's), zeroed, of <see cref="Length0"/>
/// elements, or <see cref="Length0"/> x <see cref="Length1"/> (-1 for one dimension). Named after
/// <see cref="Name"/>. Its elements are memory: read by <see cref="LoadLocal"/>, written by <see cref="StoreLocal"/>.
/// </summary>
internal sealed record NewArray(int Array, int Length0, int Length1, string Name) : Effect
{
    /// <summary>Where the elements live when not in fresh zeroed memory: a parameter's span (the vector output), or null.</summary>
    public ArraySource? Source { get; init; }
}

/// <summary>How a vector output's arrays are bound to the generated method's parameters.</summary>
internal enum ArraySourceKind : byte
{
    /// <summary>The output parameter itself, as the caller passed it (the method writes its results there).</summary>
    Output,

    /// <summary>The output's tangent parameter (<c>tR</c>), cleared first: forward mode writes the tangents of the results there.</summary>
    OutputTangent,

    /// <summary>Fresh memory filled from the output's seed parameter (<c>dR</c>): the adjoints the backward sweep starts from.</summary>
    OutputSeed,
}

/// <summary>A local array that stands for parameter <see cref="Param"/>'s memory (or is seeded from its seed), as <see cref="Kind"/> says.</summary>
internal sealed record ArraySource(ArraySourceKind Kind, int Param);

/// <summary>An element of a local array, as it is when the load runs (it reads memory: never shared or moved).</summary>
internal sealed record LoadLocal(int Id, int Array, int Index0, int Index1) : Instr(Id, ValType.Double);

/// <summary>Writes an element of a local array.</summary>
internal sealed record StoreLocal(int Array, int Index0, int Index1, int Value) : Effect;

/// <summary>Adds to an element of a local array (the backward sweep accumulating an array's adjoint).</summary>
internal sealed record AddToLocal(int Array, int Index0, int Index1, int Value) : Effect;

/// <summary>
/// A call kept for its side effect (<c>Console.WriteLine</c>, <c>Debug.Assert</c>, a user's log method): the
/// forward sweep of every generated method makes it where the method makes it, the backward sweep never. Its text is
/// C# with holes, <see cref="Hole"/>(k) standing for the value <see cref="Args"/>[k] (strings are text, numbers
/// holes); no value flows out of it, so it is differentiated as nothing.
/// </summary>
internal sealed record SideCall(string Template, EquatableArray<int> Args) : Effect
{
    /// <summary>
    /// The marker of hole <paramref name="k"/> (control characters, which C# source text holds only escaped); a
    /// <paramref name="tight"/> hole is an operand of a string <c>+</c>, so <c>i + 1</c> there keeps its parentheses.
    /// </summary>
    public static string Hole(int k, bool tight = false) => "\u0001" + k + (tight ? "\u0003" : "\u0002");
}

/// <summary>Pushes a value on the gradient's tape (the forward sweep of a loop keeps what its backward sweep cannot recompute).</summary>
internal sealed record TapePush(int Value) : Effect;

/// <summary>
/// Takes the value last pushed on the tape (the backward sweep of a loop, in the reverse order of the pushes). It
/// reads and changes the tape, so it is never shared, moved or removed: every push has its pop.
/// </summary>
/// <remarks><see cref="Of"/> is the forward value it restores: the popped value is active when that one is.</remarks>
internal sealed record TapePop(int Id, ValType Type, int Of) : Instr(Id, Type);

/// <summary>A sequence of nodes, run in order.</summary>
internal sealed record Block(EquatableArray<Node> Nodes)
{
    public static readonly Block Empty = new(EquatableArray<Node>.Empty);
}

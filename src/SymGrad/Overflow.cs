using System;
using System.ComponentModel;

namespace SymGrad;

/// <summary>
/// What generated code calls where the method's <c>checked</c> int arithmetic overflows on values known at compile
/// time: C# would reject the folded constant expression, so the overflow is thrown at run time, where the method
/// throws it. Generated code uses it; user code has no reason to.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Overflow
{
    /// <summary>Throws the <see cref="OverflowException"/> checked arithmetic throws.</summary>
    public static int Throw() => throw new OverflowException();
}

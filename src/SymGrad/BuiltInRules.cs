using System.ComponentModel;

namespace SymGrad;

/// <summary>
/// The derivative rules of math functions that generated code keeps as calls, as a user's <c>[DerivativeOf]</c> rule
/// is kept: <see cref="System.Math.FusedMultiplyAdd"/> must stay one fused operation (its value rounds once), so it is
/// no sum of two operations of the rule table. Generated code uses them; user code has no reason to.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BuiltInRules
{
    /// <summary>The partials of a·b + c: (b, a, 1).</summary>
    public static (double, double, double) FusedMultiplyAddPartials(double a, double b, double c) => (b, a, 1.0);

    /// <summary>The partials of a·b + c in float: (b, a, 1).</summary>
    public static (float, float, float) FusedMultiplyAddPartials(float a, float b, float c) => (b, a, 1f);
}

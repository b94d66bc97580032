namespace SymGrad;

/// <summary>
/// Marks a static method of a <c>partial</c> type for compile-time differentiation. The SymGrad source generator
/// adds, beside it, <c>{Name}Gradient</c> (the value, with the gradient written into one adjoint per differentiable
/// parameter) and <c>{Name}Tape</c> (the same body on the <c>Value</c> engine); <see cref="Modes"/> asks for more.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
    /// <summary>What to generate besides the tape twin: <see cref="DerivativeModes.Reverse"/> (the default) and more.</summary>
    public DerivativeModes Modes { get; set; } = DerivativeModes.Reverse;
}

/// <summary>The derivatives a <see cref="DifferentiableAttribute"/> method gets; combine them with <c>|</c>.</summary>
[Flags]
public enum DerivativeModes
{
    /// <summary>Reverse mode: <c>{Name}Gradient</c>, the value and the whole gradient in one call.</summary>
    Reverse = 1,

    /// <summary>
    /// Forward mode: <c>{Name}Jvp(parameters, tangents, out double derivative)</c>, the value and the directional
    /// derivative along one tangent per differentiable parameter (named <c>t</c> + its PascalCase name), in one
    /// forward sweep with no tape and no allocation.
    /// </summary>
    Forward = 2,

    /// <summary>Hessian-vector products (forward over reverse): not available yet, an SG0016 error.</summary>
    HessianVector = 4,

    /// <summary>Dense Hessians: not available yet, an SG0016 error.</summary>
    Hessian = 8,
}

/// <summary>
/// Marks a parameter of a <see cref="DifferentiableAttribute"/> method as a constant: no adjoint is made or
/// computed for it, and the tape twin keeps its type.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NoDerivativeAttribute : Attribute
{
}

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

    /// <summary>
    /// Hessian-vector products, forward over reverse: <c>{Name}Hvp(parameters, tangents, adjoints, outputs)</c> writes
    /// the gradient into the adjoints (as <c>{Name}Gradient</c>) and H·t into outputs named <c>hv</c> + the
    /// parameter's PascalCase name, typed like the adjoints.
    /// </summary>
    HessianVector = 4,

    /// <summary>
    /// Dense Hessians: <c>{Name}Hessian(parameters, adjoints, double[,] hessian)</c>, the value, the gradient and the
    /// n x n Hessian over every input scalar (parameter order, arrays row-major), symmetric to the last bit. Also
    /// generates <c>{Name}Hvp</c>, which it calls once per row.
    /// </summary>
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

namespace SymGrad;

/// <summary>
/// Marks a static method of a <c>partial</c> type for compile-time reverse-mode differentiation. The SymGrad
/// source generator adds, beside it, <c>{Name}Gradient</c> (the value, with the gradient written into one adjoint
/// per differentiable parameter) and <c>{Name}Tape</c> (the same body on the <c>Value</c> engine).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
}

/// <summary>
/// Marks a parameter of a <see cref="DifferentiableAttribute"/> method as a constant: no adjoint is made or
/// computed for it, and the tape twin keeps its type.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NoDerivativeAttribute : Attribute
{
}

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

    /// <summary>
    /// Jacobians of a vector output (a <c>void</c> method with an <see cref="OutputAttribute"/> span):
    /// <c>{Name}Jacobian(inputs, r, double[,] jacobian)</c>, rows the outputs, columns the inputs (every scalar of every
    /// differentiable parameter, in parameter order, arrays row-major). It runs one reverse sweep per row or one
    /// forward sweep per column, whichever is fewer, so it also generates <c>{Name}Vjp</c> and <c>{Name}Jvp</c>.
    /// </summary>
    Jacobian = 16,
}

/// <summary>
/// Marks a parameter of a <see cref="DifferentiableAttribute"/> method as a constant: no adjoint is made or
/// computed for it, and the tape twin keeps its type. On an instance field of a model class, the same: the
/// methods that read the field treat it as data (a mask, a temperature), and the gradient leaves it alone.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class NoDerivativeAttribute : Attribute
{
}

/// <summary>
/// Marks the vector output of a <c>void</c> <see cref="DifferentiableAttribute"/> method: a <c>Span&lt;double&gt;</c>
/// (or <c>double[]</c>) parameter, the last one, that the method writes its results into (residuals, a layer's
/// activations). Its elements are the outputs whose derivatives the generated methods compute:
/// <c>{Name}Vjp(inputs, r, dR, adjoints)</c> (reverse mode with the seed <c>dR</c>),
/// <c>{Name}Jvp(inputs, tangents, r, tR)</c> (forward mode) and <c>{Name}Jacobian(inputs, r, jacobian)</c>.
/// An element the method reads before writing it is the caller's value, a constant.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class OutputAttribute : Attribute
{
}

/// <summary>
/// Marks a method as the derivative rule of another: calls of that method in a <see cref="DifferentiableAttribute"/>
/// method are kept as calls, and their partial derivatives are this method's results, in the gradient, in forward
/// mode and on the tape twin (a <see cref="Value"/> node whose local derivatives come from here). For a function of
/// one <c>double</c>, the rule takes the same parameter and returns the derivative; for two, it returns the tuple of
/// both partials, <c>(d/da, d/db)</c>. Use it for what SymGrad cannot read (a library's special function), for a
/// stabler formula than the one the body gives, or for a derivative you know in closed form; check it against finite
/// differences with <see cref="DerivativeCheck"/>.
/// </summary>
/// <example>
/// <code>
/// public static double Erf(double x) =&gt; MathNet.Numerics.SpecialFunctions.Erf(x);
///
/// [DerivativeOf(nameof(Erf))]
/// public static double ErfDerivative(double x) =&gt; 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x);
///
/// [DerivativeOf(typeof(Math), nameof(Math.Cosh))] // a rule for a method of another type
/// public static double CoshDerivative(double x) =&gt; Math.Sinh(x);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DerivativeOfAttribute : Attribute
{
    /// <summary>The rule of <paramref name="method"/>, a static method of the rule's own type.</summary>
    public DerivativeOfAttribute(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        Method = method;
    }

    /// <summary>The rule of <paramref name="method"/>, a static method of <paramref name="type"/>.</summary>
    public DerivativeOfAttribute(Type type, string method)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(method);
        Type = type;
        Method = method;
    }

    /// <summary>The type that declares the method, or null for the rule's own type.</summary>
    public Type? Type { get; }

    /// <summary>The name of the method the rule differentiates.</summary>
    public string Method { get; }
}

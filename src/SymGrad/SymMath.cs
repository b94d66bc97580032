namespace SymGrad;

/// <summary>
/// Activation functions that <see cref="DifferentiableAttribute"/> methods may call, usable in ordinary code too.
/// At kinks the derivative SymGrad uses is one-sided: <c>Relu'(0) = 0</c>, as in micrograd and PyTorch.
/// </summary>
public static class SymMath
{
    /// <summary><c>max(0, x)</c> (as <see cref="Math.Max(double, double)"/>: NaN stays NaN).</summary>
    public static double Relu(double x) => Math.Max(0.0, x);

    /// <summary>The logistic function <c>1 / (1 + e^-x)</c>.</summary>
    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary><c>log(1 + e^x)</c>, computed without overflow for large <paramref name="x"/>.</summary>
    public static double Softplus(double x) => x > 0 ? x + Math.Log(1.0 + Math.Exp(-x)) : Math.Log(1.0 + Math.Exp(x));

    /// <summary>
    /// <paramref name="x"/> itself, with derivative zero: in a <see cref="DifferentiableAttribute"/> method no
    /// adjoint flows back through it (a target, a baseline, a detached statistic), as PyTorch's <c>detach</c> and
    /// JAX's <c>stop_gradient</c>.
    /// </summary>
    public static double StopGradient(double x) => x;
}

/// <summary>
/// <see cref="SymMath"/>'s functions in <c>float</c>, for <c>float</c> <see cref="DifferentiableAttribute"/> methods
/// (as <see cref="MathF"/> is <see cref="Math"/>'s: a separate class, so that <c>SymMath.Sigmoid(n)</c> of an
/// <c>int</c> stays a double).
/// </summary>
public static class SymMathF
{
    /// <summary><c>max(0, x)</c> in <c>float</c> (as <see cref="MathF.Max(float, float)"/>: NaN stays NaN).</summary>
    public static float Relu(float x) => MathF.Max(0f, x);

    /// <summary>The logistic function <c>1 / (1 + e^-x)</c> in <c>float</c>.</summary>
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary><c>log(1 + e^x)</c> in <c>float</c>, computed without overflow for large <paramref name="x"/>.</summary>
    public static float Softplus(float x) => x > 0 ? x + MathF.Log(1f + MathF.Exp(-x)) : MathF.Log(1f + MathF.Exp(x));

    /// <summary><paramref name="x"/> itself, with derivative zero (see <see cref="SymMath.StopGradient(double)"/>).</summary>
    public static float StopGradient(float x) => x;
}

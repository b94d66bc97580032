namespace SymGrad;

/// <summary>
/// <see cref="Math"/> and <see cref="SymMath"/> on the <see cref="Value"/> tape: the same names, the same values
/// (NaN where <see cref="Math"/> gives NaN), plus the derivative. The generator's <c>{Name}Tape</c> twin calls these,
/// so every math function a <see cref="DifferentiableAttribute"/> method may use has its counterpart here.
/// </summary>
/// <remarks>Kinks take a one-sided derivative: <c>Relu'(0) = 0</c>, <c>Abs'(0) = 0</c>; <c>Max</c> and <c>Min</c>
/// send the whole gradient to one operand (ties to the second). <c>Sqrt'(0) = +Infinity</c>.</remarks>
public static class ValueMath
{
    /// <summary><c>e^x</c>.</summary>
    public static Value Exp(Value x) => x.Exp();

    /// <summary>Natural logarithm.</summary>
    public static Value Log(Value x) => x.Log();

    /// <summary>Square root; derivative <c>1 / (2 sqrt x)</c>, so +Infinity at 0 and NaN below.</summary>
    public static Value Sqrt(Value x)
    {
        double r = Math.Sqrt(x.Data);
        return new(r, "sqrt", x, 0.5 / r);
    }

    /// <summary><c>x^y</c> for a constant exponent.</summary>
    public static Value Pow(Value x, double y) => x.Pow(y);

    /// <summary>
    /// <c>x^y</c> with both on the tape. d/dx = <c>y x^(y-1)</c> (0 when y = 0); d/dy = <c>x^y ln x</c>, taken as 0
    /// at x = 0 with y &gt;= 0 (the limit, as PyTorch does) instead of the formula's <c>0 * -Infinity</c> = NaN.
    /// </summary>
    public static Value Pow(Value x, Value y)
    {
        double p = Math.Pow(x.Data, y.Data);
        double dx = y.Data == 0.0 ? 0.0 : y.Data * Math.Pow(x.Data, y.Data - 1.0);
        double dy = x.Data == 0.0 && y.Data >= 0.0 ? 0.0 : p * Math.Log(x.Data);
        return new(p, "pow", x, dx, y, dy);
    }

    /// <summary>Hyperbolic tangent.</summary>
    public static Value Tanh(Value x) => x.Tanh();

    /// <summary>Sine.</summary>
    public static Value Sin(Value x) => new(Math.Sin(x.Data), "sin", x, Math.Cos(x.Data));

    /// <summary>Cosine.</summary>
    public static Value Cos(Value x) => new(Math.Cos(x.Data), "cos", x, -Math.Sin(x.Data));

    /// <summary>Tangent; derivative <c>1 + tan^2 x</c>.</summary>
    public static Value Tan(Value x)
    {
        double t = Math.Tan(x.Data);
        return new(t, "tan", x, 1.0 + t * t);
    }

    /// <summary>Arc tangent; derivative <c>1 / (1 + x^2)</c>.</summary>
    public static Value Atan(Value x) => new(Math.Atan(x.Data), "atan", x, 1.0 / (1.0 + x.Data * x.Data));

    /// <summary>Absolute value; derivative the sign of x, 0 at 0 (and at NaN, where the value is NaN anyway).
    /// Not <see cref="Math.Sign(double)"/>, which throws on NaN.</summary>
    public static Value Abs(Value x) =>
        new(Math.Abs(x.Data), "abs", x, x.Data > 0.0 ? 1.0 : x.Data < 0.0 ? -1.0 : 0.0);

    /// <summary>The larger, as <see cref="Math.Max(double, double)"/> (NaN if either is NaN). The whole gradient
    /// goes to <paramref name="a"/> when <c>a &gt; b</c>, otherwise to <paramref name="b"/> (ties go to b).</summary>
    public static Value Max(Value a, Value b)
    {
        bool first = a.Data > b.Data;
        return new(Math.Max(a.Data, b.Data), "max", a, first ? 1.0 : 0.0, b, first ? 0.0 : 1.0);
    }

    /// <summary>The smaller, as <see cref="Math.Min(double, double)"/> (NaN if either is NaN). The whole gradient
    /// goes to <paramref name="a"/> when <c>a &lt; b</c>, otherwise to <paramref name="b"/> (ties go to b).</summary>
    public static Value Min(Value a, Value b)
    {
        bool first = a.Data < b.Data;
        return new(Math.Min(a.Data, b.Data), "min", a, first ? 1.0 : 0.0, b, first ? 0.0 : 1.0);
    }

    /// <summary><c>max(0, x)</c>, as <see cref="SymMath.Relu"/>; derivative 0 at 0.</summary>
    public static Value Relu(Value x) => x.Relu();

    /// <summary>The logistic function, as <see cref="SymMath.Sigmoid"/>.</summary>
    public static Value Sigmoid(Value x) => x.Sigmoid();

    /// <summary><c>log(1 + e^x)</c>, as <see cref="SymMath.Softplus"/>; derivative the sigmoid of x.</summary>
    public static Value Softplus(Value x) => new(SymMath.Softplus(x.Data), "softplus", x, SymMath.Sigmoid(x.Data));
}

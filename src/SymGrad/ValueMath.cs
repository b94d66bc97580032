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

    /// <summary>Arc sine; derivative <c>1 / sqrt(1 - x^2)</c> (+Infinity at |x| = 1).</summary>
    public static Value Asin(Value x) => new(Math.Asin(x.Data), "asin", x, 1.0 / Math.Sqrt(1.0 - x.Data * x.Data));

    /// <summary>Arc cosine; derivative <c>-1 / sqrt(1 - x^2)</c>.</summary>
    public static Value Acos(Value x) => new(Math.Acos(x.Data), "acos", x, -(1.0 / Math.Sqrt(1.0 - x.Data * x.Data)));

    /// <summary>Hyperbolic sine; derivative <c>cosh x</c>.</summary>
    public static Value Sinh(Value x) => new(Math.Sinh(x.Data), "sinh", x, Math.Cosh(x.Data));

    /// <summary>Hyperbolic cosine; derivative <c>sinh x</c>.</summary>
    public static Value Cosh(Value x) => new(Math.Cosh(x.Data), "cosh", x, Math.Sinh(x.Data));

    /// <summary>Inverse hyperbolic sine; derivative <c>1 / sqrt(x^2 + 1)</c> (0 once x^2 overflows, |x| &gt; ~1e154).</summary>
    public static Value Asinh(Value x) => new(Math.Asinh(x.Data), "asinh", x, 1.0 / Math.Sqrt(x.Data * x.Data + 1.0));

    /// <summary>Inverse hyperbolic cosine; derivative <c>1 / (sqrt(x - 1) sqrt(x + 1))</c> (+Infinity at 1).</summary>
    public static Value Acosh(Value x) => new(Math.Acosh(x.Data), "acosh", x, 1.0 / (Math.Sqrt(x.Data - 1.0) * Math.Sqrt(x.Data + 1.0)));

    /// <summary>Inverse hyperbolic tangent; derivative <c>1 / (1 - x^2)</c>.</summary>
    public static Value Atanh(Value x) => new(Math.Atanh(x.Data), "atanh", x, 1.0 / (1.0 - x.Data * x.Data));

    /// <summary><c>ln 2</c> and <c>ln 10</c> to the last bit: the generator's derivative rules use the same literals.</summary>
    private const double Ln2 = 0.6931471805599453, Ln10 = 2.302585092994046;

    /// <summary>Base-10 logarithm; derivative <c>1 / (x ln 10)</c>.</summary>
    public static Value Log10(Value x) => new(Math.Log10(x.Data), "log10", x, 1.0 / (x.Data * Ln10));

    /// <summary>Base-2 logarithm; derivative <c>1 / (x ln 2)</c>.</summary>
    public static Value Log2(Value x) => new(Math.Log2(x.Data), "log2", x, 1.0 / (x.Data * Ln2));

    /// <summary><c>log_b a</c>, as <see cref="Math.Log(double, double)"/>; d/da = <c>1 / (a ln b)</c>, d/db = <c>-log_b(a) / (b ln b)</c>.</summary>
    public static Value Log(Value a, Value b)
    {
        double r = Math.Log(a.Data, b.Data), lnB = Math.Log(b.Data);
        return new(r, "log", a, 1.0 / (a.Data * lnB), b, -(r / (b.Data * lnB)));
    }

    /// <summary><c>2^x</c>, as <see cref="double.Exp2"/>; derivative <c>2^x ln 2</c>.</summary>
    public static Value Exp2(Value x)
    {
        double r = double.Exp2(x.Data);
        return new(r, "exp2", x, r * Ln2);
    }

    /// <summary><c>10^x</c>, as <see cref="double.Exp10"/>; derivative <c>10^x ln 10</c>.</summary>
    public static Value Exp10(Value x)
    {
        double r = double.Exp10(x.Data);
        return new(r, "exp10", x, r * Ln10);
    }

    /// <summary>Cube root; derivative <c>1 / (3 cbrt(x)^2)</c> (+Infinity at 0).</summary>
    public static Value Cbrt(Value x)
    {
        double r = Math.Cbrt(x.Data);
        return new(r, "cbrt", x, 1.0 / (3.0 * (r * r)));
    }

    /// <summary>The angle of (x, y), as <see cref="Math.Atan2"/>; d/dy = <c>x / (x^2 + y^2)</c>, d/dx = <c>-y / (x^2 + y^2)</c> (NaN at the origin).</summary>
    public static Value Atan2(Value y, Value x)
    {
        double inverse = 1.0 / (x.Data * x.Data + y.Data * y.Data);
        return new(Math.Atan2(y.Data, x.Data), "atan2", y, x.Data * inverse, x, -(y.Data * inverse));
    }

    /// <summary>|a| with the sign of b, as <see cref="Math.CopySign"/>; d/da = sign(a) sign(b) by their sign bits, nothing flows to b.</summary>
    public static Value CopySign(Value a, Value b) =>
        new(Math.CopySign(a.Data, b.Data), "copysign", a, Math.CopySign(1.0, a.Data) * Math.CopySign(1.0, b.Data));

    /// <summary>
    /// The operand of larger magnitude, as <see cref="Math.MaxMagnitude"/>; the gradient goes to the one it returns:
    /// a when |a| &gt; |b|, or when |a| = |b| and a &gt; b (of +t and -t it returns +t); else b (equal operands: b).
    /// </summary>
    public static Value MaxMagnitude(Value a, Value b)
    {
        bool first = Math.Abs(a.Data) > Math.Abs(b.Data) || (Math.Abs(a.Data) == Math.Abs(b.Data) && a.Data > b.Data);
        return new(Math.MaxMagnitude(a.Data, b.Data), "maxmagnitude", a, first ? 1.0 : 0.0, b, first ? 0.0 : 1.0);
    }

    /// <summary>
    /// The operand of smaller magnitude, as <see cref="Math.MinMagnitude"/>; the gradient goes to the one it returns:
    /// a when |a| &lt; |b|, or when |a| = |b| and a &lt; b (of +t and -t it returns -t); else b (equal operands: b).
    /// </summary>
    public static Value MinMagnitude(Value a, Value b)
    {
        bool first = Math.Abs(a.Data) < Math.Abs(b.Data) || (Math.Abs(a.Data) == Math.Abs(b.Data) && a.Data < b.Data);
        return new(Math.MinMagnitude(a.Data, b.Data), "minmagnitude", a, first ? 1.0 : 0.0, b, first ? 0.0 : 1.0);
    }

    /// <summary>Rounded down; piecewise constant, so a new leaf: no gradient flows back (derivative 0, taken as 0 at the steps too).</summary>
    public static Value Floor(Value x) => new(Math.Floor(x.Data));

    /// <summary>Rounded up; a new leaf, as <see cref="Floor"/>.</summary>
    public static Value Ceiling(Value x) => new(Math.Ceiling(x.Data));

    /// <summary>Rounded toward zero; a new leaf, as <see cref="Floor"/>.</summary>
    public static Value Truncate(Value x) => new(Math.Truncate(x.Data));

    /// <summary>Rounded to the nearest integer, ties to even, as <see cref="Math.Round(double)"/>; a new leaf, as <see cref="Floor"/>.</summary>
    public static Value Round(Value x) => new(Math.Round(x.Data));

    /// <summary>The sign of the data, as <see cref="Math.Sign(double)"/> (which throws on NaN): an int, off the tape.</summary>
    public static int Sign(Value x) => Math.Sign(x.Data);

    /// <summary>The same number as a new leaf: no gradient flows back through it, as <see cref="SymMath.StopGradient(double)"/>.</summary>
    public static Value StopGradient(Value x) => new(x.Data);

    /// <summary><c>max(0, x)</c>, as <see cref="SymMath.Relu(double)"/>; derivative 0 at 0.</summary>
    public static Value Relu(Value x) => x.Relu();

    /// <summary>The logistic function, as <see cref="SymMath.Sigmoid(double)"/>.</summary>
    public static Value Sigmoid(Value x) => x.Sigmoid();

    /// <summary><c>log(1 + e^x)</c>, as <see cref="SymMath.Softplus(double)"/>; derivative the sigmoid of x.</summary>
    public static Value Softplus(Value x) => new(SymMath.Softplus(x.Data), "softplus", x, SymMath.Sigmoid(x.Data));
}

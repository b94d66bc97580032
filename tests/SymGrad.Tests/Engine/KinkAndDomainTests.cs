namespace SymGrad.Tests.Engine;

/// <summary>The documented one-sided conventions at kinks, and NaN (never an exception) outside the domain.</summary>
public class KinkAndDomainTests
{
    private static (double Data, double Grad) Run(Func<Value, Value> f, double x)
    {
        var leaf = new Value(x);
        Value y = f(leaf);
        y.Backward();
        return (y.Data, leaf.Grad);
    }

    [Fact]
    public void Relu_at_zero_has_derivative_zero_and_one_just_above()
    {
        Assert.Equal((0.0, 0.0), Run(x => x.Relu(), 0.0));
        Assert.Equal((0.0, 0.0), Run(x => x.Relu(), -0.0));
        Assert.Equal((1e-300, 1.0), Run(x => x.Relu(), 1e-300));
        Assert.Equal((0.0, 0.0), Run(x => x.Relu(), -1e-300));
    }

    [Fact]
    public void Relu_of_NaN_is_NaN_with_derivative_zero()
    {
        var (data, grad) = Run(ValueMath.Relu, double.NaN);
        Assert.True(double.IsNaN(data));
        Assert.Equal(0.0, grad);
    }

    [Fact]
    public void Abs_at_zero_has_derivative_zero()
    {
        Assert.Equal((0.0, 0.0), Run(ValueMath.Abs, 0.0));
        Assert.Equal((2.0, -1.0), Run(ValueMath.Abs, -2.0));
        Assert.Equal(0.0, Run(ValueMath.Abs, double.NaN).Grad); // Math.Sign would throw here
    }

    [Fact]
    public void Max_and_Min_ties_send_the_gradient_to_the_second_operand()
    {
        var a = new Value(1.0);
        var b = new Value(1.0);
        ValueMath.Max(a, b).Backward();
        Assert.Equal((0.0, 1.0), (a.Grad, b.Grad));

        var c = new Value(1.0);
        var d = new Value(1.0);
        ValueMath.Min(c, d).Backward();
        Assert.Equal((0.0, 1.0), (c.Grad, d.Grad));
    }

    [Fact]
    public void Max_of_NaN_is_NaN_as_Math()
    {
        Assert.True(double.IsNaN(ValueMath.Max(double.NaN, 1.0).Data));
        Assert.True(double.IsNaN(ValueMath.Min(1.0, double.NaN).Data));
    }

    [Fact]
    public void Sqrt_at_zero_has_infinite_derivative()
    {
        Assert.Equal((0.0, double.PositiveInfinity), Run(ValueMath.Sqrt, 0.0));
    }

    [Theory]
    [InlineData("log", -1.0)]
    [InlineData("sqrt", -4.0)]
    [InlineData("pow", -8.0)]
    public void Out_of_domain_gives_NaN_not_an_exception(string op, double x)
    {
        Func<Value, Value> f = op switch
        {
            "log" => v => v.Log(),
            "sqrt" => ValueMath.Sqrt,
            _ => v => v.Pow(1.0 / 3.0), // a negative base to a fractional power
        };
        var (data, _) = Run(v => f(v) * 2.0 + 1.0, x);
        Assert.True(double.IsNaN(data));
    }

    [Fact]
    public void Log_at_zero_is_minus_infinity()
    {
        Assert.Equal(double.NegativeInfinity, Run(v => v.Log(), 0.0).Data);
    }

    [Fact]
    public void Pow_with_zero_base_and_nonnegative_exponent_has_zero_exponent_derivative()
    {
        // d/dy x^y = x^y ln x, whose limit at x = 0 (y > 0) is 0; the formula alone would give 0 * -inf = NaN.
        var x = new Value(0.0);
        var y = new Value(2.0);
        ValueMath.Pow(x, y).Backward();
        Assert.Equal((0.0, 0.0), (x.Grad, y.Grad));
    }

    [Fact]
    public void Pow_zero_exponent_has_zero_derivative_even_at_zero()
    {
        Assert.Equal((1.0, 0.0), Run(v => v.Pow(0.0), 0.0));
    }
}

namespace SymGrad.Tests.Engine;

/// <summary>micrograd's own engine tests (karpathy/micrograd, test/test_engine.py), ported line by line. The
/// expected numbers are the PyTorch results micrograd checks against.</summary>
public class MicrogradTests
{
    [Fact]
    public void Sanity_check()
    {
        var x = new Value(-4.0);
        Value z = 2 * x + 2 + x;
        Value q = z.Relu() + z * x;
        Value h = (z * z).Relu();
        Value y = h + q + q * x;
        y.Backward();

        Assert.Equal(-20.0, y.Data);
        Assert.Equal(46.0, x.Grad);
    }

    [Fact]
    public void More_ops()
    {
        var a = new Value(-4.0);
        var b = new Value(2.0);
        Value c = a + b;
        Value d = a * b + b.Pow(3);
        c += c + 1;
        c += 1 + c + (-a);
        d += d * 2 + (b + a).Relu();
        d += 3 * d + (b - a).Relu();
        Value e = c - d;
        Value f = e.Pow(2);
        Value g = f / 2.0;
        g += 10.0 / f;
        g.Backward();

        Assert.Equal(24.70408163265306, g.Data, 1e-12);
        Assert.Equal(138.83381924198252, a.Grad, 1e-12);
        Assert.Equal(645.5772594752186, b.Grad, 1e-12);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(0.123)]
    [InlineData(2.0)]
    public void Unary_tensor_fns_tanh_and_exp(double x)
    {
        // micrograd's test_unary_tensor_fns, with the closed-form derivatives in place of PyTorch.
        var t = new Value(x);
        Value y = t.Tanh();
        y.Backward();
        Assert.Equal(Math.Tanh(x), y.Data, 1e-15);
        Assert.Equal(1.0 / (Math.Cosh(x) * Math.Cosh(x)), t.Grad, 1e-12);

        var u = new Value(x);
        Value z = u.Exp();
        z.Backward();
        Assert.Equal(Math.Exp(x), z.Data);
        Assert.Equal(Math.Exp(x), u.Grad, 1e-12);
    }
}

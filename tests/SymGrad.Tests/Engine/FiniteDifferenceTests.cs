namespace SymGrad.Tests.Engine;

/// <summary>
/// Every operator's value against its <see cref="Math"/> counterpart and its gradient against a central finite
/// difference of that counterpart (an independent reference: it never touches the tape).
/// </summary>
public class FiniteDifferenceTests
{
    private const double H = 1e-6;

    // Points on both sides of 0, away from every kink and pole; the domain-limited functions get their own.
    private static readonly double[] Anywhere = [-2.3, -0.7, -0.05, 0.4, 1.5, 3.1];
    private static readonly double[] Positive = [0.05, 0.4, 1.5, 3.1, 12.0];

    public static TheoryData<string> UnaryNames => new(Unary.Keys);

    private static readonly Dictionary<string, (Func<Value, Value> Tape, Func<double, double> Plain, double[] Points)> Unary =
        new()
        {
            ["neg"] = (x => -x, x => -x, Anywhere),
            ["pow3"] = (x => x.Pow(3), x => Math.Pow(x, 3), Anywhere),
            ["pow-2"] = (x => x.Pow(-2), x => Math.Pow(x, -2), Anywhere),
            ["pow0.5"] = (x => x.Pow(0.5), x => Math.Pow(x, 0.5), Positive),
            ["exp"] = (x => x.Exp(), Math.Exp, Anywhere),
            ["log"] = (x => x.Log(), Math.Log, Positive),
            ["tanh"] = (x => x.Tanh(), Math.Tanh, Anywhere),
            ["sigmoid"] = (x => x.Sigmoid(), x => 1.0 / (1.0 + Math.Exp(-x)), Anywhere),
            ["relu"] = (x => x.Relu(), x => Math.Max(0.0, x), Anywhere),
            ["ValueMath.Exp"] = (ValueMath.Exp, Math.Exp, Anywhere),
            ["ValueMath.Log"] = (ValueMath.Log, Math.Log, Positive),
            ["ValueMath.Sqrt"] = (ValueMath.Sqrt, Math.Sqrt, Positive),
            ["ValueMath.Pow(x,2.5)"] = (x => ValueMath.Pow(x, 2.5), x => Math.Pow(x, 2.5), Positive),
            ["ValueMath.Tanh"] = (ValueMath.Tanh, Math.Tanh, Anywhere),
            ["ValueMath.Sin"] = (ValueMath.Sin, Math.Sin, Anywhere),
            ["ValueMath.Cos"] = (ValueMath.Cos, Math.Cos, Anywhere),
            ["ValueMath.Tan"] = (ValueMath.Tan, Math.Tan, Anywhere),
            ["ValueMath.Atan"] = (ValueMath.Atan, Math.Atan, Anywhere),
            ["ValueMath.Abs"] = (ValueMath.Abs, Math.Abs, Anywhere),
            ["ValueMath.Relu"] = (ValueMath.Relu, x => Math.Max(0.0, x), Anywhere),
            ["ValueMath.Sigmoid"] = (ValueMath.Sigmoid, x => 1.0 / (1.0 + Math.Exp(-x)), Anywhere),
            ["ValueMath.Softplus"] = (ValueMath.Softplus, x => Math.Log(1.0 + Math.Exp(x)), Anywhere),
        };

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void Unary_gradient_matches_central_difference(string name)
    {
        var (tape, plain, points) = Unary[name];
        foreach (double x in points)
        {
            var leaf = new Value(x);
            Value y = tape(leaf);
            y.Backward();

            Assert.Equal(plain(x), y.Data, Tolerance(plain(x)));
            double numeric = (plain(x + H) - plain(x - H)) / (2 * H);
            Assert.True(Math.Abs(leaf.Grad - numeric) <= 1e-6 * Math.Max(1.0, Math.Abs(numeric)),
                $"{name} at {x}: tape {leaf.Grad}, finite difference {numeric}");
        }
    }

    public static TheoryData<string> BinaryNames => new(Binary.Keys);

    private static readonly Dictionary<string, (Func<Value, Value, Value> Tape, Func<double, double, double> Plain, bool PositiveFirst)> Binary =
        new()
        {
            ["+"] = ((a, b) => a + b, (a, b) => a + b, false),
            ["-"] = ((a, b) => a - b, (a, b) => a - b, false),
            ["*"] = ((a, b) => a * b, (a, b) => a * b, false),
            ["/"] = ((a, b) => a / b, (a, b) => a / b, false),
            ["Pow"] = (ValueMath.Pow, Math.Pow, true),
            ["Max"] = (ValueMath.Max, Math.Max, false),
            ["Min"] = (ValueMath.Min, Math.Min, false),
        };

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void Binary_gradients_match_central_differences(string name)
    {
        var (tape, plain, positiveFirst) = Binary[name];
        foreach (double a0 in positiveFirst ? Positive : Anywhere)
        foreach (double b0 in Anywhere)
        {
            if (a0 == b0 && name is "Max" or "Min") continue; // the tie is a kink, tested on its own
            var a = new Value(a0);
            var b = new Value(b0);
            Value y = tape(a, b);
            y.Backward();

            Assert.Equal(plain(a0, b0), y.Data, Tolerance(plain(a0, b0)));
            double dA = (plain(a0 + H, b0) - plain(a0 - H, b0)) / (2 * H);
            double dB = (plain(a0, b0 + H) - plain(a0, b0 - H)) / (2 * H);
            Assert.True(Math.Abs(a.Grad - dA) <= 1e-6 * Math.Max(1.0, Math.Abs(dA)), $"{name}({a0}, {b0}): d/da {a.Grad} vs {dA}");
            Assert.True(Math.Abs(b.Grad - dB) <= 1e-6 * Math.Max(1.0, Math.Abs(dB)), $"{name}({a0}, {b0}): d/db {b.Grad} vs {dB}");
        }
    }

    [Fact]
    public void Mixed_double_operands_become_leaves()
    {
        var x = new Value(3.0);
        Value y = 2.0 * x + x / 4.0 - 1.0 + (5.0 - x) * (1.0 / x);
        y.Backward();
        // y = 2x + x/4 - 1 + 5/x - 1, so dy/dx = 2.25 - 5/x^2.
        Assert.Equal(2.0 * 3 + 0.75 - 1 + 5.0 / 3 - 1, y.Data, 1e-15);
        Assert.Equal(2.25 - 5.0 / 9, x.Grad, 1e-15);
    }

    private static double Tolerance(double expected) => 1e-14 * Math.Max(1.0, Math.Abs(expected));
}

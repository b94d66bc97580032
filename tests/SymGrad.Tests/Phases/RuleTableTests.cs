using SymGrad.Generators.Ir;
using SymGrad.Generators.Ir.Rules;

namespace SymGrad.Tests.Phases;

/// <summary>
/// The rule table (<see cref="OpRules"/>) alone: every local derivative is checked against finite differences of
/// the operation and against the <see cref="Value"/> tape's own local derivative, and every fold against C#.
/// The loops run over the table, so a new operation is covered (or fails loudly) without a new test.
/// </summary>
public class RuleTableTests
{
    private static readonly Op[] OpsWithPartials =
    [
        Op.Exp, Op.Log, Op.Sqrt, Op.Tanh, Op.Sin, Op.Cos, Op.Tan, Op.Atan, Op.Abs, Op.Relu, Op.Sigmoid, Op.Softplus,
        Op.Neg, Op.Add, Op.Sub, Op.Mul, Op.Div, Op.Pow, Op.Max, Op.Min,
        Op.Asin, Op.Acos, Op.Sinh, Op.Cosh, Op.Asinh, Op.Acosh, Op.Atanh, Op.Log10, Op.Log2, Op.Exp2, Op.Exp10, Op.Cbrt,
        Op.Atan2, Op.LogBase, Op.CopySign, Op.MaxMagnitude, Op.MinMagnitude,
    ];

    /// <summary>Doubles with derivative zero wherever it exists: never active, so no partial and no tape node.</summary>
    private static readonly Op[] OpsWithoutDerivative = [Op.Floor, Op.Ceiling, Op.Truncate, Op.Round, Op.StopGradient];

    private static IEnumerable<OpRule> RulesWithPartials => OpRules.All.Where(r => r.Partial is not null);

    [Fact]
    public void Every_op_has_a_rule_describing_itself()
    {
        foreach (Op op in Enum.GetValues<Op>()) Assert.Equal(op, OpRules.Of(op).Op);
    }

    [Fact]
    public void The_ops_with_partials_are_the_expected_ones()
    {
        // Keeps the loops below from passing vacuously, and makes a new differentiable op a conscious addition.
        Assert.Equal(OpsWithPartials.OrderBy(o => o), RulesWithPartials.Select(r => r.Op).OrderBy(o => o));
    }

    [Fact]
    public void The_piecewise_constant_ops_are_marked_and_inactive()
    {
        Assert.Equal(OpsWithoutDerivative.OrderBy(o => o), OpRules.All.Where(r => r.NoDerivative).Select(r => r.Op).OrderBy(o => o));
        foreach (Op op in OpsWithoutDerivative)
        {
            Assert.Null(OpRules.Of(op).Partial);
            // The tape agrees: its counterpart is a new leaf, so nothing reaches the operand.
            var x = new Value(2.7);
            Value r = op switch
            {
                Op.Floor => ValueMath.Floor(x), Op.Ceiling => ValueMath.Ceiling(x), Op.Truncate => ValueMath.Truncate(x),
                Op.Round => ValueMath.Round(x), _ => ValueMath.StopGradient(x),
            };
            (r * x).Backward();
            Assert.Equal(r.Data, x.Grad); // d(r x)/dx = r, with r held constant
        }
    }

    [Fact]
    public void Every_partial_matches_central_finite_differences()
    {
        int checkedCount = 0;
        foreach (OpRule rule in RulesWithPartials)
        {
            foreach ((double x, double y) in SmoothPoints(rule))
            {
                for (int k = 0; k < rule.Arity; k++)
                {
                    double h = 1e-6 * Math.Max(1.0, Math.Abs(k == 0 ? x : y));
                    double fd = k == 0
                        ? (Apply(rule, x + h, y) - Apply(rule, x - h, y)) / (2 * h)
                        : (Apply(rule, x, y + h) - Apply(rule, x, y - h)) / (2 * h);
                    AssertClose(fd, LocalPartial(rule, k, x, y), 1e-6, $"{rule.Op} d/d{k} at ({x}, {y})");
                    checkedCount++;
                }
            }
        }
        Assert.True(checkedCount >= OpsWithPartials.Length * 3);
    }

    [Fact]
    public void Every_partial_matches_the_tape()
    {
        foreach (OpRule rule in RulesWithPartials)
        {
            foreach ((double x, double y) in SmoothPoints(rule))
            {
                for (int k = 0; k < rule.Arity; k++)
                {
                    AssertClose(TapeLocal(rule.Op, k, x, y), LocalPartial(rule, k, x, y), 1e-12, $"{rule.Op} d/d{k} at ({x}, {y})");
                }
            }
        }
    }

    [Theory]
    [InlineData(nameof(Op.Relu), 0, 0.0, 0.0, 0.0)]
    [InlineData(nameof(Op.Abs), 0, 0.0, 0.0, 0.0)]
    [InlineData(nameof(Op.Max), 0, 1.5, 1.5, 0.0)] // ties go to the second operand
    [InlineData(nameof(Op.Max), 1, 1.5, 1.5, 1.0)]
    [InlineData(nameof(Op.Min), 0, 1.5, 1.5, 0.0)]
    [InlineData(nameof(Op.Min), 1, 1.5, 1.5, 1.0)]
    [InlineData(nameof(Op.Pow), 0, 2.0, 0.0, 0.0)] // d/dx = 0 when y = 0
    [InlineData(nameof(Op.Pow), 0, 0.0, 0.0, 0.0)]
    [InlineData(nameof(Op.Pow), 1, 0.0, 0.0, 0.0)] // d/dy = 0 at x = 0 with y >= 0, not 0 * -Infinity
    [InlineData(nameof(Op.Pow), 1, 0.0, 2.0, 0.0)]
    [InlineData(nameof(Op.Pow), 1, 0.0, 0.5, 0.0)]
    [InlineData(nameof(Op.Pow), 0, 0.0, 0.5, double.PositiveInfinity)]
    [InlineData(nameof(Op.Pow), 1, 0.0, -1.0, double.NegativeInfinity)] // y < 0: the formula, as the tape
    [InlineData(nameof(Op.Asin), 0, 1.0, 0.0, double.PositiveInfinity)]
    [InlineData(nameof(Op.Acos), 0, 1.0, 0.0, double.NegativeInfinity)]
    [InlineData(nameof(Op.Acosh), 0, 1.0, 0.0, double.PositiveInfinity)]
    [InlineData(nameof(Op.Atanh), 0, 1.0, 0.0, double.PositiveInfinity)]
    [InlineData(nameof(Op.Cbrt), 0, 0.0, 0.0, double.PositiveInfinity)] // as Sqrt at 0
    [InlineData(nameof(Op.Atan2), 0, 0.0, 0.0, double.NaN)] // 0 / 0 at the origin
    [InlineData(nameof(Op.Atan2), 1, 0.0, 0.0, double.NaN)]
    [InlineData(nameof(Op.CopySign), 0, 0.0, -2.0, -1.0)] // by the sign bits, so -1 at +0 with a negative sign source
    [InlineData(nameof(Op.CopySign), 1, 3.0, -2.0, 0.0)] // the sign source gets nothing
    [InlineData(nameof(Op.MaxMagnitude), 0, -2.0, 2.0, 0.0)] // equal magnitudes: the one Math returns, +2
    [InlineData(nameof(Op.MaxMagnitude), 1, -2.0, 2.0, 1.0)]
    [InlineData(nameof(Op.MaxMagnitude), 0, 2.0, -2.0, 1.0)] // found by the loop fuzz: here Math returns the first
    [InlineData(nameof(Op.MaxMagnitude), 1, 2.0, -2.0, 0.0)]
    [InlineData(nameof(Op.MaxMagnitude), 1, 2.0, 2.0, 1.0)]  // equal operands: the second, as Max
    [InlineData(nameof(Op.MinMagnitude), 0, -2.0, 2.0, 1.0)] // Math returns -2, the first
    [InlineData(nameof(Op.MinMagnitude), 1, 2.0, -2.0, 1.0)]
    [InlineData(nameof(Op.MinMagnitude), 0, -3.0, 2.0, 0.0)]
    [InlineData(nameof(Op.MinMagnitude), 1, -3.0, 2.0, 1.0)]
    public void Kink_conventions_match_the_tape(string opName, int k, double x, double y, double expected)
    {
        Op op = Enum.Parse<Op>(opName);
        OpRule rule = OpRules.Of(op);
        double local = LocalPartial(rule, k, x, y);
        Assert.Equal(expected, local);
        Assert.Equal(TapeLocal(op, k, x, y), local);
    }

    [Fact]
    public void Kinks_at_negative_zero_are_zero_too()
    {
        // Separate from the theory above: xUnit treats -0.0 and 0.0 as the same inline data.
        foreach (Op op in new[] { Op.Relu, Op.Abs })
        {
            Assert.Equal(0.0, LocalPartial(OpRules.Of(op), 0, -0.0, 0));
            Assert.Equal(TapeLocal(op, 0, -0.0, 0), LocalPartial(OpRules.Of(op), 0, -0.0, 0));
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    [InlineData(-0.5)]
    public void Pow_with_a_constant_exponent_matches_the_tapes_constant_pow(double exponent)
    {
        // A constant exponent takes its own branch of the rule (x^2 -> 2x, x^0 -> 0, else c x^(c-1)).
        foreach (double x in new[] { 0.0, 0.7, 2.5 })
        {
            var b = new IrBuilder();
            int a = b.Param(0, ValType.Double), c = b.Const(exponent);
            int r = b.Binary(Op.Pow, a, c);
            double local = Evaluate(b, OpRules.Of(Op.Pow).Partial!(new RuleSite(b, r, a, c), 0), x, 0);
            var v = new Value(x);
            Value p = v.Pow(exponent);
            p.Backward();
            Assert.Equal(v.Grad, local);
        }
    }

    // ---- evaluating a rule ---------------------------------------------------------------------------------

    /// <summary>The local derivative rule.Partial builds, run on the interpreter at (x, y).</summary>
    internal static double LocalPartial(OpRule rule, int k, double x, double y)
    {
        var b = new IrBuilder();
        int a = b.Param(0, ValType.Double);
        int second = rule.Arity == 2 ? b.Param(1, ValType.Double) : -1;
        int r = rule.Arity == 1 ? b.Unary(rule.Op, a) : b.Binary(rule.Op, a, second);
        Partial partial = rule.Partial!(new RuleSite(b, r, a, second), k);
        return Evaluate(b, partial, x, y);
    }

    private static double Evaluate(IrBuilder b, Partial partial, double x, double y)
    {
        var run = new IrInterpreter(x, y).Run(b.Finish());
        if (partial.IsZero) return 0.0;
        double factor = partial.Factor == Partial.None ? 1.0 : run[partial.Factor];
        return partial.Subtract ? -factor : factor;
    }

    /// <summary>The operation itself, through the interpreter's independent semantics.</summary>
    private static double Apply(OpRule rule, double x, double y)
    {
        var b = new IrBuilder();
        int a = b.Param(0, ValType.Double);
        int r = rule.Arity == 1 ? b.Unary(rule.Op, a) : b.Binary(rule.Op, a, b.Param(1, ValType.Double));
        return new IrInterpreter(x, y).Run(b.Finish())[r];
    }

    /// <summary>The tape's local derivative: one node of the operation on two leaves, then Backward.</summary>
    internal static double TapeLocal(Op op, int k, double x, double y)
    {
        var a = new Value(x);
        var b = new Value(y);
        Value r = op switch
        {
            Op.Exp => ValueMath.Exp(a), Op.Log => ValueMath.Log(a), Op.Sqrt => ValueMath.Sqrt(a),
            Op.Tanh => ValueMath.Tanh(a), Op.Sin => ValueMath.Sin(a), Op.Cos => ValueMath.Cos(a),
            Op.Tan => ValueMath.Tan(a), Op.Atan => ValueMath.Atan(a), Op.Abs => ValueMath.Abs(a),
            Op.Relu => ValueMath.Relu(a), Op.Sigmoid => ValueMath.Sigmoid(a), Op.Softplus => ValueMath.Softplus(a),
            Op.Neg => -a, Op.Add => a + b, Op.Sub => a - b, Op.Mul => a * b, Op.Div => a / b,
            Op.Pow => ValueMath.Pow(a, b), Op.Max => ValueMath.Max(a, b), Op.Min => ValueMath.Min(a, b),
            Op.Asin => ValueMath.Asin(a), Op.Acos => ValueMath.Acos(a), Op.Sinh => ValueMath.Sinh(a), Op.Cosh => ValueMath.Cosh(a),
            Op.Asinh => ValueMath.Asinh(a), Op.Acosh => ValueMath.Acosh(a), Op.Atanh => ValueMath.Atanh(a),
            Op.Log10 => ValueMath.Log10(a), Op.Log2 => ValueMath.Log2(a), Op.Exp2 => ValueMath.Exp2(a), Op.Exp10 => ValueMath.Exp10(a),
            Op.Cbrt => ValueMath.Cbrt(a), Op.Atan2 => ValueMath.Atan2(a, b), Op.LogBase => ValueMath.Log(a, b),
            Op.CopySign => ValueMath.CopySign(a, b), Op.MaxMagnitude => ValueMath.MaxMagnitude(a, b), Op.MinMagnitude => ValueMath.MinMagnitude(a, b),
            _ => throw new NotSupportedException($"no tape counterpart known for {op}: add it here"),
        };
        r.Backward();
        return k == 0 ? a.Grad : b.Grad;
    }

    /// <summary>Points inside each operation's domain and away from its kinks (finite differences need smoothness).</summary>
    private static IEnumerable<(double X, double Y)> SmoothPoints(OpRule rule) => rule.Op switch
    {
        Op.Log or Op.Sqrt or Op.Log10 or Op.Log2 => [(0.3, 0), (1.0, 0), (2.7, 0), (9.5, 0)],
        Op.Asin or Op.Acos or Op.Atanh => [(-0.9, 0), (-0.4, 0), (0.2, 0), (0.75, 0)],
        Op.Acosh => [(1.1, 0), (1.9, 0), (4.5, 0), (30.0, 0)],
        Op.LogBase => [(0.7, 1.9), (2.5, 0.4), (9.0, 3.0), (1.3, 10.0)],
        // Away from the kinks: a sign change (CopySign), equal magnitudes (MaxMagnitude, MinMagnitude).
        Op.CopySign => [(0.7, 1.9), (-1.9, 0.7), (-1.3, -0.4), (2.5, -0.4)],
        Op.Pow => [(0.7, 1.9), (1.9, -0.4), (2.5, 3.0), (1.3, 0.5)],
        _ when rule.Arity == 1 => [(-1.3, 0), (-0.4, 0), (0.7, 0), (1.9, 0)],
        _ => [(0.7, 1.9), (1.9, 0.7), (-1.3, 0.4), (2.5, -0.4)],
    };

    internal static void AssertClose(double expected, double actual, double relative, string what)
    {
        if (double.IsNaN(expected) || double.IsInfinity(expected))
        {
            Assert.True(expected.Equals(actual), $"{what}: expected {expected}, got {actual}");
            return;
        }
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1.0, Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R}");
    }
}

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
    ];

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
            _ => throw new NotSupportedException($"no tape counterpart known for {op}: add it here"),
        };
        r.Backward();
        return k == 0 ? a.Grad : b.Grad;
    }

    /// <summary>Points inside each operation's domain and away from its kinks (finite differences need smoothness).</summary>
    private static IEnumerable<(double X, double Y)> SmoothPoints(OpRule rule) => rule.Op switch
    {
        Op.Log or Op.Sqrt => [(0.3, 0), (1.0, 0), (2.7, 0), (9.5, 0)],
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

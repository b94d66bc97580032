using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Differentiation;
using SymGrad.Generators.Emitting;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;
using SymGrad.Generators.Parsing;
using SymGrad.Generators.Pipeline;
using static SymGrad.Tests.Phases.HandBuiltIr;

namespace SymGrad.Tests.Phases;

/// <summary>
/// Reverse mode alone, on hand-built IR: the gradient program (forward + backward sweep, after DCE) is run on the
/// test interpreter and each adjoint compared with the closed-form derivative and with the <see cref="Value"/> tape.
/// </summary>
public class ReverseModeTests
{
    private static readonly (double X, double Y)[] Points = [(0.7, 1.9), (1.9, 0.7), (-1.3, 0.4), (2.5, -3.0)];

    /// <summary>f(x, y) = x * y + sin x.</summary>
    private static MethodIr ProductPlusSine() => Method([Scalar("x"), Scalar("y")], Block(
        new ParamInstr(0, ValType.Double, 0),
        new ParamInstr(1, ValType.Double, 1),
        new BinaryInstr(2, ValType.Double, Op.Mul, 0, 1),
        new UnaryInstr(3, ValType.Double, Op.Sin, 0),
        new BinaryInstr(4, ValType.Double, Op.Add, 2, 3)), ret: 4);

    /// <summary>f(x, y) = (x > y ? x * x * y : exp x - y) * x: a phi, then a use of it and of x after the branch.</summary>
    private static MethodIr Branchy() => Method([Scalar("x"), Scalar("y")], Block(
        new ParamInstr(0, ValType.Double, 0),
        new ParamInstr(1, ValType.Double, 1),
        new CompareInstr(2, Op.Gt, 0, 1),
        If(2,
            Block(new BinaryInstr(3, ValType.Double, Op.Mul, 0, 0), new BinaryInstr(4, ValType.Double, Op.Mul, 3, 1)),
            Block(new UnaryInstr(5, ValType.Double, Op.Exp, 0), new BinaryInstr(6, ValType.Double, Op.Sub, 5, 1)),
            Phi(7, 4, 6)),
        new BinaryInstr(8, ValType.Double, Op.Mul, 7, 0)), ret: 8);

    /// <summary>f(x, y) = x / y.</summary>
    private static MethodIr Quotient() => Method([Scalar("x"), Scalar("y")], Block(
        new ParamInstr(0, ValType.Double, 0),
        new ParamInstr(1, ValType.Double, 1),
        new BinaryInstr(2, ValType.Double, Op.Div, 0, 1)), ret: 2);

    [Fact]
    public void Product_plus_sine()
    {
        GradientIr gradient = Gradient(ProductPlusSine());
        foreach ((double x, double y) in Points)
        {
            (double value, Dictionary<int, double> d) = Evaluate(gradient, x, y);
            Assert.Equal(x * y + Math.Sin(x), value);
            AssertGradient(d, y + Math.Cos(x), x, (a, b) => a * b + ValueMath.Sin(a), x, y);
        }
    }

    [Fact]
    public void Branch_with_phi_differentiates_the_taken_side()
    {
        GradientIr gradient = Gradient(Branchy());
        Assert.Contains(gradient.Backward.Nodes, i => i is IfInstr); // the backward sweep branches too
        foreach ((double x, double y) in Points)
        {
            (double value, Dictionary<int, double> d) = Evaluate(gradient, x, y);
            bool then = x > y;
            Assert.Equal((then ? x * x * y : Math.Exp(x) - y) * x, value);
            double dx = then ? 3 * x * x * y : Math.Exp(x) * x + Math.Exp(x) - y, dy = then ? x * x * x : -x;
            AssertGradient(d, dx, dy, (a, b) => (a.Data > b.Data ? a * a * b : ValueMath.Exp(a) - b) * a, x, y);
        }
    }

    [Fact]
    public void Quotient_has_the_overflow_safe_partials()
    {
        GradientIr gradient = Gradient(Quotient());
        foreach ((double x, double y) in Points)
        {
            (_, Dictionary<int, double> d) = Evaluate(gradient, x, y);
            AssertGradient(d, 1 / y, -x / (y * y), (a, b) => a / b, x, y);
        }
    }

    [Theory]
    [InlineData(-2.0, -4.0)]
    [InlineData(4.0, 0.25)]
    public void An_untaken_branch_cannot_put_NaN_in_the_gradient(double x, double expected)
    {
        // f(x) = x > 0 ? log x : x * x; at x < 0 log x (and 1/x) would be NaN (and negative), but that side did not run.
        MethodIr ir = Method([Scalar("x")], Block(
            new ParamInstr(0, ValType.Double, 0),
            new ConstInstr(1, ValType.Double, 0.0),
            new CompareInstr(2, Op.Gt, 0, 1),
            If(2, Block(new UnaryInstr(3, ValType.Double, Op.Log, 0)), Block(new BinaryInstr(4, ValType.Double, Op.Mul, 0, 0)),
                Phi(5, 3, 4))), ret: 5);
        Assert.Equal(expected, Evaluate(Gradient(ir), x).Adjoints[0]);
    }

    [Fact]
    public void A_select_sends_the_adjoint_to_the_selected_value()
    {
        // f(x, y) = x > y ? x * x : y
        MethodIr ir = Method([Scalar("x"), Scalar("y")], Block(
            new ParamInstr(0, ValType.Double, 0),
            new ParamInstr(1, ValType.Double, 1),
            new CompareInstr(2, Op.Gt, 0, 1),
            new BinaryInstr(3, ValType.Double, Op.Mul, 0, 0),
            new SelectInstr(4, ValType.Double, 2, 3, 1)), ret: 4);
        GradientIr gradient = Gradient(ir);
        foreach ((double x, double y) in Points)
        {
            Dictionary<int, double> d = Evaluate(gradient, x, y).Adjoints;
            Assert.Equal(x > y ? 2 * x : 0.0, d[0]);
            Assert.Equal(x > y ? 0.0 : 1.0, d[1]);
        }
    }

    [Fact]
    public void Only_differentiable_parameters_get_adjoints_and_an_unread_one_gets_zero()
    {
        // f(x, c, n, z) = x * c * n with c [NoDerivative], n an int, z never read.
        MethodIr ir = Method([Scalar("x"), Scalar("c", noDerivative: true), Int("n"), Scalar("z")], Block(
            new ParamInstr(0, ValType.Double, 0),
            new ParamInstr(1, ValType.Double, 1),
            new ParamInstr(2, ValType.Int, 2),
            new UnaryInstr(3, ValType.Double, Op.IntToDouble, 2),
            new BinaryInstr(4, ValType.Double, Op.Mul, 0, 1),
            new BinaryInstr(5, ValType.Double, Op.Mul, 4, 3)), ret: 5);
        GradientIr gradient = Gradient(ir);
        Assert.Equal(new[] { 0, 3 }, gradient.Outputs.Select(o => o.Param).OrderBy(p => p));
        Dictionary<int, double> d = Evaluate(gradient, 1.5, 2.5, 3, 9.0).Adjoints;
        Assert.Equal(2.5 * 3, d[0]);
        Assert.Equal(0.0, d[3]);
    }

    [Fact]
    public void An_active_operation_without_a_derivative_rule_throws_instead_of_giving_zero()
    {
        MethodIr ir = DoubleRemainder();
        HashSet<int> active = Activity.Of(ir);
        Assert.Contains(2, active); // the precondition: the remainder really is active
        var e = Assert.Throws<InvalidOperationException>(() => ReverseMode.Differentiate(ir, active));
        Assert.Contains("Rem", e.Message);
    }

    [Fact]
    public void The_pipeline_reports_a_missing_derivative_rule_as_the_internal_error_SG0099()
    {
        var spec = new MethodSpec("Demo", new[] { new TypeDecl("class", "Hand", "") }.ToEquatableArray(), "F", "public", DoubleRemainder());
        EmittedMethod emitted = MethodPipeline.Run(spec, CancellationToken.None);
        Assert.NotNull(emitted.Error);
        Assert.Equal(DiagnosticDescriptors.InternalError.Id, emitted.Error!.Id);
        Assert.Equal("SG0099", emitted.Error.Id);
        Assert.Equal("F", emitted.Error.Arguments[0]);
        Assert.Contains(nameof(InvalidOperationException), emitted.Error.Arguments[1]);
        Assert.Equal("", emitted.Members);
    }

    /// <summary>f(x) = x % 2.0 on doubles: no front end makes this, and the rule table has no derivative for it.</summary>
    private static MethodIr DoubleRemainder() => Method([Scalar("x")], Block(
        new ParamInstr(0, ValType.Double, 0),
        new ConstInstr(1, ValType.Double, 2.0),
        new BinaryInstr(2, ValType.Double, Op.Rem, 0, 1)), ret: 2);

    /// <summary>The adjoints of parameters 0 and 1 against the closed form (1e-12) and against the tape (1e-12).</summary>
    private static void AssertGradient(Dictionary<int, double> d, double dx, double dy, Func<Value, Value, Value> tape, double x, double y)
    {
        RuleTableTests.AssertClose(dx, d[0], 1e-12, $"d/dx at ({x}, {y})");
        RuleTableTests.AssertClose(dy, d[1], 1e-12, $"d/dy at ({x}, {y})");
        var a = new Value(x);
        var b = new Value(y);
        tape(a, b).Backward();
        RuleTableTests.AssertClose(a.Grad, d[0], 1e-12, $"tape d/dx at ({x}, {y})");
        RuleTableTests.AssertClose(b.Grad, d[1], 1e-12, $"tape d/dy at ({x}, {y})");
    }
}

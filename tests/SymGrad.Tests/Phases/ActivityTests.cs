using SymGrad.Generators.Differentiation;
using SymGrad.Generators.Ir;
using static SymGrad.Tests.Phases.HandBuiltIr;

namespace SymGrad.Tests.Phases;

/// <summary>
/// Activity analysis alone: exactly the double values that depend on a differentiable parameter are active, so
/// constants, ints and [NoDerivative] inputs cost nothing in the backward sweep, and no dependency is missed.
/// </summary>
public class ActivityTests
{
    // Parameters: x (differentiable), c ([NoDerivative]), n (int), v (differentiable array), w ([NoDerivative] array).
    private static readonly ParamSpec[] Params =
        [Scalar("x"), Scalar("c", noDerivative: true), Int("n"), Array("v", 1), Array("w", 1, noDerivative: true)];

    private static MethodIr Program() => Method(Params, Block(
        new ParamInstr(0, ValType.Double, 0),
        new ParamInstr(1, ValType.Double, 1),
        new ParamInstr(2, ValType.Int, 2),
        new LoadInstr(3, 3, 0, -1),
        new LoadInstr(4, 4, 0, -1),
        new ConstInstr(5, ValType.Double, 2.0),
        new BinaryInstr(6, ValType.Double, Op.Mul, 1, 1),          // c * c
        new UnaryInstr(7, ValType.Double, Op.IntToDouble, 2),      // (double)n
        new BinaryInstr(8, ValType.Double, Op.Mul, 0, 1),          // x * c
        new BinaryInstr(9, ValType.Double, Op.Mul, 4, 5),          // w[0] * 2
        new UnaryInstr(10, ValType.Double, Op.Exp, 3),             // exp(v[0])
        new CompareInstr(11, Op.Gt, 0, 5),                         // x > 2: a bool, never active
        new BinaryInstr(12, ValType.Double, Op.Add, 7, 6),         // (double)n + c * c
        new UnaryInstr(13, ValType.Double, Op.Exp, 5),             // exp(2)
        new SelectInstr(14, ValType.Double, 11, 6, 8),             // one side active
        new SelectInstr(15, ValType.Double, 11, 6, 7),             // neither side
        new UnaryInstr(16, ValType.Int, Op.DoubleToInt, 0),        // (int)x: piecewise constant, an int
        new UnaryInstr(17, ValType.Double, Op.IntToDouble, 16),    // (double)(int)x
        If(11,
            Block(new BinaryInstr(18, ValType.Double, Op.Mul, 0, 0)),
            Block(new BinaryInstr(19, ValType.Double, Op.Mul, 1, 5)),
            Phi(20, 18, 19),                                       // x * x or c * 2: active through the then side
            Phi(21, 6, 19),                                        // c * c or c * 2: inactive on both sides
            Phi(22, 5, 10),                                        // 2 or exp(v[0]): active through the else side only
            Phi(23, 2, 16, ValType.Int)),                          // an int phi is never active
        new BinaryInstr(24, ValType.Double, Op.Add, 21, 22)),      // inactive + active
        ret: 24);

    private static readonly HashSet<int> Active = Activity.Of(Program());

    [Theory]
    [InlineData(0)]  // the differentiable parameter itself
    [InlineData(3)]  // an element of a differentiable array
    [InlineData(8)]  // x * c: c is [NoDerivative] but x is not
    [InlineData(10)]
    [InlineData(14)] // a select with one active side
    [InlineData(18)]
    [InlineData(20)] // phi active from the then side
    [InlineData(22)] // phi active from the else side
    [InlineData(24)]
    public void Values_depending_on_a_differentiable_parameter_are_active(int id) => Assert.Contains(id, Active);

    [Theory]
    [InlineData(1)]  // a [NoDerivative] parameter
    [InlineData(2)]  // an int parameter
    [InlineData(4)]  // an element of a [NoDerivative] array
    [InlineData(5)]  // a constant
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(11)] // a comparison of an active value
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(15)]
    [InlineData(16)] // an int computed from an active double
    [InlineData(17)] // ... and back to double: the dependency is cut by the int
    [InlineData(19)]
    [InlineData(21)]
    [InlineData(23)]
    public void Values_of_constants_ints_and_NoDerivative_inputs_are_inactive(int id) => Assert.DoesNotContain(id, Active);

    [Fact]
    public void Every_value_is_classified_by_the_lists_above()
    {
        // The two theories together name every id of the program, so a new instruction cannot go unchecked.
        Assert.Equal(Enumerable.Range(0, 25).OrderBy(i => i), Ids(Program().Body).OrderBy(i => i));
        Assert.Equal(new[] { 0, 3, 8, 10, 14, 18, 20, 22, 24 }, Active.OrderBy(i => i));
    }

    [Fact]
    public void A_method_with_only_NoDerivative_inputs_has_nothing_active()
    {
        MethodIr ir = Method([Scalar("c", noDerivative: true)], Block(
            new ParamInstr(0, ValType.Double, 0),
            new UnaryInstr(1, ValType.Double, Op.Sin, 0)), ret: 1);
        Assert.Empty(Activity.Of(ir));
    }

    [Fact]
    public void Activity_flows_through_nested_branches()
    {
        MethodIr ir = Method([Scalar("x"), Scalar("c", noDerivative: true)], Block(
            new ParamInstr(0, ValType.Double, 0),
            new ParamInstr(1, ValType.Double, 1),
            new CompareInstr(2, Op.Gt, 1, 1),
            If(2,
                Block(If(2, Block(new UnaryInstr(3, ValType.Double, Op.Sin, 0)), Block(), Phi(4, 3, 1))),
                Block(),
                Phi(5, 4, 1))), ret: 5);
        Assert.Equal(new[] { 0, 3, 4, 5 }, Activity.Of(ir).OrderBy(i => i));
    }
}

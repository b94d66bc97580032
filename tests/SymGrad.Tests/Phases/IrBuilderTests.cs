using SymGrad.Generators.Ir;

namespace SymGrad.Tests.Phases;

/// <summary>
/// The builder's on-the-fly optimisations alone: identities and folds must be exact for every input (NaN,
/// infinities, signed zeros), so the ones that are not (x + 0.0, x * 0.0, transcendentals) must be left alone.
/// </summary>
public class IrBuilderTests
{
    private readonly IrBuilder _b = new();
    private readonly int _x;
    private readonly int _y;

    public IrBuilderTests()
    {
        _x = _b.Param(0, ValType.Double);
        _y = _b.Param(1, ValType.Double);
    }

    [Fact]
    public void Exact_identities_return_the_operand_itself()
    {
        Assert.Equal(_x, _b.Binary(Op.Mul, _x, _b.Const(1.0)));
        Assert.Equal(_x, _b.Binary(Op.Mul, _b.Const(1.0), _x));
        Assert.Equal(_x, _b.Binary(Op.Div, _x, _b.Const(1.0)));
        Assert.Equal(_x, _b.Binary(Op.Sub, _x, _b.Const(0.0)));
        Assert.Equal(_x, _b.Binary(Op.Add, _x, _b.Const(-0.0)));
        Assert.Equal(_x, _b.Binary(Op.Add, _b.Const(-0.0), _x));
        Assert.Equal(_x, _b.Unary(Op.Neg, _b.Unary(Op.Neg, _x)));
    }

    [Fact]
    public void Adding_positive_zero_is_kept_because_it_turns_negative_zero_into_positive()
    {
        int sum = _b.Binary(Op.Add, _x, _b.Const(0.0));
        Assert.NotEqual(_x, sum);
        Assert.IsType<BinaryInstr>(_b.Def(sum));
        // Why: at x = -0.0 the sum is +0.0, which 1/x tells apart.
        double value = new IrInterpreter(-0.0, 0).Run(_b.Finish())[sum];
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.0), BitConverter.DoubleToInt64Bits(value));
    }

    [Fact]
    public void Subtracting_negative_zero_is_kept()
    {
        // x - (-0.0) is x + 0.0: the same -0 -> +0 change.
        Assert.IsType<BinaryInstr>(_b.Def(_b.Binary(Op.Sub, _x, _b.Const(-0.0))));
    }

    [Fact]
    public void Double_times_zero_is_kept_because_it_is_NaN_at_infinity()
    {
        int product = _b.Binary(Op.Mul, _x, _b.Const(0.0));
        Assert.IsType<BinaryInstr>(_b.Def(product));
        Assert.True(double.IsNaN(new IrInterpreter(double.PositiveInfinity, 0).Run(_b.Finish())[product]));
    }

    [Fact]
    public void Int_times_zero_folds_to_zero()
    {
        int n = _b.Param(2, ValType.Int);
        int product = _b.Binary(Op.Mul, n, _b.Const(0, ValType.Int));
        Assert.True(_b.TryGetConst(product, out double v));
        Assert.Equal(0.0, v);
        Assert.Equal(ValType.Int, _b.TypeOf(product));
    }

    [Fact]
    public void Times_minus_one_becomes_a_negation()
    {
        int product = _b.Binary(Op.Mul, _x, _b.Const(-1.0));
        Assert.Equal(new UnaryInstr(product, ValType.Double, Op.Neg, _x), _b.Def(product) with { Origin = -1 });
    }

    [Fact]
    public void Constants_fold_to_constants()
    {
        int six = _b.Binary(Op.Mul, _b.Const(2.0), _b.Const(3.0));
        Assert.Equal(new ConstInstr(six, ValType.Double, 6.0), _b.Def(six));
        Assert.Equal(_b.Const(6.0), six); // and the folded constant is the shared one
    }

    [Fact]
    public void Int_overflow_folds_with_unchecked_wrap_around()
    {
        int sum = _b.Binary(Op.Add, _b.Const(int.MaxValue, ValType.Int), _b.Const(1, ValType.Int));
        Assert.True(_b.TryGetConst(sum, out double v));
        Assert.Equal(unchecked(int.MaxValue + 1), v);
        Assert.Equal(ValType.Int, _b.TypeOf(sum));
    }

    [Fact]
    public void Int_division_by_a_zero_constant_is_left_to_throw_at_run_time()
    {
        int quotient = _b.Binary(Op.Div, _b.Const(1, ValType.Int), _b.Const(0, ValType.Int));
        Assert.IsType<BinaryInstr>(_b.Def(quotient));
    }

    [Fact]
    public void A_transcendental_of_a_constant_is_not_folded()
    {
        int e = _b.Unary(Op.Exp, _b.Const(1.0));
        Assert.IsType<UnaryInstr>(_b.Def(e));
        Assert.Equal(Math.Exp(1.0), new IrInterpreter(0, 0).Run(_b.Finish())[e]);
    }

    [Fact]
    public void The_same_operation_twice_is_one_value()
    {
        Assert.Equal(_b.Binary(Op.Sub, _x, _y), _b.Binary(Op.Sub, _x, _y));
        Assert.Equal(_b.Unary(Op.Sin, _x), _b.Unary(Op.Sin, _x));
        Assert.Equal(_b.Param(0, ValType.Double), _x);
    }

    [Fact]
    public void Commutative_operations_are_shared_across_operand_order()
    {
        Assert.Equal(_b.Binary(Op.Mul, _x, _y), _b.Binary(Op.Mul, _y, _x));
        Assert.Equal(_b.Binary(Op.Add, _x, _y), _b.Binary(Op.Add, _y, _x));
        Assert.NotEqual(_b.Binary(Op.Sub, _x, _y), _b.Binary(Op.Sub, _y, _x));
        Assert.NotEqual(_b.Binary(Op.Div, _x, _y), _b.Binary(Op.Div, _y, _x));
    }

    [Fact]
    public void A_value_inside_a_branch_is_not_shared_with_code_after_the_branch()
    {
        _b.PushBlock();
        int inside = _b.Unary(Op.Sin, _x);
        _b.PopBlock();
        // Only the taken branch runs, so a value of the branch cannot be reused outside it.
        Assert.NotEqual(inside, _b.Unary(Op.Sin, _x));
    }

    [Theory]
    [InlineData(nameof(Op.Lt), 1.5, 0.0)]
    [InlineData(nameof(Op.Gt), double.NaN, 0.0)]
    [InlineData(nameof(Op.Eq), 1.5, 1.0)]
    [InlineData(nameof(Op.Eq), double.NaN, 0.0)]
    [InlineData(nameof(Op.Le), double.NaN, 0.0)]
    [InlineData(nameof(Op.Ge), double.PositiveInfinity, 1.0)]
    [InlineData(nameof(Op.Ne), double.NaN, 1.0)]
    [InlineData(nameof(Op.Ne), -0.0, 0.0)]
    public void A_double_compared_with_itself_is_decided_by_NaN_only(string opName, double x, double expected)
    {
        Op op = Enum.Parse<Op>(opName);
        int cmp = _b.Compare(op, _x, _x);
        Assert.IsNotType<CompareInstr>(_b.Def(cmp));
        Assert.Equal(expected, new IrInterpreter(x, 0).Run(_b.Finish())[cmp]);
    }

    [Fact]
    public void Less_than_itself_is_the_constant_false_and_int_equality_with_itself_true()
    {
        Assert.True(_b.TryGetConst(_b.Compare(Op.Lt, _x, _x), out double lt));
        Assert.Equal(0.0, lt);
        int n = _b.Param(2, ValType.Int);
        Assert.True(_b.TryGetConst(_b.Compare(Op.Eq, n, n), out double eq));
        Assert.Equal(1.0, eq);
    }

    [Fact]
    public void Comparisons_of_constants_fold_with_IEEE_semantics()
    {
        Assert.True(_b.TryGetConst(_b.Compare(Op.Eq, _b.Const(0.0), _b.Const(-0.0)), out double zeros));
        Assert.Equal(1.0, zeros);
        Assert.True(_b.TryGetConst(_b.Compare(Op.Ne, _b.Const(double.NaN), _b.Const(double.NaN)), out double nan));
        Assert.Equal(1.0, nan);
    }
}

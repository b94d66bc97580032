using SymGrad.Generators.Differentiation;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;
using SymGrad.Generators.Optimization;
using static SymGrad.Tests.Phases.HandBuiltIr;

namespace SymGrad.Tests.Phases;

/// <summary>
/// Dead-code elimination alone: it must remove what reaches no root (so the emitted code has no unused locals) and
/// keep everything that does (or the emitted code reads an undefined value), including forward values that only
/// the backward sweep reads.
/// </summary>
public class DeadCodeEliminationTests
{
    /// <summary>
    /// x; 2; x * 2 (the result); sin x and exp(sin x) (dead); if (x > 1) { cos x; log x } else { tan x } with
    /// phis (cos x | tan x) and (log x | 2).
    /// </summary>
    private static Block Program() => Block(
        new ParamInstr(0, ValType.Double, 0),
        new ConstInstr(1, ValType.Double, 2.0),
        new BinaryInstr(2, ValType.Double, Op.Mul, 0, 1),
        new UnaryInstr(3, ValType.Double, Op.Sin, 0),
        new UnaryInstr(4, ValType.Double, Op.Exp, 3),
        new CompareInstr(5, Op.Gt, 0, 1),
        If(5,
            Block(new UnaryInstr(6, ValType.Double, Op.Cos, 0), new UnaryInstr(9, ValType.Double, Op.Log, 0)),
            Block(new UnaryInstr(7, ValType.Double, Op.Tan, 0)),
            Phi(8, 6, 7),
            Phi(10, 9, 1)));

    [Fact]
    public void Removes_unused_instructions_and_a_branch_none_of_whose_phis_is_used()
    {
        Block kept = DeadCodeElimination.Run(Program(), [2]);
        Assert.Equal(new[] { 0, 1, 2 }, Ids(kept)); // the if, its condition and its contents are gone
    }

    [Fact]
    public void Keeps_a_branch_whose_phi_is_used_dropping_its_unused_phis_and_their_values()
    {
        Block kept = DeadCodeElimination.Run(Program(), [8]);
        IfInstr region = Assert.Single(kept.Nodes.OfType<IfInstr>());
        Assert.Equal(new[] { 8 }, region.Phis.Select(p => p.Id));
        Assert.Equal(new[] { 6 }, Ids(region.Then)); // log x fed only the dropped phi
        Assert.Equal(new[] { 7 }, Ids(region.Else));
        Assert.Equal(new[] { 0, 1, 5, 6, 7, 8 }, Ids(kept)); // the condition is kept, x * 2 and sin x are not
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3.0)]
    public void What_is_kept_computes_the_same_roots(double x)
    {
        Block original = Program();
        Block kept = DeadCodeElimination.Run(original, [2, 8, 10]);
        IrInterpreter before = new IrInterpreter(x).Run(original), after = new IrInterpreter(x).Run(kept);
        foreach (int root in new[] { 2, 8, 10 }) Assert.Equal(before[root], after[root]);
        Assert.False(after.Has(4));
    }

    [Fact]
    public void Gradient_keeps_forward_values_the_backward_sweep_reads()
    {
        // Forward: x, sin x, exp x (dead), x * x (returned). Backward: reads sin x, plus a dead cos x of its own.
        MethodIr primal = Method([Scalar("x")], Block(), 0);
        Block forward = Block(
            new ParamInstr(0, ValType.Double, 0),
            new UnaryInstr(1, ValType.Double, Op.Sin, 0),
            new UnaryInstr(2, ValType.Double, Op.Exp, 0),
            new BinaryInstr(3, ValType.Double, Op.Mul, 0, 0));
        Block backward = Block(
            new ConstInstr(4, ValType.Double, 2.0),
            new BinaryInstr(5, ValType.Double, Op.Mul, 1, 4),
            new UnaryInstr(6, ValType.Double, Op.Cos, 0));
        var gradient = new GradientIr(primal, forward, backward, 3, new[] { new AdjointOutput(0, -1, -1, 5) }.ToEquatableArray(), EquatableArray<int>.Empty);

        GradientIr kept = DeadCodeElimination.Run(gradient);
        Assert.Equal(new[] { 0, 1, 3 }, Ids(kept.Forward));
        Assert.Equal(new[] { 4, 5 }, Ids(kept.Backward));
    }

    [Fact]
    public void Gradient_keeps_a_forward_value_dead_in_the_method_but_shared_by_its_derivative()
    {
        // f(x) = sin x with an unused cos x in the body: the derivative of sin is that very cos x (the backward
        // sweep reuses forward values), so DCE of the gradient must keep it although the return does not read it.
        MethodIr ir = Method([Scalar("x")], Block(
            new ParamInstr(0, ValType.Double, 0),
            new UnaryInstr(1, ValType.Double, Op.Cos, 0),
            new UnaryInstr(2, ValType.Double, Op.Exp, 0),
            new UnaryInstr(3, ValType.Double, Op.Sin, 0)), ret: 3);
        GradientIr gradient = Gradient(ir);
        Assert.Equal(new[] { 0, 1, 3 }, Ids(gradient.Forward)); // exp x, read by nothing, is removed
        foreach (double x in new[] { -1.0, 0.3, 2.0 }) Assert.Equal(Math.Cos(x), Evaluate(gradient, x).Adjoints[0]);
        // The tape's own program, without the gradient's roots, does drop cos x.
        Assert.Equal(new[] { 0, 3 }, Ids(DeadCodeElimination.Run(ir.Body, [ir.Return])));
    }
}

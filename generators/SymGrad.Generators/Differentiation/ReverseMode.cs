using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Ir.Rules;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Differentiation;

/// <summary>
/// Reverse-mode differentiation of a lowered method. The backward sweep walks the forward IR from the end,
/// building adjoint values with the same <see cref="IrBuilder"/> (so the adjoint code is folded and shared as
/// it is made). An if/else region becomes an if/else on the same condition in the backward sweep: only the
/// branch that ran forward is differentiated, so a branch that was not taken cannot put a NaN in the gradient.
/// Adjoints that differ between the two branches meet in phis, exactly as variables do in the forward sweep.
/// </summary>
internal sealed partial class ReverseMode
{
    private readonly MethodIr _ir;
    private readonly IrBuilder _b;
    private readonly HashSet<int> _active;

    private ReverseMode(MethodIr ir, HashSet<int> active)
    {
        _ir = ir;
        _b = new IrBuilder(ir.NextId, ir.Real);
        _active = active;
        Import(ir.Body, outermost: true);
    }

    /// <summary>The gradient program of <paramref name="ir"/>, given which of its values are active (<see cref="Activity"/>); not yet optimised.</summary>
    public static GradientIr Differentiate(MethodIr ir, HashSet<int> active) => new ReverseMode(ir, active).Run();

    private void Import(Block block, bool outermost)
    {
        foreach (Node node in block.Nodes)
        {
            _b.Import(node, outermost);
            foreach (Block inner in IrWalk.Blocks(node)) Import(inner, false);
        }
    }

    private GradientIr Run()
    {
        var adj = new Dictionary<int, int>();
        if (_active.Contains(_ir.Return)) adj[_ir.Return] = _b.Const(1.0);
        _frozenLoads.UnionWith(Reloadable(_ir.Body));
        Reverse(_ir.Body, adj);

        // Every differentiable parameter's adjoint is memory the sweep accumulates into (AdjointWrites turns
        // single accumulations at constant indices back into writes); the zero is there for the elements never read.
        _b.Const(0.0);
        var accumulated = Enumerable.Range(0, _ir.Params.Count).Where(p => _ir.Params[p].IsDifferentiable).ToEquatableArray();
        Block backward = _b.Finish();
        return new GradientIr(_ir, WithTape(_ir.Body), backward, _ir.Return, EquatableArray<AdjointOutput>.Empty, accumulated);
    }

    private void Reverse(Block block, Dictionary<int, int> adj)
    {
        AllocateAdjointArrays(block);
        for (int k = block.Nodes.Count - 1; k >= 0; k--)
        {
            Node node = block.Nodes[k];
            _b.Origin = node.Origin;
            switch (node)
            {
                case StoreLocal store when _active.Contains(store.Array):
                    ReverseStore(store, adj, block, k);
                    break;
                case IfInstr region:
                    ReverseIf(region, adj);
                    break;
                case LoopRegion loop when ReferenceEquals(block, _ir.Body) && TryReverseInPlace(loop, k, adj):
                    break;
                case LoopRegion loop:
                    ReverseLoop(loop, adj);
                    break;
                case Instr instr when _active.Contains(instr.Id) && adj.TryGetValue(instr.Id, out int g):
                    Propagate(instr, g, adj);
                    break;
                case Region other:
                    throw new System.InvalidOperationException($"reverse mode does not know the region {other.GetType().Name}");
            }
        }
    }

    private void ReverseIf(IfInstr region, Dictionary<int, int> adj)
    {
        if (!region.Phis.Any(p => adj.ContainsKey(p.Id)) && !WritesActiveMemory(region)) return; // nothing flows back into either branch

        var thenAdj = new Dictionary<int, int>(adj);
        var elseAdj = new Dictionary<int, int>(adj);
        Block thenBlock = ReverseBranch(region, region.Then, thenAdj, p => p.Then);
        Block elseBlock = ReverseBranch(region, region.Else, elseAdj, p => p.Else);

        var inside = new HashSet<int>(IrWalk.Defined(region));
        var phis = new List<Phi>();
        foreach (int key in thenAdj.Keys.Union(elseAdj.Keys).Where(k => !inside.Contains(k)).OrderBy(k => k).ToList())
        {
            bool hasThen = thenAdj.TryGetValue(key, out int t), hasElse = elseAdj.TryGetValue(key, out int e);
            if (hasThen && hasElse && t == e)
            {
                adj[key] = t;
                continue;
            }
            int id = _b.NewId();
            phis.Add(new Phi(id, ValType.Double, hasThen ? t : _b.Const(0.0), hasElse ? e : _b.Const(0.0), null) { AdjointOf = key });
            adj[key] = id;
        }
        foreach (Phi phi in region.Phis) adj.Remove(phi.Id);
        _b.Origin = region.Origin;
        _b.AddIf(region.Cond, thenBlock, elseBlock, phis);
    }

    /// <summary>
    /// The backward sweep of one branch, in a block of its own: the phis' adjoints flow into the branch's values
    /// there (not before the if, where the other branch would pay for them), then the branch runs backwards,
    /// reusing what the forward branch computed.
    /// </summary>
    private Block ReverseBranch(IfInstr region, Block forward, Dictionary<int, int> adj, System.Func<Phi, int> side)
    {
        _b.PushBlock();
        foreach (Instr instr in forward.Nodes.OfType<Instr>()) _b.Share(instr);
        foreach (Phi phi in region.Phis)
        {
            if (adj.TryGetValue(phi.Id, out int g) && _active.Contains(side(phi))) Accumulate(adj, side(phi), g);
        }
        Reverse(forward, adj);
        return _b.PopBlock();
    }

    /// <summary>
    /// Adds the contributions of one instruction's adjoint <paramref name="g"/> to its active operands': each is the
    /// operation's local derivative (from <see cref="OpRules"/>, the tape's own formulas) times <paramref name="g"/>.
    /// In exact arithmetic any form would do; in IEEE arithmetic these make the generated gradient and the tape
    /// overflow, underflow and propagate NaN in the same places. An active operation without a rule is an internal
    /// error (SG0099), never a silent zero.
    /// </summary>
    private void Propagate(Instr instr, int g, Dictionary<int, int> adj)
    {
        switch (instr)
        {
            // An input: its adjoint goes to the gradient's output for that parameter (element).
            case ParamInstr p:
                _b.AddEffect(new AddToAdjoint(p.Param, -1, -1, g));
                return;
            case LoadInstr l:
                _b.AddEffect(new AddToAdjoint(l.Param, l.Index0, l.Index1, g));
                return;
            case LoadLocal l:
                _b.AddEffect(new AddToLocal(AdjointArray(l.Array), l.Index0, l.Index1, g));
                return;
        }
        if (instr is SelectInstr select)
        {
            // The adjoint follows the value that was selected; the condition is not differentiated.
            int zero = _b.Const(0.0);
            if (_active.Contains(select.A)) Accumulate(adj, select.A, _b.Select(select.Cond, g, zero));
            if (_active.Contains(select.B)) Accumulate(adj, select.B, _b.Select(select.Cond, zero, g));
            return;
        }
        if (instr is CallInstr call)
        {
            // A user's rule: each partial is the rule method's result for that argument.
            for (int k = 0; k < call.Args.Count; k++)
            {
                if (!_active.Contains(call.Args[k])) continue;
                int partial = _b.Call(RulePartial(call, k));
                Accumulate(adj, call.Args[k], _b.Binary(Op.Mul, partial, g));
            }
            return;
        }
        (Op op, int a, int b) = instr switch
        {
            UnaryInstr u => (u.Op, u.A, -1),
            BinaryInstr bin => (bin.Op, bin.A, bin.B),
            _ => throw new System.InvalidOperationException($"no derivative rule for the active instruction {instr}"),
        };
        OpRule rule = OpRules.Of(op);
        if (rule.Partial is null) throw new System.InvalidOperationException($"the operation {op} has no derivative rule but its result is active");
        var site = new RuleSite(_b, instr.Id, a, b);
        for (int k = 0; k < rule.Arity; k++)
        {
            int operand = k == 0 ? a : b;
            if (!_active.Contains(operand)) continue;
            Partial partial = rule.Partial(site, k);
            if (partial.IsZero) continue;
            int contribution = partial.Factor == Partial.None ? g : _b.Binary(Op.Mul, partial.Factor, g);
            Accumulate(adj, operand, contribution, partial.Subtract);
        }
    }

    /// <summary>The call of a user's rule that gives the partial of <paramref name="call"/> with respect to argument <paramref name="k"/>.</summary>
    internal static CallInstr RulePartial(CallInstr call, int k) =>
        new(-1, ValType.Double, call.Derivative ?? throw new System.InvalidOperationException($"'{call.Label}' has no derivative rule but its result is active"), call.Args)
        {
            Item = call.Args.Count == 1 ? -1 : k, Label = "d" + call.Label,
        };

    private void Accumulate(Dictionary<int, int> adj, int v, int contribution, bool negate = false)
    {
        int total = adj.TryGetValue(v, out int existing)
            ? _b.Binary(negate ? Op.Sub : Op.Add, existing, contribution)
            : negate ? _b.Unary(Op.Neg, contribution) : contribution;
        adj[v] = total;
        _b.MarkAdjoint(total, v); // the emitter names it after v: dz for z
    }
}

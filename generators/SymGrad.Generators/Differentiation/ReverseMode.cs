using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;
using SymGrad.Generators.Optimization;

namespace SymGrad.Generators.Differentiation;

/// <summary>
/// Reverse-mode differentiation of a lowered method. The backward sweep walks the forward IR from the end,
/// building adjoint values with the same <see cref="IrBuilder"/> (so the adjoint code is folded and shared as
/// it is made). An if/else region becomes an if/else on the same condition in the backward sweep: only the
/// branch that ran forward is differentiated, so a branch that was not taken cannot put a NaN in the gradient.
/// Adjoints that differ between the two branches meet in phis, exactly as variables do in the forward sweep.
/// </summary>
internal sealed class ReverseMode
{
    private readonly MethodIr _ir;
    private readonly IrBuilder _b;
    private readonly HashSet<int> _active;

    private ReverseMode(MethodIr ir)
    {
        _ir = ir;
        _b = new IrBuilder(ir.NextId);
        _active = Activity.Of(ir);
        Import(ir.Body, outermost: true);
    }

    public static GradientIr Differentiate(MethodIr ir)
    {
        var reverse = new ReverseMode(ir);
        return reverse.Run();
    }

    private void Import(Block block, bool outermost)
    {
        foreach (Instr instr in block.Instrs)
        {
            _b.Import(instr, outermost);
            if (instr is IfInstr region)
            {
                Import(region.Then, false);
                Import(region.Else, false);
            }
        }
    }

    private GradientIr Run()
    {
        var adj = new Dictionary<int, int>();
        if (_active.Contains(_ir.Return)) adj[_ir.Return] = _b.Const(1.0);
        Reverse(_ir.Body, adj);

        var outputs = new List<AdjointOutput>();
        foreach (Instr instr in _ir.Body.Instrs)
        {
            switch (instr)
            {
                case ParamInstr p when _ir.Params[p.Param].IsDifferentiable && p.Type == ValType.Double:
                    outputs.Add(new AdjointOutput(p.Param, -1, -1, adj.TryGetValue(p.Id, out int dp) ? dp : _b.Const(0.0)));
                    break;
                case LoadInstr l when _ir.Params[l.Param].IsDifferentiable:
                    outputs.Add(new AdjointOutput(l.Param, l.I, l.J, adj.TryGetValue(l.Id, out int dl) ? dl : _b.Const(0.0)));
                    break;
            }
        }
        // Elements inside the extent the method reads, but never read themselves, have a zero gradient.
        var seen = new HashSet<(int, int, int)>(outputs.Select(o => (o.Param, o.I, o.J)));
        for (int p = 0; p < _ir.Params.Count; p++)
        {
            ParamSpec spec = _ir.Params[p];
            if (!spec.IsDifferentiable) continue;
            if (spec.Kind == ParamKind.Double && !seen.Contains((p, -1, -1))) outputs.Add(new AdjointOutput(p, -1, -1, _b.Const(0.0)));
            if (!spec.IsArrayLike) continue;
            for (int i = 0; i < spec.MinLength0; i++)
            {
                if (spec.Kind != ParamKind.Array2D)
                {
                    if (!seen.Contains((p, i, -1))) outputs.Add(new AdjointOutput(p, i, -1, _b.Const(0.0)));
                    continue;
                }
                for (int j = 0; j < spec.MinLength1; j++)
                {
                    if (!seen.Contains((p, i, j))) outputs.Add(new AdjointOutput(p, i, j, _b.Const(0.0)));
                }
            }
        }
        Block backward = _b.Finish();
        var all = new Block(_ir.Body.Instrs.Concat(backward.Instrs).ToEquatableArray());
        var roots = new List<int> { _ir.Return };
        roots.AddRange(outputs.Select(o => o.Value));
        return new GradientIr(_ir, DeadCodeElimination.Run(all, roots), _ir.Return, outputs.ToEquatableArray());
    }

    private void Reverse(Block block, Dictionary<int, int> adj)
    {
        for (int k = block.Instrs.Count - 1; k >= 0; k--)
        {
            Instr instr = block.Instrs[k];
            _b.Origin = instr.Origin;
            if (instr is IfInstr region) ReverseIf(region, adj);
            else if (_active.Contains(instr.Id) && adj.TryGetValue(instr.Id, out int g)) Propagate(instr, g, adj);
        }
    }

    private void ReverseIf(IfInstr region, Dictionary<int, int> adj)
    {
        if (!region.Phis.Any(p => adj.ContainsKey(p.Id))) return; // nothing flows back into either branch

        var thenAdj = new Dictionary<int, int>(adj);
        var elseAdj = new Dictionary<int, int>(adj);
        Block thenBlock = ReverseBranch(region, region.Then, thenAdj, p => p.Then);
        Block elseBlock = ReverseBranch(region, region.Else, elseAdj, p => p.Else);

        var inside = new HashSet<int>();
        DefinedIn(region, inside);
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
            phis.Add(new Phi(id, ValType.Double, hasThen ? t : _b.Const(0.0), hasElse ? e : _b.Const(0.0), AdjointName(key)));
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
        foreach (Instr instr in forward.Instrs) _b.Share(instr);
        foreach (Phi phi in region.Phis)
        {
            if (adj.TryGetValue(phi.Id, out int g) && _active.Contains(side(phi))) Accumulate(adj, side(phi), g);
        }
        Reverse(forward, adj);
        return _b.PopBlock();
    }

    private static void DefinedIn(IfInstr region, HashSet<int> ids)
    {
        foreach (Phi phi in region.Phis) ids.Add(phi.Id);
        foreach (Block block in new[] { region.Then, region.Else })
        {
            foreach (Instr i in block.Instrs)
            {
                if (i is IfInstr inner) DefinedIn(inner, ids);
                else ids.Add(i.Id);
            }
        }
    }

    /// <summary>
    /// Adds the contributions of one instruction's adjoint <paramref name="g"/> to its operands': each is the
    /// operation's local derivative times <paramref name="g"/>, with the local derivative computed by the very
    /// formula the <c>Value</c> tape uses. In exact arithmetic any form would do; in IEEE arithmetic this one makes
    /// the generated gradient and the tape overflow, underflow and propagate NaN in the same places (a NaN adjoint
    /// reaching a ReLU stays NaN, 1/y is what overflows for a tiny y, and so on).
    /// </summary>
    private void Propagate(Instr instr, int g, Dictionary<int, int> adj)
    {
        int r = instr.Id;
        int zero = _b.Const(0.0), one = _b.Const(1.0);
        int Mask(int cond) => _b.Select(cond, one, zero);
        switch (instr)
        {
            case UnaryInstr { A: var a } u when _active.Contains(a):
                int? local = u.Op switch
                {
                    Op.Exp => r,
                    Op.Log => _b.Binary(Op.Div, one, a),
                    Op.Sqrt => _b.Binary(Op.Div, _b.Const(0.5), r),
                    Op.Tanh => OneMinus(Mul(r, r)),
                    Op.Sin => _b.Unary(Op.Cos, a),
                    Op.Tan => _b.Binary(Op.Add, one, Mul(r, r)),
                    Op.Atan => _b.Binary(Op.Div, one, _b.Binary(Op.Add, one, Mul(a, a))),
                    Op.Sigmoid => Mul(r, OneMinus(r)),
                    Op.Softplus => _b.Unary(Op.Sigmoid, a),
                    // One-sided at the kink: Relu'(0) = 0, as micrograd and PyTorch; 0 at NaN too.
                    Op.Relu => Mask(_b.Compare(Op.Gt, a, zero)),
                    // sign(a), with sign(0) = 0 (and 0 at NaN).
                    Op.Abs => _b.Select(_b.Compare(Op.Gt, a, zero), one, _b.Select(_b.Compare(Op.Lt, a, zero), _b.Const(-1.0), zero)),
                    _ => null,
                };
                if (u.Op == Op.Neg) Accumulate(adj, a, g, negate: true);
                else if (u.Op == Op.Cos) Accumulate(adj, a, Mul(g, _b.Unary(Op.Sin, a)), negate: true); // local: -sin a
                else if (local is int l) Accumulate(adj, a, Mul(l, g));
                break;
            case BinaryInstr { A: var a, B: var b } bin:
                bool da = _active.Contains(a), db = _active.Contains(b);
                switch (bin.Op)
                {
                    case Op.Add:
                        if (da) Accumulate(adj, a, g);
                        if (db) Accumulate(adj, b, g);
                        break;
                    case Op.Sub:
                        if (da) Accumulate(adj, a, g);
                        if (db) Accumulate(adj, b, g, negate: true);
                        break;
                    case Op.Mul:
                        if (da) Accumulate(adj, a, Mul(b, g));
                        if (db) Accumulate(adj, b, Mul(a, g));
                        break;
                    case Op.Div:
                    {
                        // Locals 1/b and -(a/b)/b, the latter as -(r * (1/b)): no b*b to overflow.
                        int inverse = _b.Binary(Op.Div, one, b);
                        if (da) Accumulate(adj, a, Mul(inverse, g));
                        // (-(r/b)) * g, subtracted as (r/b) * g: the same bits, and it reads as it is meant.
                        if (db) Accumulate(adj, b, Mul(Mul(r, inverse), g), negate: true);
                        break;
                    }
                    case Op.Pow:
                    {
                        // d/da = b a^(b-1), 0 when b = 0; d/db = r ln a, 0 at a = 0 with b >= 0 (the limits, as PyTorch).
                        if (da)
                        {
                            int slope;
                            if (_b.TryGetConst(b, out double c))
                            {
                                slope = c == 0 ? zero : c == 2 ? Mul(_b.Const(2.0), a) : Mul(b, _b.Binary(Op.Pow, a, _b.Const(c - 1)));
                            }
                            else
                            {
                                slope = _b.Select(_b.Compare(Op.Eq, b, zero), zero, Mul(b, _b.Binary(Op.Pow, a, _b.Binary(Op.Sub, b, one))));
                            }
                            Accumulate(adj, a, Mul(slope, g));
                        }
                        if (db)
                        {
                            int atZero = _b.Binary(Op.And, _b.Compare(Op.Eq, a, zero), _b.Compare(Op.Ge, b, zero));
                            Accumulate(adj, b, Mul(_b.Select(atZero, zero, Mul(r, _b.Unary(Op.Log, a))), g));
                        }
                        break;
                    }
                    case Op.Max:
                    case Op.Min:
                    {
                        // The whole adjoint goes to the winner; ties go to the second argument (documented).
                        int firstWins = _b.Compare(bin.Op == Op.Max ? Op.Gt : Op.Lt, a, b);
                        if (da) Accumulate(adj, a, Mul(_b.Select(firstWins, one, zero), g));
                        if (db) Accumulate(adj, b, Mul(_b.Select(firstWins, zero, one), g));
                        break;
                    }
                }
                break;
        }
    }

    private int Mul(int a, int b) => _b.Binary(Op.Mul, a, b);

    private int OneMinus(int a) => _b.Binary(Op.Sub, _b.Const(1.0), a);

    private void Accumulate(Dictionary<int, int> adj, int v, int contribution, bool negate = false)
    {
        int total = adj.TryGetValue(v, out int existing)
            ? _b.Binary(negate ? Op.Sub : Op.Add, existing, contribution)
            : negate ? _b.Unary(Op.Neg, contribution) : contribution;
        adj[v] = total;
        _b.NameValue(total, AdjointName(v));
        _b.MarkAdjoint(total, v);
    }

    private string AdjointName(int v)
    {
        string? name = _b.NameOf(v);
        if (name is null && _b.Def(v) is LoadInstr l) name = ElementName(l);
        if (name is null && _b.Def(v) is ParamInstr p) name = _ir.Params[p.Param].Name.TrimStart('@');
        return "d" + (name ?? "t");
    }

    private string ElementName(LoadInstr l) =>
        _ir.Params[l.Param].Name.TrimStart('@') + "_" + l.I + (l.J >= 0 ? "_" + l.J : "");
}

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
        foreach (Phi phi in region.Phis)
        {
            if (!adj.TryGetValue(phi.Id, out int g)) continue;
            if (_active.Contains(phi.Then)) Accumulate(thenAdj, phi.Then, g);
            if (_active.Contains(phi.Else)) Accumulate(elseAdj, phi.Else, g);
        }
        _b.PushBlock();
        Reverse(region.Then, thenAdj);
        Block thenBlock = _b.PopBlock();
        _b.PushBlock();
        Reverse(region.Else, elseAdj);
        Block elseBlock = _b.PopBlock();

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

    /// <summary>Adds the contributions of one instruction's adjoint <paramref name="g"/> to its operands'.</summary>
    private void Propagate(Instr instr, int g, Dictionary<int, int> adj)
    {
        int r = instr.Id;
        switch (instr)
        {
            case UnaryInstr { A: var a } u when _active.Contains(a):
                switch (u.Op)
                {
                    case Op.Neg: Accumulate(adj, a, g, negate: true); break;
                    case Op.Exp: Accumulate(adj, a, Mul(g, r)); break;
                    case Op.Log: Accumulate(adj, a, _b.Binary(Op.Div, g, a)); break;
                    case Op.Sqrt: Accumulate(adj, a, _b.Binary(Op.Div, g, Mul(_b.Const(2.0), r))); break;
                    case Op.Tanh: Accumulate(adj, a, Mul(g, OneMinus(Mul(r, r)))); break;
                    case Op.Sin: Accumulate(adj, a, Mul(g, _b.Unary(Op.Cos, a))); break;
                    case Op.Cos: Accumulate(adj, a, Mul(g, _b.Unary(Op.Sin, a)), negate: true); break;
                    case Op.Tan: Accumulate(adj, a, Mul(g, _b.Binary(Op.Add, _b.Const(1.0), Mul(r, r)))); break;
                    case Op.Atan: Accumulate(adj, a, _b.Binary(Op.Div, g, _b.Binary(Op.Add, _b.Const(1.0), Mul(a, a)))); break;
                    case Op.Sigmoid: Accumulate(adj, a, Mul(g, Mul(r, OneMinus(r)))); break;
                    case Op.Softplus: Accumulate(adj, a, Mul(g, _b.Unary(Op.Sigmoid, a))); break;
                    case Op.Relu:
                        // One-sided at the kink: Relu'(0) = 0, as micrograd and PyTorch.
                        Accumulate(adj, a, _b.Select(_b.Compare(Op.Gt, a, _b.Const(0.0)), g, _b.Const(0.0)));
                        break;
                    case Op.Abs:
                        // sign(a) * g with sign(0) = 0 (and NaN input gives 0, as the tape).
                        Accumulate(adj, a, _b.Select(_b.Compare(Op.Gt, a, _b.Const(0.0)), g,
                            _b.Select(_b.Compare(Op.Lt, a, _b.Const(0.0)), _b.Unary(Op.Neg, g), _b.Const(0.0))));
                        break;
                }
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
                        if (da) Accumulate(adj, a, Mul(g, b));
                        if (db) Accumulate(adj, b, Mul(g, a));
                        break;
                    case Op.Div:
                    {
                        int t = _b.Binary(Op.Div, g, b); // d(a/b) = (da - r db) / b
                        if (da) Accumulate(adj, a, t);
                        if (db) Accumulate(adj, b, Mul(t, r), negate: true);
                        break;
                    }
                    case Op.Pow:
                        if (da)
                        {
                            int slope = _b.TryGetConst(b, out double c)
                                ? c == 2 ? Mul(_b.Const(2.0), a) : Mul(b, _b.Binary(Op.Pow, a, _b.Const(c - 1)))
                                : Mul(b, _b.Binary(Op.Pow, a, _b.Binary(Op.Sub, b, _b.Const(1.0))));
                            Accumulate(adj, a, Mul(g, slope));
                        }
                        if (db) Accumulate(adj, b, Mul(g, Mul(r, _b.Unary(Op.Log, a))));
                        break;
                    case Op.Max:
                    case Op.Min:
                    {
                        // The whole adjoint goes to the winner; ties go to the second argument (documented).
                        int firstWins = _b.Compare(bin.Op == Op.Max ? Op.Gt : Op.Lt, a, b);
                        int zero = _b.Const(0.0);
                        if (da) Accumulate(adj, a, _b.Select(firstWins, g, zero));
                        if (db) Accumulate(adj, b, _b.Select(firstWins, zero, g));
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

using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Emitting;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Ir.Rules;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Differentiation;

/// <summary>
/// Forward-mode differentiation: one walk over the method's IR in order, giving each active value a tangent right
/// after it, the sum of the rule table's local partials times the operands' tangents (the same partials reverse
/// mode uses). A branch keeps its shape: the tangents of its results meet in phis of their own. One sweep, no tape.
/// </summary>
internal sealed class ForwardMode
{
    private readonly MethodIr _ir;
    private readonly HashSet<int> _active;
    private readonly IrBuilder _b;
    private readonly Dictionary<int, int> _tangent = new();
    private readonly Dictionary<int, int> _tangentParam = new();

    private ForwardMode(MethodIr ir, HashSet<int> active)
    {
        _ir = ir;
        _active = active;
        _b = new IrBuilder(ir.NextId, ir.Real);
    }

    /// <summary>The JVP program of <paramref name="ir"/>, given its active values; not yet optimised.</summary>
    /// <param name="outputs">Values besides the result whose tangents are wanted (a gradient program's outputs).</param>
    public static JvpIr Differentiate(MethodIr ir, HashSet<int> active, IReadOnlyList<int>? outputs = null) =>
        new ForwardMode(ir, active).Run(outputs ?? System.Array.Empty<int>());

    /// <summary>
    /// A gradient as a program forward mode can walk (forward over reverse): its two sweeps in one block, whose
    /// inputs are the method's. Adjoints kept in memory are not supported there yet.
    /// </summary>
    public static MethodIr GradientProgram(GradientIr gradient)
    {
        var body = new Block(gradient.Forward.Nodes.Concat(gradient.Backward.Nodes).ToEquatableArray());
        int next = body.Nodes.SelectMany(IrWalk.Defined).DefaultIfEmpty(-1).Max() + 1;
        return gradient.Primal with { Body = body, NextId = System.Math.Max(next, gradient.Primal.NextId) };
    }

    /// <summary>The tangent parameter of a differentiable parameter: <c>tX</c> for <c>x</c>, a read-only span for an array.</summary>
    public static ParamSpec TangentOf(ParamSpec p, IReadOnlyCollection<string> taken)
    {
        string bare = p.Name.TrimStart('@');
        string name = "t" + char.ToUpperInvariant(bare[0]) + bare.Substring(1);
        while (taken.Contains(name)) name += "_";
        ParamKind kind = p.Kind switch { ParamKind.Double => ParamKind.Double, ParamKind.Array2D => ParamKind.Array2D, _ => ParamKind.ReadOnlySpan };
        // A struct parameter's numbers have a tangent struct of its type (tP for p), read as the parameter's are.
        StructInput? of = p.Struct is { } s ? s with { Param = "t" + Naming.Pascal(s.Param) } : null;
        return new ParamSpec(name, kind, NoDerivative: true, p.MinLength0, p.MinLength1) { Struct = of };
    }

    private JvpIr Run(IReadOnlyList<int> outputs)
    {
        var tangents = new List<ParamSpec>();
        var of = new List<int>();
        var taken = new HashSet<string>(_ir.Params.Select(p => p.Name.TrimStart('@')));
        for (int p = 0; p < _ir.Params.Count; p++)
        {
            if (!_ir.Params[p].IsDifferentiable) continue;
            ParamSpec t = TangentOf(_ir.Params[p], taken);
            taken.Add(t.Name);
            _tangentParam[p] = _ir.Params.Count + tangents.Count;
            tangents.Add(t);
            of.Add(p);
        }
        foreach (Node node in _ir.Body.Nodes) Visit(node);
        int derivative = Tangent(_ir.Return);
        var outputTangents = outputs.Select(Tangent).ToEquatableArray();
        return new JvpIr(_ir, tangents.ToEquatableArray(), of.ToEquatableArray(), _b.Finish(), _ir.Return, derivative, outputTangents);
    }

    /// <summary>A value's tangent: zero for an inactive one.</summary>
    private int Tangent(int id) => _tangent.TryGetValue(id, out int t) ? t : _b.Const(0.0);

    private void Visit(Node node)
    {
        _b.Origin = node.Origin;
        switch (node)
        {
            case IfInstr region:
                Block then = Branch(region.Then), @else = Branch(region.Else);
                var phis = new List<Phi>(region.Phis);
                foreach (Phi phi in region.Phis.Where(p => _active.Contains(p.Id)))
                {
                    // A side's tangent is made where that side is (inside its branch, or before the if).
                    var tangent = new Phi(_b.NewId(), ValType.Double, Tangent(phi.Then), Tangent(phi.Else), null) { TangentOf = phi.Id };
                    phis.Add(tangent);
                    _tangent[phi.Id] = tangent.Id;
                }
                _b.Origin = region.Origin;
                _b.AddIf(region.Cond, then, @else, phis);
                break;
            case LoopRegion loop:
                VisitLoop(loop);
                break;
            case TapePop pop:
                // The forward sweep pushed the value, then its tangent: the tangent comes off first.
                int tangentPop = _active.Contains(pop.Id) ? _b.Pop(ValType.Double, pop.Id) : -1;
                _b.Append(pop);
                if (tangentPop >= 0)
                {
                    _b.MarkTangent(tangentPop, pop.Id);
                    _tangent[pop.Id] = tangentPop;
                }
                break;
            case SideCall call:
                _b.AddEffect(call); // made once, in the sweep that computes the values
                break;
            case TapePush push:
                _b.AddEffect(push);
                if (_active.Contains(push.Value)) _b.AddEffect(new TapePush(Tangent(push.Value)));
                break;
            case NewArray array:
                _b.AddEffect(array);
                if (array.Source is { Kind: ArraySourceKind.Output } output)
                {
                    // The vector output's tangent is the caller's tR, cleared even when nothing active is written to the output.
                    _b.AddEffect(new NewArray(TangentArray(array.Array), array.Length0, array.Length1, "t" + array.Name) { Source = new ArraySource(ArraySourceKind.OutputTangent, output.Param) });
                }
                else if (_active.Contains(array.Array))
                {
                    _b.AddEffect(new NewArray(TangentArray(array.Array), array.Length0, array.Length1, "t" + array.Name));
                }
                break;
            case StoreLocal store:
                _b.AddEffect(store);
                if (_active.Contains(store.Array)) _b.AddEffect(new StoreLocal(TangentArray(store.Array), store.Index0, store.Index1, Tangent(store.Value)));
                break;
            case AddToLocal add:
                _b.AddEffect(add);
                if (_active.Contains(add.Array) && _active.Contains(add.Value)) _b.AddEffect(new AddToLocal(TangentArray(add.Array), add.Index0, add.Index1, Tangent(add.Value)));
                break;
            case AddToAdjoint add:
                _b.AddEffect(add);
                if (_active.Contains(add.Value)) _b.AddEffect(add with { Value = Tangent(add.Value), OfTangent = true });
                break;
            case Instr instr:
                _b.Append(instr);
                if (_active.Contains(instr.Id)) _tangent[instr.Id] = MakeTangent(instr);
                break;
            default:
                throw new System.InvalidOperationException($"forward mode does not know {node.GetType().Name}");
        }
    }

    private readonly Dictionary<int, int> _tangentArrays = new();

    /// <summary>The tangent of an active local array: an array of its shape, written where it is.</summary>
    private int TangentArray(int array)
    {
        if (!_tangentArrays.TryGetValue(array, out int tangent)) _tangentArrays[array] = tangent = _b.NewId();
        return tangent;
    }

    /// <summary>A loop keeps its shape: each active carried variable gets a carried tangent beside it.</summary>
    private void VisitLoop(LoopRegion loop)
    {
        _b.Import(loop, false); // the primal's variables, read by the tangents
        var active = loop.Vars.Where(v => _active.Contains(v.Id)).ToList();
        var ids = new Dictionary<int, int>();
        foreach (LoopVar v in active)
        {
            ids[v.Id] = _b.LoopVariable(ValType.Double, null);
            _tangent[v.Id] = ids[v.Id];
        }
        Block header = Branch(loop.Header);
        _b.PushBlock();
        foreach (Node node in loop.Body.Nodes) Visit(node);
        var nexts = active.Select(v => Tangent(v.Next)).ToList();
        Block body = _b.PopBlock();
        var vars = new List<LoopVar>(loop.Vars);
        for (int k = 0; k < active.Count; k++)
        {
            LoopVar v = active[k];
            var tangent = new LoopVar(ids[v.Id], ValType.Double, Tangent(v.Init), nexts[k], _b.NewId(), null) { TangentOf = v.Id };
            vars.Add(tangent);
            _tangent[v.Result] = tangent.Result;
        }
        _b.Origin = loop.Origin;
        _b.AddLoop(vars, header, loop.Cond, body);
    }

    private Block Branch(Block block)
    {
        _b.PushBlock();
        foreach (Node node in block.Nodes) Visit(node);
        return _b.PopBlock();
    }

    private int MakeTangent(Instr instr)
    {
        int t = instr switch
        {
            ParamInstr p => _b.Param(_tangentParam[p.Param], ValType.Double),
            LoadInstr l => _b.Load(_tangentParam[l.Param], l.Index0, l.Index1),
            LoadLocal l => _b.LoadLocal(TangentArray(l.Array), l.Index0, l.Index1),
            SelectInstr s => _b.Select(s.Cond, Tangent(s.A), Tangent(s.B)),
            UnaryInstr u => Combine(instr, u.Op, u.A, -1),
            BinaryInstr b => Combine(instr, b.Op, b.A, b.B),
            CallInstr c => CombineCall(c),
            _ => throw new System.InvalidOperationException($"no tangent rule for the active instruction {instr}"),
        };
        _b.MarkTangent(t, instr.Id); // the emitter names it after the value: tz for z
        return t;
    }

    /// <summary>A user's rule: Σ rule_k(args) · t_k over the active arguments, in argument order.</summary>
    private int CombineCall(CallInstr call)
    {
        int sum = -1;
        for (int k = 0; k < call.Args.Count; k++)
        {
            if (!_active.Contains(call.Args[k])) continue;
            int term = _b.Binary(Op.Mul, _b.Call(ReverseMode.RulePartial(call, k)), Tangent(call.Args[k]));
            sum = sum < 0 ? term : _b.Binary(Op.Add, sum, term);
        }
        return sum < 0 ? _b.Const(0.0) : sum;
    }

    /// <summary>Σ partial_k · t_k over the active operands, in operand order; a negative partial is subtracted.</summary>
    private int Combine(Instr instr, Op op, int a, int b)
    {
        OpRule rule = OpRules.Of(op);
        if (rule.Partial is null) throw new System.InvalidOperationException($"the operation {op} has no derivative rule but its result is active");
        var site = new RuleSite(_b, instr.Id, a, b);
        int sum = -1;
        for (int k = 0; k < rule.Arity; k++)
        {
            int operand = k == 0 ? a : b;
            if (!_active.Contains(operand)) continue;
            Partial partial = rule.Partial(site, k);
            if (partial.IsZero) continue;
            int term = partial.Factor == Partial.None ? Tangent(operand) : _b.Binary(Op.Mul, partial.Factor, Tangent(operand));
            sum = sum < 0
                ? partial.Subtract ? _b.Unary(Op.Neg, term) : term
                : _b.Binary(partial.Subtract ? Op.Sub : Op.Add, sum, term);
        }
        return sum < 0 ? _b.Const(0.0) : sum;
    }
}

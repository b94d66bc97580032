using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Differentiation;

/// <summary>
/// The backward sweep of a loop: a loop over the same iterations in the opposite order. Each backward iteration
/// first restores the forward iteration's values it reads, then runs the iteration's adjoint code.
/// <list type="bullet">
/// <item>The index of a counted loop (an int variable that steps by a constant) is recomputed: the backward loop runs
/// it from its last value back to its first. A loop without one counts its iterations forward.</item>
/// <item>A pure value of the iteration is recomputed from what it reads; what cannot be recomputed (a carried
/// variable's value at the iteration's start, a value made inside a branch or an inner loop) is a root: the forward
/// loop pushes it on the tape at the end of the iteration and the backward iteration pops it at its start. Only
/// roots the adjoint code reads are pushed: a <c>+=</c> reduction pushes nothing (its partials are 1), and neither
/// does a loop whose iterations are coupled only through one.</item>
/// <item>The adjoints of carried variables and of the values the loop reads from outside are carried by the
/// backward loop, as the variables are by the forward one.</item>
/// </list>
/// Pushes happen at the end of a forward iteration and pops at the start of its backward one, so nested loops keep
/// the tape's order: an inner loop's pushes lie between its enclosing iteration's, and are popped in between too.
/// </summary>
internal sealed partial class ReverseMode
{
    private readonly Dictionary<LoopRegion, List<int>> _pushes = new(ReferenceComparer<LoopRegion>.Instance);
    private readonly Dictionary<LoopRegion, (LoopVar Counter, ConstInstr Zero, ConstInstr One, BinaryInstr Next)> _counters = new(ReferenceComparer<LoopRegion>.Instance);

    /// <summary>An int variable of the loop whose next value is itself plus a constant, and that step; or null.</summary>
    private (LoopVar Var, int Step)? Driver(LoopRegion loop)
    {
        foreach (LoopVar v in loop.Vars)
        {
            if (v.Type != ValType.Int) continue;
            if (_b.Def(v.Next) is BinaryInstr { Op: Op.Add or Op.Sub } b && b.A == v.Id && _b.TryGetConst(b.B, out double c) && c != 0)
            {
                return (v, (int)(b.Op == Op.Add ? c : -c));
            }
        }
        return null;
    }

    private void ReverseLoop(LoopRegion loop, Dictionary<int, int> adj)
    {
        var activeVars = loop.Vars.Where(v => _active.Contains(v.Id)).ToList();
        if (!activeVars.Any(v => adj.ContainsKey(v.Result)) && !WritesActiveMemory(loop)) return; // nothing flows back into the loop

        (LoopVar driver, int step) = Driver(loop) ?? Count(loop);
        var inside = new HashSet<int>(IrWalk.Defined(loop));
        foreach (LoopVar v in loop.Vars) inside.Remove(v.Result);
        var outerActive = IrWalk.FreeValues(new Block(loop.Header.Nodes.Concat(loop.Body.Nodes).ToEquatableArray()))
            .Where(id => _active.Contains(id) && !inside.Contains(id)).OrderBy(id => id).ToList();
        // A next value taken straight from outside the loop (a = x, or a value the peeled first iteration of a do
        // loop shares) gets its adjoint from the loop too, though nothing in the body reads it.
        foreach (LoopVar v in activeVars.Where(v => !inside.Contains(v.Next) && _active.Contains(v.Next) && !outerActive.Contains(v.Next)))
        {
            outerActive.Add(v.Next);
        }

        // The backward loop's variables: the index (last value first), and the carried adjoints.
        int index = _b.LoopVariable(ValType.Int, driver.Name);
        int indexInit = _b.Binary(Op.Sub, FinalIndex(loop, driver, step, inside), _b.Const(step, ValType.Int));
        var adjointVars = new List<(int Of, int Id, int Init)>();
        foreach (LoopVar v in activeVars)
        {
            adjointVars.Add((v.Id, _b.LoopVariable(ValType.Double, null), adj.TryGetValue(v.Result, out int g) ? g : _b.Const(0.0)));
        }
        foreach (int f in outerActive)
        {
            adjointVars.Add((f, _b.LoopVariable(ValType.Double, null), adj.TryGetValue(f, out int g) ? g : _b.Const(0.0)));
        }

        _b.PushBlock();
        int cond = _b.Compare(step > 0 ? Op.Ge : Op.Le, index, driver.Init);
        Block header = _b.PopBlock();

        _b.PushBlock();
        foreach (Instr instr in loop.Body.Nodes.OfType<Instr>()) _b.Share(instr);
        var local = new Dictionary<int, int>();
        foreach ((int of, int id, _) in adjointVars.Skip(activeVars.Count)) local[of] = id;
        for (int k = 0; k < activeVars.Count; k++)
        {
            if (_active.Contains(activeVars[k].Next)) Accumulate(local, activeVars[k].Next, adjointVars[k].Id);
        }
        Reverse(loop.Body, local);
        // An inner loop that got an iteration counter (above, while its body was reversed) has a trip count that
        // differs from one outer iteration to the next: the backward inner loop reads it, so it is restored too.
        foreach (LoopRegion nested in NestedLoops(loop.Body).Where(_counters.ContainsKey)) inside.Add(_counters[nested].Counter.Result);
        int indexNext = _b.Binary(Op.Sub, index, _b.Const(step, ValType.Int));
        var nexts = adjointVars.Select(a => local.TryGetValue(a.Of, out int d) ? d : _b.Const(0.0)).ToList();
        Block adjointCode = _b.PopBlock();

        // Restore what the adjoint code reads of the forward iteration: recompute it, or pop it.
        var map = new Dictionary<int, int> { [driver.Id] = index };
        List<Node> inductions = Inductions(loop, driver, step, index, map);
        var needed = IrWalk.FreeValues(new Block(adjointCode.Nodes.ToEquatableArray())).Concat(nexts).Where(inside.Contains).ToList();
        Block body = Restore(loop, inside, needed, map, adjointCode);
        if (inductions.Count > 0) body = new Block(inductions.Concat(body.Nodes).ToEquatableArray());
        nexts = nexts.Select(n => map.TryGetValue(n, out int m) ? m : n).ToList();

        var vars = new List<LoopVar> { new(index, ValType.Int, indexInit, indexNext, _b.NewId(), driver.Name) };
        for (int k = 0; k < adjointVars.Count; k++)
        {
            (int of, int id, int init) = adjointVars[k];
            if (nexts[k] == id && k >= activeVars.Count) continue; // the loop adds nothing to this outer adjoint
            vars.Add(new LoopVar(id, ValType.Double, init, nexts[k], _b.NewId(), null) { AdjointOf = of });
        }
        _b.Origin = loop.Origin;
        _b.AddLoop(vars, header, cond, body);

        // After the backward loop: the variables' adjoints flow to their values before the loop.
        foreach (LoopVar v in activeVars) adj.Remove(v.Result);
        // Outer values' adjoints first (the backward loop's result replaces what it started from), then the carried
        // variables' adjoints are added to their values before the loop (which may be one of those outer values).
        foreach (LoopVar bv in vars.Skip(1).Where(b => !activeVars.Any(v => v.Id == b.AdjointOf)))
        {
            adj[bv.AdjointOf] = bv.Result;
            _b.MarkAdjoint(bv.Result, bv.AdjointOf);
        }
        foreach (LoopVar bv in vars.Skip(1))
        {
            LoopVar? forward = activeVars.FirstOrDefault(v => v.Id == bv.AdjointOf);
            if (forward is not null && _active.Contains(forward.Init)) Accumulate(adj, forward.Init, bv.Result);
        }
    }

    /// <summary>
    /// The loop's other counters (an int that every iteration moves by a constant, as GMM's packed index
    /// <c>lparams++</c> beside <c>j++</c>): in the backward iteration each is its first value plus its step times the
    /// iterations done, so it is computed from the index rather than kept on the tape.
    /// </summary>
    private List<Node> Inductions(LoopRegion loop, LoopVar driver, int step, int index, Dictionary<int, int> map)
    {
        var nodes = new List<Node>();
        if (step is not (1 or -1)) return nodes;
        int? done = null; // (index - first) * step: the iterations before this one
        foreach (LoopVar v in loop.Vars)
        {
            if (v.Id == driver.Id || v.Type != ValType.Int) continue;
            if (_b.Def(v.Next) is not BinaryInstr { Op: Op.Add or Op.Sub } b || b.A != v.Id || !_b.TryGetConst(b.B, out double c) || c != System.Math.Floor(c)) continue;
            int Emit(Op op, int x, int y)
            {
                var instr = new BinaryInstr(_b.NewId(), ValType.Int, op, x, y) { Origin = loop.Origin };
                _b.Import(instr, false);
                nodes.Add(instr);
                return instr.Id;
            }
            done ??= step == 1 ? Emit(Op.Sub, index, driver.Init) : Emit(Op.Sub, driver.Init, index);
            int moved = c == 1 ? done.Value : Emit(Op.Mul, done.Value, _b.Const(c, ValType.Int));
            map[v.Id] = Emit(b.Op, v.Init, moved);
        }
        return nodes;
    }

    /// <summary>
    /// The index's value after the loop: recomputed from its first value and the bound when the loop counts by one
    /// to a bound set before it (<c>i &lt; n</c>: the larger of the two), so an inner loop's trip count needs no
    /// tape; otherwise the forward loop's own final value.
    /// </summary>
    private int FinalIndex(LoopRegion loop, LoopVar driver, int step, HashSet<int> inside)
    {
        if (_b.Def(loop.Cond) is not CompareInstr { } c || c.A != driver.Id || inside.Contains(c.B) || c.B < 0) return driver.Result;
        int bound = c.Op switch
        {
            Op.Lt when step == 1 => c.B,
            Op.Le when step == 1 => _b.Binary(Op.Add, c.B, _b.Const(1, ValType.Int)),
            Op.Gt when step == -1 => c.B,
            Op.Ge when step == -1 => _b.Binary(Op.Sub, c.B, _b.Const(1, ValType.Int)),
            _ => -1,
        };
        if (bound < 0) return driver.Result;
        // Counting up from 0 to a length, the loop ends at the length.
        if (step == 1 && _b.TryGetConst(driver.Init, out double first) && first == 0 && _b.Def(c.B) is LengthInstr) return bound;
        int runs = _b.Compare(step == 1 ? Op.Lt : Op.Gt, driver.Init, bound);
        return _b.Select(runs, bound, driver.Init);
    }

    /// <summary>A loop without a counted index gets one: an iteration counter from 0, added to the forward loop.</summary>
    private (LoopVar, int) Count(LoopRegion loop)
    {
        int id = _b.LoopVariable(ValType.Int, "iteration"), next = _b.NewId(), result = _b.LoopVariable(ValType.Int, "iteration");
        var zero = new ConstInstr(_b.NewId(), ValType.Int, 0);
        var one = new ConstInstr(_b.NewId(), ValType.Int, 1);
        var counter = new LoopVar(id, ValType.Int, zero.Id, next, result, "iteration");
        _counters[loop] = (counter, zero, one, new BinaryInstr(next, ValType.Int, Op.Add, id, one.Id));
        _b.Import(zero, false);
        return (counter, 1);
    }

    /// <summary>
    /// The backward iteration's body: pops of the roots (in reverse order of their pushes), recomputations of the
    /// pure values in forward order, then <paramref name="adjointCode"/> reading those copies.
    /// </summary>
    private Block Restore(LoopRegion loop, HashSet<int> inside, IEnumerable<int> needed, Dictionary<int, int> map, Block adjointCode)
    {
        var topLevel = new Dictionary<int, (Instr Instr, int Position)>();
        for (int k = 0; k < loop.Body.Nodes.Count; k++)
        {
            if (loop.Body.Nodes[k] is Instr instr) topLevel[instr.Id] = (instr, k);
        }
        var roots = new List<int>();
        var recompute = new List<(Instr Instr, int Position)>();
        var seen = new HashSet<int>(map.Keys);
        void Need(int id)
        {
            if (!inside.Contains(id) || !seen.Add(id)) return;
            if (topLevel.TryGetValue(id, out var def) && (!IrWalk.ReadsMemory(def.Instr) || _reloadable.Contains(id) || _frozenLoads.Contains(id)) && def.Instr is not CallInstr { Recomputable: false } && !(IsCostly(def.Instr) && Varies(def.Instr, inside, loop))
                && RecomputeSize(id, topLevel, seen) <= RecomputeLimit)
            {
                foreach (int operand in IrWalk.Operands(def.Instr)) Need(operand);
                recompute.Add(def);
            }
            else
            {
                roots.Add(id); // a carried value, one made in a branch or an inner loop, or a kept call (of unknown cost)
            }
        }
        foreach (int id in needed) Need(id);
        roots.Sort();
        _pushes[loop] = roots;

        var nodes = new List<Node>();
        for (int k = roots.Count - 1; k >= 0; k--)
        {
            int pop = _b.NewId();
            ValType type = TypeOfForward(roots[k]);
            nodes.Add(new TapePop(pop, type, roots[k]) { Origin = loop.Origin, Name = NameOfForward(roots[k]) });
            _b.NameValue(pop, NameOfForward(roots[k]) ?? "t");
            map[roots[k]] = pop;
        }
        foreach ((Instr instr, _) in recompute.OrderBy(r => r.Position))
        {
            int copy = _b.NewId();
            var renamed = (Instr)IrRewrite.Substitute(instr, map);
            nodes.Add(renamed with { Id = copy });
            map[instr.Id] = copy;
        }
        foreach (Node node in nodes) _b.Import(node, false);
        return new Block(nodes.Concat(IrRewrite.Substitute(adjointCode, map).Nodes).ToEquatableArray());
    }

    private static IEnumerable<LoopRegion> NestedLoops(Block block) =>
        block.Nodes.SelectMany(n => (n is LoopRegion l ? new[] { l } : System.Array.Empty<LoopRegion>()).Concat(IrWalk.Blocks(n).SelectMany(NestedLoops)));

    private ValType TypeOfForward(int id) => _b.TypeOf(id);

    private string? NameOfForward(int id) => _loopNames.TryGetValue(id, out string? name) ? name
        : _b.NameOf(id) ?? (_b.Def(id) is CallInstr call ? call.Stem : null); // a kept call: after its method

    private Dictionary<int, string>? _loopNamesCache;

    /// <summary>The source names of every loop variable, at an iteration's start and after its loop.</summary>
    private Dictionary<int, string> _loopNames
    {
        get
        {
            if (_loopNamesCache is not null) return _loopNamesCache;
            _loopNamesCache = new Dictionary<int, string>();
            foreach (LoopRegion loop in NestedLoops(_ir.Body))
            {
                foreach (LoopVar v in loop.Vars.Where(v => v.Name is not null))
                {
                    _loopNamesCache[v.Id] = v.Name!;
                    _loopNamesCache[v.Result] = v.Name!;
                }
            }
            return _loopNamesCache;
        }
    }

    /// <summary>
    /// A value whose recomputation takes more operations than this (a dot product unrolled from a small constant
    /// loop) is kept on the tape: one push and one pop instead.
    /// </summary>
    private const int RecomputeLimit = 8;

    /// <summary>How many operations recomputing a value of the iteration would add, counting only up to just past the limit.</summary>
    private static int RecomputeSize(int id, Dictionary<int, (Instr Instr, int Position)> topLevel, HashSet<int> restored)
    {
        var visited = new HashSet<int>();
        var stack = new Stack<int>();
        stack.Push(id);
        while (stack.Count > 0 && visited.Count <= RecomputeLimit)
        {
            int v = stack.Pop();
            if ((v != id && restored.Contains(v)) || !topLevel.TryGetValue(v, out var def) || def.Instr is ConstInstr or ParamInstr or LengthInstr || !visited.Add(v)) continue;
            foreach (int operand in IrWalk.Operands(def.Instr)) stack.Push(operand);
        }
        return visited.Count;
    }

    /// <summary>An operation dearer than a push and a pop (a transcendental function, a division): kept, not recomputed.</summary>
    private static bool IsCostly(Instr instr) =>
        instr is UnaryInstr { Op: Op.Exp or Op.Log or Op.Sqrt or Op.Tanh or Op.Sin or Op.Cos or Op.Tan or Op.Atan or Op.Sigmoid or Op.Softplus }
        || instr is BinaryInstr { Op: Op.Pow or Op.Div, Type: ValType.Double };

    /// <summary>
    /// Whether a value of the iteration depends on more than the loop's invariants and its index (on a carried
    /// value, or on one made in a branch or an inner loop): such a value is different every iteration and dear to
    /// recompute, so it is kept; one that depends only on the index and invariants is recomputed, as the index is.
    /// </summary>
    private bool Varies(Instr instr, HashSet<int> inside, LoopRegion loop)
    {
        var driverId = (Driver(loop) is { } d) ? d.Var.Id : -1;
        var topLevel = new HashSet<int>(loop.Body.Nodes.OfType<Instr>().Select(i => i.Id));
        var seen = new HashSet<int>();
        bool Walk(int id)
        {
            if (!inside.Contains(id) || id == driverId || !seen.Add(id)) return false;
            if (!topLevel.Contains(id)) return true; // a carried value, or one from a branch or an inner loop
            Instr def = _b.Def(id);
            return IrWalk.ReadsMemory(def) || IrWalk.Operands(def).Any(Walk);
        }
        return IrWalk.Operands(instr).Any(Walk);
    }

    /// <summary>The forward sweep: the method's body, each loop pushing its roots at the end of every iteration.</summary>
    private Block WithTape(Block block)
    {
        if (_pushes.Count == 0 && _counters.Count == 0 && _inPlace.Count == 0) return block;
        var moved = new HashSet<int>(_inPlace.Values.SelectMany(p => p.ForwardMoved));
        var placed = new HashSet<int>();
        var nodes = new List<Node>();
        foreach (Node node in block.Nodes)
        {
            switch (node)
            {
                case Instr instr when moved.Contains(instr.Id):
                    if (placed.Add(instr.Id)) nodes.Add(instr);
                    break;
                case LoopRegion loop when _inPlace.TryGetValue(loop, out InPlaceLoop? inPlace):
                    // What its backward code reads of the code after it, made before it.
                    foreach (Instr instr in block.Nodes.OfType<Instr>().Where(i => inPlace.ForwardMoved.Contains(i.Id)))
                    {
                        if (placed.Add(instr.Id)) nodes.Add(instr);
                    }
                    nodes.AddRange(inPlace.BackwardMoved);
                    nodes.Add(InPlace(loop, inPlace));
                    break;
                case LoopRegion loop:
                    var body = WithTape(loop.Body).Nodes.ToList();
                    var vars = loop.Vars.ToList();
                    if (_pushes.TryGetValue(loop, out List<int>? roots)) body.AddRange(roots.Select(r => new TapePush(r) { Origin = loop.Origin }));
                    if (_counters.TryGetValue(loop, out var counter))
                    {
                        nodes.Add(counter.Zero);
                        body.Add(counter.One);
                        body.Add(counter.Next);
                        vars.Add(counter.Counter);
                    }
                    nodes.Add(loop with { Header = WithTape(loop.Header), Body = new Block(body.ToEquatableArray()), Vars = vars.ToEquatableArray() });
                    break;
                case IfInstr region:
                    nodes.Add(region with { Then = WithTape(region.Then), Else = WithTape(region.Else) });
                    break;
                default:
                    nodes.Add(node);
                    break;
            }
        }
        return new Block(nodes.ToEquatableArray());
    }
}

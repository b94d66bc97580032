using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Differentiation;

/// <summary>
/// Loops differentiated in place: a loop of the method's body whose iterations are coupled only through sums
/// (<c>loss += ...</c> over the samples of a batch) needs no backward loop. Every term's adjoint is the sum's, known
/// before the loop, so each iteration runs its backward sweep right after its forward one, reading the values it
/// just made: nothing goes on the tape, nothing is recomputed, and the outer values the loop reads collect their
/// adjoints in variables the loop carries. What must hold, checked here:
/// <list type="bullet">
/// <item>Every active variable the loop carries is a sum (<c>s = s + e</c> or <c>s - e</c>) read nowhere else in
/// the loop; the others (the index, flags, counters) carry no adjoint.</item>
/// <item>The sums' adjoints after the loop are made of values known before it (the backward sweep of what follows
/// the loop, <c>loss / n</c>, gives <c>1 / n</c>): those instructions move before the loop.</item>
/// <item>A local array the loop writes is the iteration's own: a loop at the start of the iteration writes every
/// element before anything reads it, and nothing after the loop touches the array. An array the loop only reads
/// collects adjoints from every iteration, which the code before the loop then takes, as in the backward loop.</item>
/// </list>
/// Inner loops keep their own backward loops inside the iteration, and may read a local array again instead of
/// keeping its elements on the tape when nothing writes the array between their forward and backward sweeps.
/// </summary>
internal sealed partial class ReverseMode
{
    /// <summary>A loop differentiated in place: its backward code, the adjoints it carries, and what moves before it.</summary>
    private sealed record InPlaceLoop(Block AdjointCode, List<LoopVar> Accumulators, HashSet<int> ForwardMoved, List<Node> BackwardMoved);

    private readonly Dictionary<LoopRegion, InPlaceLoop> _inPlace = new(ReferenceComparer<LoopRegion>.Instance);

    /// <summary>Loads of local arrays that an inner loop's backward sweep may repeat rather than keep on the tape.</summary>
    private readonly HashSet<int> _reloadable = new();

    /// <summary>
    /// Loads inside the method's loops of local arrays that nothing writes from that loop on (a table filled by an
    /// earlier loop, as GMM's exponentiated diagonals): every backward sweep may read them again instead of
    /// keeping them on the tape. The backward sweep only undoes writes, and those all come before.
    /// </summary>
    private readonly HashSet<int> _frozenLoads = new();

    /// <summary>Differentiates the loop at <paramref name="position"/> of the method's body in place, if it may be; false otherwise.</summary>
    private bool TryReverseInPlace(LoopRegion loop, int position, Dictionary<int, int> adj)
    {
        var sums = loop.Vars.Where(v => _active.Contains(v.Id)).ToList();
        if (!sums.Any(v => adj.ContainsKey(v.Result)) && !WritesActiveMemory(loop)) return false; // nothing flows back: nothing to do
        if (!sums.All(v => IsSum(loop, v)) || !MemoryIsPrivate(loop, position)) return false;

        var reloadable = Reloadable(loop).ToList();
        _reloadable.UnionWith(reloadable);
        var inside = new HashSet<int>(IrWalk.Defined(loop));
        foreach (LoopVar v in loop.Vars) inside.Remove(v.Result); // made after the loop, not inside it
        var outerActive = IrWalk.FreeValues(new Block(loop.Header.Nodes.Concat(loop.Body.Nodes).ToEquatableArray()))
            .Where(id => _active.Contains(id) && !inside.Contains(id)).OrderBy(id => id).ToList();

        _b.PushBlock();
        foreach (Instr instr in loop.Body.Nodes.OfType<Instr>()) _b.Share(instr);
        var local = new Dictionary<int, int>();
        var accumulators = outerActive.Select(f => (Of: f, Id: _b.LoopVariable(ValType.Double, null))).ToList();
        foreach ((int of, int id) in accumulators) local[of] = id;
        var sumAdjoints = new Dictionary<int, int>();
        foreach (LoopVar v in sums.Where(v => adj.ContainsKey(v.Result)))
        {
            sumAdjoints[v.Id] = adj[v.Result];
            Accumulate(local, v.Next, adj[v.Result]);
        }
        Reverse(loop.Body, local);
        var nexts = accumulators.Select(a => local.TryGetValue(a.Of, out int d) ? d : a.Id).ToList();
        Block code = _b.PopBlock();

        // What the backward code reads must exist inside the loop, or be computable before it.
        // What the backward code reads must exist inside the loop, or be computable before it: the sums'
        // adjoints, the zero the carried adjoints start from, the lengths of the adjoint arrays made before the loop.
        int zero = _b.Const(0.0);
        var arrays = new HashSet<int>(IrWalk.All(code).Select(ArrayOf).Where(a => a >= 0));
        var adjointArrays = _b.Outermost.OfType<NewArray>().Where(a => arrays.Contains(a.Array)).ToList();
        _outermost = new HashSet<int>(_b.Outermost.OfType<Instr>().Select(i => i.Id));
        var available = new HashSet<int>(inside.Concat(accumulators.Select(a => a.Id)).Concat(code.Nodes.SelectMany(IrWalk.Defined)));
        var forwardMoved = new HashSet<int>();
        var backwardMoved = new HashSet<int>();
        bool sumsPassThrough = sums.All(v => !sumAdjoints.ContainsKey(v.Id) || (local.TryGetValue(v.Id, out int d) && d == sumAdjoints[v.Id]));
        var reads = IrWalk.FreeValues(code).Concat(nexts).Append(zero).Concat(adjointArrays.SelectMany(IrWalk.Operands));
        if (!sumsPassThrough || !reads.All(id => Hoistable(id, position, available, forwardMoved, backwardMoved)))
        {
            _reloadable.ExceptWith(reloadable);
            return false;
        }
        List<Node> moved = _b.TakeFromOutermost(n => n is Instr i ? backwardMoved.Contains(i.Id) : n is NewArray a && arrays.Contains(a.Array));

        var vars = new List<LoopVar>();
        for (int k = 0; k < accumulators.Count; k++)
        {
            if (nexts[k] == accumulators[k].Id) continue; // the loop adds nothing to this outer value's adjoint
            vars.Add(new LoopVar(accumulators[k].Id, ValType.Double, zero, nexts[k], _b.RegionResult(ValType.Double), null) { AdjointOf = accumulators[k].Of });
        }
        _inPlace[loop] = new InPlaceLoop(code, vars, forwardMoved, moved);

        // After the loop, in the backward sweep: a sum's adjoint goes to its value before the loop unchanged, and
        // each outer value gets what the iterations collected for it.
        foreach (LoopVar v in sums)
        {
            adj.Remove(v.Result);
            if (sumAdjoints.TryGetValue(v.Id, out int g) && _active.Contains(v.Init)) Accumulate(adj, v.Init, g);
        }
        foreach (LoopVar acc in vars)
        {
            _b.MarkAdjoint(acc.Result, acc.AdjointOf);
            Accumulate(adj, acc.AdjointOf, acc.Result);
        }
        return true;
    }

    /// <summary>Whether a carried variable is a sum read only by its own update: <c>s = s + e</c>, <c>s = e + s</c> or <c>s = s - e</c>.</summary>
    private bool IsSum(LoopRegion loop, LoopVar v)
    {
        if (v.Type != ValType.Double || _b.Def(v.Next) is not BinaryInstr { Op: Op.Add or Op.Sub } update) return false;
        bool shape = update.Op == Op.Add ? (update.A == v.Id) != (update.B == v.Id) : update.A == v.Id && update.B != v.Id;
        if (!shape) return false;
        var nodes = IrWalk.All(loop.Header).Concat(IrWalk.All(loop.Body)).ToList();
        return nodes.Sum(n => IrWalk.Operands(n).Count(o => o == v.Id)) == 1
            && !nodes.Any(n => IrWalk.Operands(n).Contains(v.Next));
    }

    /// <summary>
    /// Whether every active local array the loop touches and did not make is either only read by it, or written in
    /// full at the start of each iteration; and nothing after the loop touches it (its adjoint from there would come
    /// after the loop's backward code has run).
    /// </summary>
    private bool MemoryIsPrivate(LoopRegion loop, int position)
    {
        var loopNodes = IrWalk.All(loop.Header).Concat(IrWalk.All(loop.Body)).ToList();
        var madeInside = new HashSet<int>(loopNodes.OfType<NewArray>().Select(a => a.Array));
        var touched = new HashSet<int>(loopNodes.Select(ArrayOf).Where(a => a >= 0 && !madeInside.Contains(a) && _active.Contains(a)));
        var written = new HashSet<int>(touched.Where(a => loopNodes.Any(n => n is StoreLocal s && s.Array == a)));
        var after = _ir.Body.Nodes.Skip(position + 1).SelectMany(Subtree).ToList();
        // An array the loop writes must be untouched after it; one it only reads (a table made before it) may be read
        // after it too: both backward sweeps only add to its adjoint, which is read only where the array is written.
        if (after.Any(n => written.Contains(ArrayOf(n)) || (n is StoreLocal s && touched.Contains(s.Array)))) return false;
        return written.All(array => FreshEachIteration(loop, array));
    }

    /// <summary>
    /// Whether every iteration of <paramref name="loop"/> writes all of <paramref name="array"/> before it reads any:
    /// the first statement touching it is a loop that writes every element (<see cref="WritesEveryElement"/>), or a
    /// loop each of whose iterations does so itself (GMM's x - mu, rewritten for every point and every component).
    /// </summary>
    private bool FreshEachIteration(LoopRegion loop, int array)
    {
        if (IrWalk.All(loop.Header).Any(n => ArrayOf(n) == array)) return false;
        var touching = loop.Body.Nodes.Where(n => Subtree(n).Any(x => ArrayOf(x) == array)).ToList();
        if (touching.FirstOrDefault() is not LoopRegion writer) return false;
        if (WritesEveryElement(writer, array)) return true;
        // Fresh in each of the inner loop's iterations: nothing else may read it, since the inner loop may run no
        // iteration and leave the last outer iteration's values there.
        return touching.Count == 1 && FreshEachIteration(writer, array);
    }

    /// <summary>
    /// Whether a loop <c>for (int i = 0; i &lt; n; i++) { ... a[i] = v; ... }</c> writes every element of the
    /// one-dimensional array <paramref name="array"/> of length n, unconditionally, and reads none.
    /// </summary>
    private bool WritesEveryElement(LoopRegion writer, int array)
    {
        NewArray? made = IrWalk.All(_ir.Body).OfType<NewArray>().FirstOrDefault(a => a.Array == array);
        if (made is null || made.Length1 >= 0 || Driver(writer) is not { Step: 1 } driver) return false;
        if (!_b.TryGetConst(driver.Var.Init, out double first) || first != 0) return false;
        if (_b.Def(writer.Cond) is not CompareInstr { Op: Op.Lt } c || c.A != driver.Var.Id || !SameValue(c.B, made.Length0)) return false;
        // Reads of the element just written (a[i] = ...; b[i] = q * a[i]) see this iteration's value: allowed.
        var nodes = writer.Body.Nodes;
        int store = -1;
        for (int k = 0; k < nodes.Count && store < 0; k++)
        {
            if (nodes[k] is StoreLocal s && s.Array == array && s.Index0 == driver.Var.Id) store = k;
        }
        if (store < 0) return false;
        for (int k = 0; k < nodes.Count; k++)
        {
            bool readsOwnElement = nodes[k] is LoadLocal l && l.Index0 == driver.Var.Id && k > store;
            if (!readsOwnElement && Subtree(nodes[k]).Any(n => n is LoadLocal l2 && l2.Array == array)) return false;
        }
        return true;
    }

    /// <summary>Two ints that are the same at run time: one value, two equal constants, or one length read twice.</summary>
    private bool SameValue(int a, int b)
    {
        if (a == b) return true;
        if (_b.TryGetConst(a, out double x) && _b.TryGetConst(b, out double y)) return x == y;
        return _b.Def(a) is LengthInstr la && _b.Def(b) is LengthInstr lb && la.Param == lb.Param && la.Dimension == lb.Dimension;
    }

    /// <summary>
    /// Loads inside the loop's inner loops that can be repeated in their backward sweeps: the iteration writes the
    /// array nowhere from the load's statement on, so the element still holds the value read.
    /// </summary>
    private IEnumerable<int> Reloadable(LoopRegion loop) => Reloadable(loop.Body);

    /// <summary>The loads inside the regions of <paramref name="block"/> of arrays nothing writes from that region on.</summary>
    private IEnumerable<int> Reloadable(Block block)
    {
        var nodes = block.Nodes;
        for (int p = 0; p < nodes.Count; p++)
        {
            if (nodes[p] is not Region) continue;
            var later = nodes.Skip(p).SelectMany(Subtree).ToList();
            var written = new HashSet<int>(later.OfType<StoreLocal>().Select(s => s.Array));
            foreach (LoadLocal load in IrWalk.Blocks(nodes[p]).SelectMany(IrWalk.All).OfType<LoadLocal>().Where(l => !written.Contains(l.Array)))
            {
                yield return load.Id;
            }
        }
    }

    /// <summary>
    /// Whether value <paramref name="id"/> can be read at the start of the loop at <paramref name="position"/>:
    /// made before it, or a pure instruction (of the forward sweep after the loop, or of the backward sweep) whose
    /// operands can; those are collected to move before the loop.
    /// </summary>
    private bool Hoistable(int id, int position, HashSet<int> available, HashSet<int> forwardMoved, HashSet<int> backwardMoved)
    {
        if (id < 0 || available.Contains(id) || forwardMoved.Contains(id) || backwardMoved.Contains(id)) return true;
        _forwardPositions ??= ForwardPositions();
        if (_forwardPositions.TryGetValue(id, out (int Position, Node Node) at))
        {
            if (at.Position < position) return true;
            if (!Movable(at.Node)) return false;
            forwardMoved.Add(id);
        }
        else
        {
            if (!_outermost.Contains(id) || !Movable(_b.Def(id))) return false;
            backwardMoved.Add(id);
        }
        return IrWalk.Operands(_b.Def(id)).All(o => Hoistable(o, position, available, forwardMoved, backwardMoved));
    }

    /// <summary>
    /// A pure value that cannot throw, which may therefore be computed earlier: not an integer division, nor an
    /// element at a computed index (one at a constant index exists: the argument checks made sure of it).
    /// </summary>
    private bool Movable(Node node) => node switch
    {
        ConstInstr or ParamInstr or LengthInstr or UnaryInstr or CompareInstr or SelectInstr => true,
        BinaryInstr b => !(b.Type == ValType.Int && b.Op is Op.Div or Op.Rem),
        LoadInstr l => _b.TryGetConst(l.Index0, out _) && (l.Index1 < 0 || _b.TryGetConst(l.Index1, out _)),
        _ => false,
    };

    private Dictionary<int, (int Position, Node Node)>? _forwardPositions;

    /// <summary>The values of the backward sweep's outermost block when the loop being differentiated in place was reached.</summary>
    private HashSet<int> _outermost = new();

    /// <summary>The top-level position in the method's body of every value defined there (a region's results at the region's).</summary>
    private Dictionary<int, (int, Node)> ForwardPositions()
    {
        var positions = new Dictionary<int, (int, Node)>();
        for (int k = 0; k < _ir.Body.Nodes.Count; k++)
        {
            Node node = _ir.Body.Nodes[k];
            if (node is Instr instr) positions[instr.Id] = (k, node);
            else if (node is Region region)
            {
                foreach ((int id, _) in region.Results) positions[id] = (k, node);
            }
        }
        return positions;
    }

    /// <summary>A node and every node inside it.</summary>
    private static IEnumerable<Node> Subtree(Node node) => new[] { node }.Concat(IrWalk.Blocks(node).SelectMany(IrWalk.All));

    /// <summary>The local array a node reads or writes, or -1.</summary>
    private static int ArrayOf(Node node) => node switch
    {
        LoadLocal l => l.Array,
        StoreLocal s => s.Array,
        AddToLocal a => a.Array,
        _ => -1,
    };

    /// <summary>The forward sweep of a loop differentiated in place: its body then its backward code, carrying the outer values' adjoints.</summary>
    private LoopRegion InPlace(LoopRegion loop, InPlaceLoop inPlace) => loop with
    {
        Body = new Block(WithTape(loop.Body).Nodes.Concat(inPlace.AdjointCode.Nodes).ToEquatableArray()),
        Vars = loop.Vars.Concat(inPlace.Accumulators).ToEquatableArray(),
    };
}

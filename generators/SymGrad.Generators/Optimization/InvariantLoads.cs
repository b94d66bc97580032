using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Optimization;

/// <summary>
/// Loop-invariant loads of local arrays, moved out of the loop: a read <c>a[i]</c> in a loop's body whose indices are
/// made before the loop, of an array nothing in the loop writes, reads the same element in every iteration, so it is
/// read once before the loop. Run on the method before differentiation, it is what keeps the backward sweep from
/// saving that element once per iteration: GMM's triangular product reads <c>xcentered[i]</c> in its inner loop over
/// <c>j</c>, and the tape then held it 45 times per point and component where 10 do.
/// <para>
/// Before the loop the read runs even when the loop runs no iteration (GMM's inner loop is empty for the last
/// column), so it moves only where it cannot throw: each index is a constant inside a constant length, or the index
/// of an enclosing loop that counts by one from a non-negative constant while it is below the array's own length
/// (<c>for (int i = 0; i &lt; d; i++)</c> over <c>new double[d]</c>). Any other read stays where it is, so an index
/// out of range still throws exactly where the method throws.
/// </para>
/// </summary>
internal static class InvariantLoads
{
    public static MethodIr Run(MethodIr ir)
    {
        var arrays = IrWalk.All(ir.Body).OfType<NewArray>().ToDictionary(a => a.Array);
        var defs = IrWalk.Values(ir.Body).ToDictionary(v => v.Id);
        var pass = new Pass(ir.Body, arrays, defs);
        Block body = pass.Hoist(ir.Body, new Dictionary<int, int>());
        return pass.Moved == 0 ? ir : ir with { Body = body };
    }

    private sealed class Pass
    {
        private readonly Dictionary<int, NewArray> _arrays;
        private readonly Dictionary<int, Instr> _defs;

        public Pass(Block body, Dictionary<int, NewArray> arrays, Dictionary<int, Instr> defs)
        {
            _arrays = arrays;
            _defs = defs;
            foreach (LoopVar v in IrWalk.All(body).OfType<LoopRegion>().SelectMany(l => l.Vars).Where(v => v.Name is not null)) _loopNames[v.Id] = v.Name!;
        }

        private readonly Dictionary<int, string> _loopNames = new();

        public int Moved { get; private set; }

        /// <summary>
        /// The block with every loop inside it rewritten, inner loops first, so that a read moved out of an inner
        /// loop may move again out of the loop around it. <paramref name="below"/> maps the index of each enclosing
        /// counted loop to the bound it stays below in that loop's body.
        /// </summary>
        public Block Hoist(Block block, Dictionary<int, int> below)
        {
            var nodes = new List<Node>();
            bool changed = false;
            foreach (Node node in block.Nodes)
            {
                switch (node)
                {
                    case LoopRegion loop:
                        var inner = new Dictionary<int, int>(below);
                        if (CountedBelow(loop) is { } counted) inner[counted.Index] = counted.Bound;
                        LoopRegion rewritten = loop with { Body = Hoist(loop.Body, inner) };
                        var moved = Invariant(rewritten, below);
                        if (moved.Count > 0)
                        {
                            var ids = new HashSet<int>(moved.Select(l => l.Id));
                            nodes.AddRange(moved.Select(l => l.Name is null ? l with { Name = ElementName(l) } : l));
                            rewritten = rewritten with { Body = new Block(rewritten.Body.Nodes.Where(n => n is not LoadLocal l || !ids.Contains(l.Id)).ToEquatableArray()) };
                            Moved += moved.Count;
                        }
                        changed |= !ReferenceEquals(rewritten.Body, loop.Body);
                        nodes.Add(rewritten);
                        break;
                    case IfInstr region:
                        IfInstr branches = region with { Then = Hoist(region.Then, below), Else = Hoist(region.Else, below) };
                        changed |= !ReferenceEquals(branches.Then, region.Then) || !ReferenceEquals(branches.Else, region.Else);
                        nodes.Add(branches);
                        break;
                    default:
                        nodes.Add(node);
                        break;
                }
            }
            return changed ? new Block(nodes.ToEquatableArray()) : block;
        }

        /// <summary>The reads at the top of the loop's body that read one element throughout and can be made before it.</summary>
        private List<LoadLocal> Invariant(LoopRegion loop, Dictionary<int, int> below)
        {
            var inside = new HashSet<int>(IrWalk.Defined(loop));
            var candidates = loop.Body.Nodes.OfType<LoadLocal>().Where(l => !inside.Contains(l.Index0) && !inside.Contains(l.Index1)).ToList();
            if (candidates.Count == 0) return candidates;
            var written = new HashSet<int>(IrWalk.All(loop.Header).Concat(IrWalk.All(loop.Body)).Select(Written).Where(a => a >= 0));
            return candidates.Where(l => !written.Contains(l.Array) && InBounds(l, below)).ToList();
        }

        /// <summary>What the read is named in the emitted code: <c>xcentered_i</c> for <c>xcentered[i]</c>, as elements of parameters are.</summary>
        private string? ElementName(LoadLocal l)
        {
            string? Stem(int index) => index < 0 ? "" : Constant(index) is { } c ? "_" + (long)c : _loopNames.TryGetValue(index, out string? n) ? "_" + n : null;
            return Stem(l.Index0) is { } i && Stem(l.Index1) is { } j ? _arrays[l.Array].Name + i + j : null;
        }

        private static int Written(Node node) => node switch
        {
            StoreLocal s => s.Array,
            AddToLocal a => a.Array,
            NewArray n => n.Array,
            _ => -1,
        };

        private bool InBounds(LoadLocal load, Dictionary<int, int> below) =>
            _arrays.TryGetValue(load.Array, out NewArray? array) && array.Source is null
            && InRange(load.Index0, array.Length0, below) && (load.Index1 < 0 || InRange(load.Index1, array.Length1, below));

        private bool InRange(int index, int length, Dictionary<int, int> below)
        {
            if (length < 0) return false;
            if (below.TryGetValue(index, out int bound) && bound == length) return true;
            return Constant(index) is { } i && Constant(length) is { } n && i >= 0 && i < n;
        }

        /// <summary>
        /// The loop's index and its bound when the loop is <c>for (int i = c; i &lt; n; i++)</c> with a constant
        /// <c>c ≥ 0</c> and <c>n</c> made before the loop: in its body, <c>0 ≤ i &lt; n</c>. A step of one cannot
        /// overflow past a bound below <c>int.MaxValue</c>.
        /// </summary>
        private (int Index, int Bound)? CountedBelow(LoopRegion loop)
        {
            if (!_defs.TryGetValue(loop.Cond, out Instr? cond) || cond is not CompareInstr { Op: Op.Lt } lt) return null;
            LoopVar? v = loop.Vars.FirstOrDefault(x => x.Id == lt.A && x.Type == ValType.Int);
            if (v is null || Constant(v.Init) is not { } first || first < 0) return null;
            if (!_defs.TryGetValue(v.Next, out Instr? next) || next is not BinaryInstr { Op: Op.Add } step || step.A != v.Id || Constant(step.B) != 1) return null;
            if (IrWalk.Defined(loop).Contains(lt.B)) return null;
            return (v.Id, lt.B);
        }

        private double? Constant(int id) => id >= 0 && _defs.TryGetValue(id, out Instr? d) && d is ConstInstr c ? c.Value : null;
    }
}

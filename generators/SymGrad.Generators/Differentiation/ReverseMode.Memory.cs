using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Differentiation;

/// <summary>
/// Local arrays in the backward sweep. An active array has an adjoint array of its shape, made zeroed at the start
/// of the backward code of the block that made the array (so it exists before any adjoint code touches it). A read
/// <c>x = a[i]</c> adds x's adjoint to <c>da[i]</c>; a write <c>a[i] = v</c> hands <c>da[i]</c> to v and zeroes it,
/// since what was added there before (in backward order) belongs to the value the write replaced, not to earlier
/// readers. The forward values the backward sweep needs were read into values (kept on the tape inside loops), so
/// it never reads forward memory again, and nothing needs restoring.
/// </summary>
internal sealed partial class ReverseMode
{
    private readonly Dictionary<int, int> _adjointArrays = new();

    private int AdjointArray(int array)
    {
        if (!_adjointArrays.TryGetValue(array, out int adjoint)) _adjointArrays[array] = adjoint = _b.NewId();
        return adjoint;
    }

    private void AllocateAdjointArrays(Block block)
    {
        foreach (NewArray array in block.Nodes.OfType<NewArray>().Where(a => _active.Contains(a.Array)))
        {
            _b.Origin = array.Origin;
            // The vector output's adjoint starts from the caller's seed (dR), not from zero: that is the VJP.
            ArraySource? seed = array.Source is { Kind: ArraySourceKind.Output } output ? new ArraySource(ArraySourceKind.OutputSeed, output.Param) : null;
            _b.AddEffect(new NewArray(AdjointArray(array.Array), array.Length0, array.Length1, "d" + array.Name) { Source = seed });
        }
    }

    private void ReverseStore(StoreLocal store, Dictionary<int, int> adj, Block block, int position)
    {
        int adjoint = AdjointArray(store.Array);
        int g = _b.LoadLocal(adjoint, store.Index0, store.Index1);
        if (InPlaceUpdate(store, block, position) is { } update)
        {
            // a[i] += e: the element's adjoint is also its old value's, so it stays where it is (no zeroing, and no
            // adding it back when the sweep reaches the read of a[i]); only e takes it.
            if (_active.Contains(update.Term)) Accumulate(adj, update.Term, g, update.Subtract);
            return;
        }
        _b.AddEffect(new StoreLocal(adjoint, store.Index0, store.Index1, _b.Const(0.0)));
        if (_active.Contains(store.Value)) Accumulate(adj, store.Value, g);
    }

    /// <summary>
    /// Whether a store is <c>a[i] = a[i] + e</c> (or <c>e + a[i]</c>, <c>a[i] - e</c>) whose read is in the same
    /// block with no write to <c>a</c> in between: then the old element and the new one have one adjoint. The sum
    /// itself may have other uses (their adjoints still reach the read through it); e is returned with its sign.
    /// </summary>
    private (int Term, bool Subtract)? InPlaceUpdate(StoreLocal store, Block block, int position)
    {
        if (_b.Def(store.Value) is not BinaryInstr { Op: Op.Add or Op.Sub } sum) return null;
        bool SameElement(int id) => _b.Def(id) is LoadLocal l && l.Array == store.Array && l.Index0 == store.Index0 && l.Index1 == store.Index1;
        (int read, int term, bool subtract) = SameElement(sum.A) ? (sum.A, sum.B, sum.Op == Op.Sub)
            : sum.Op == Op.Add && SameElement(sum.B) ? (sum.B, sum.A, false)
            : (-1, -1, false);
        if (read < 0 || term == read) return null;
        // Looked for among the nodes just before the store, as IrBuilder.LoadLocal forwards within a window: a scan to
        // the block's start for every store would be quadratic in a long unrolled block.
        for (int k = position - 1; k >= System.Math.Max(0, position - UpdateWindow); k--)
        {
            Node node = block.Nodes[k];
            if (node is LoadLocal l && l.Id == read) return _active.Contains(read) ? (term, subtract) : null;
            if (node is Region || (node is StoreLocal s && s.Array == store.Array) || (node is AddToLocal a && a.Array == store.Array)) return null;
        }
        return null; // the read is in another block, or further back
    }

    private const int UpdateWindow = 32;

    /// <summary>Whether a region writes an active local array (its backward sweep then matters even with no result flowing back).</summary>
    private bool WritesActiveMemory(Node region) =>
        IrWalk.Blocks(region).SelectMany(IrWalk.All).Any(n => n is StoreLocal s && _active.Contains(s.Array));
}

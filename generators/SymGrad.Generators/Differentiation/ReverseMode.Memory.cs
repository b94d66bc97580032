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
            _b.AddEffect(new NewArray(AdjointArray(array.Array), array.Length0, array.Length1, "d" + array.Name));
        }
    }

    private void ReverseStore(StoreLocal store, Dictionary<int, int> adj)
    {
        int adjoint = AdjointArray(store.Array);
        int g = _b.LoadLocal(adjoint, store.Index0, store.Index1);
        _b.AddEffect(new StoreLocal(adjoint, store.Index0, store.Index1, _b.Const(0.0)));
        if (_active.Contains(store.Value)) Accumulate(adj, store.Value, g);
    }

    /// <summary>Whether a region writes an active local array (its backward sweep then matters even with no result flowing back).</summary>
    private bool WritesActiveMemory(Node region) =>
        IrWalk.Blocks(region).SelectMany(IrWalk.All).Any(n => n is StoreLocal s && _active.Contains(s.Array));
}

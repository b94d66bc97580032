using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// How a program too long for one method the JIT optimises is cut into part methods that run in order and share
/// values through a frame: which top-level item goes in which part, and which values need a frame slot.
/// </summary>
internal sealed class PartPlan
{
    /// <summary>
    /// Statements per part. The JIT stops optimising a method past 60,000 bytes of IL, 20,000 IL instructions or
    /// 2,000 locals, and tracks only 1,024 locals: 600 statements of this shape stay well inside all four.
    /// </summary>
    public const int PartStatements = 600;

    /// <summary>IR nodes per part; about two of them make one emitted statement once single uses are inlined.</summary>
    private const int PartNodes = 2 * PartStatements;

    private readonly int[] _itemPart;

    private PartPlan(int[] itemPart, int partCount)
    {
        _itemPart = itemPart;
        PartCount = partCount;
    }

    public int PartCount { get; }

    /// <summary>The frame slot of each value read in a part other than its own, or by the method after the parts.</summary>
    public Dictionary<int, int> FrameSlots { get; } = new();

    /// <summary>A plan when the program is too long for one method (and may be split), otherwise null.</summary>
    public static PartPlan? For(Block body, int outputs, bool allowSplit)
    {
        // A program with loops is small (its loops are not unrolled): it is never split. Loops inside branches count
        // too (the code after a loop that may return is a branch): parts share no tape, views or local arrays.
        if (!allowSplit || IrWalk.Size(body) <= 4 * PartStatements || IrWalk.All(body).Any(n => n is LoopRegion)) return null;
        // Cut before inlining is decided, so that inlining can stay within a part.
        int items = body.Nodes.Count + outputs;
        var itemPart = new int[items];
        int part = 0, count = 0;
        for (int k = 0; k < items; k++)
        {
            int size = k < body.Nodes.Count ? IrWalk.Size(body.Nodes[k]) : 1;
            if (count > 0 && count + size > PartNodes)
            {
                part++;
                count = 0;
            }
            itemPart[k] = part;
            count += size;
        }
        return new PartPlan(itemPart, part + 1);
    }

    /// <summary>Whether a use at item <paramref name="useItem"/> is in the same part as the definition at <paramref name="defItem"/>.</summary>
    public bool SamePart(int defItem, int useItem) => useItem != UseAnalysis.MethodItem && _itemPart[useItem] == _itemPart[defItem];

    /// <summary>The range of items in part <paramref name="part"/>, or null when it has none.</summary>
    public (int From, int To)? Items(int part)
    {
        int first = System.Array.IndexOf(_itemPart, part), last = System.Array.LastIndexOf(_itemPart, part);
        return first < 0 ? null : (first, last + 1);
    }

    /// <summary>Gives a frame slot to every value, not written inline, that is read outside its own part.</summary>
    public void AssignFrameSlots(UseAnalysis uses, ISet<int> inline)
    {
        foreach (KeyValuePair<int, List<int>> use in uses.UseItems)
        {
            int id = use.Key;
            if (inline.Contains(id) || !uses.DefItem.TryGetValue(id, out int defItem)) continue;
            if (use.Value.Any(u => !SamePart(defItem, u))) FrameSlots[id] = FrameSlots.Count;
        }
    }
}

using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// Which values are written into their single use rather than as a local: leaves always (an element read once is
/// one); an operation used once,
/// in its own block (and part), not hoisted, and small enough to read (<see cref="InlineLimit"/> operations).
/// </summary>
internal static class Inlining
{
    private const int InlineLimit = 12; // operations in one inlined expression, for readability

    public static HashSet<int> Decide(Block body, UseAnalysis uses, PartPlan? parts, bool readElementsOnce)
    {
        var inline = new HashSet<int>();
        var size = new Dictionary<int, int>();
        Decide(body, uses, parts, readElementsOnce, inline, size);
        return inline;
    }

    private static void Decide(Block block, UseAnalysis uses, PartPlan? parts, bool readElementsOnce, HashSet<int> inline, Dictionary<int, int> size)
    {
        foreach (Node node in block.Nodes)
        {
            foreach (Block inner in IrWalk.Blocks(node)) Decide(inner, uses, parts, readElementsOnce, inline, size);
            if (node is not Instr instr || IrWalk.ReadsMemory(instr)) continue; // memory reads stay where they are
            // A load is a leaf where it is read in its own block (or blocks inside it); read after its branch (a loop
            // pushing it), it is a local assigned in the branch: its index may be valid only there.
            int count = uses.UseCount.TryGetValue(instr.Id, out int n) ? n : 0;
            // An element read more than once is read once, into a local: unrolled code reads w[i, j] in every sample,
            // and an index computed and checked at each read costs more than the arithmetic around it (the JIT's CSE
            // gives up on methods that large).
            bool leaf = instr is ConstInstr or ParamInstr or LengthInstr || (instr is LoadInstr && !uses.Hoisted.Contains(instr.Id) && (count < 2 || !readElementsOnce));
            int operations = 1 + IrWalk.Operands(instr).Sum(o => inline.Contains(o) && size.TryGetValue(o, out int s) ? s : 0);
            bool sameBlock = uses.FirstUseBlock.TryGetValue(instr.Id, out int useBlock) && useBlock == uses.DefBlock[instr.Id]
                // A split program inlines only within a part: an expression never reaches into another part.
                && (parts is null || (uses.UseItems.TryGetValue(instr.Id, out List<int>? items) && parts.SamePart(uses.DefItem[instr.Id], items[0])));
            if (leaf || (count == 1 && sameBlock && !uses.Hoisted.Contains(instr.Id) && operations <= InlineLimit))
            {
                inline.Add(instr.Id);
                size[instr.Id] = leaf ? 0 : operations;
            }
        }
    }
}

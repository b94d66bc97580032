using System.Collections.Generic;
using System.Linq;

namespace SymGrad.Generators.Ir;

/// <summary>
/// Structural facts about instructions that every pass needs, in one place: what an instruction reads, what it
/// defines (a region: its results and everything inside), which blocks it holds, and how large it is. A new region
/// kind (a loop) teaches these four, and passes written against them follow.
/// </summary>
internal static class IrWalk
{
    /// <summary>The values an instruction reads directly (a region: its condition and the values its results take).</summary>
    public static IEnumerable<int> Operands(Instr instr) => instr switch
    {
        UnaryInstr u => new[] { u.A },
        BinaryInstr b => new[] { b.A, b.B },
        CompareInstr c => new[] { c.A, c.B },
        SelectInstr s => new[] { s.Cond, s.A, s.B },
        IfInstr r => new[] { r.Cond }.Concat(r.Phis.SelectMany(p => new[] { p.Then, p.Else })),
        _ => System.Array.Empty<int>(),
    };

    /// <summary>The blocks inside an instruction (none for a value).</summary>
    public static IEnumerable<Block> Blocks(Instr instr) => instr is IfInstr r ? new[] { r.Then, r.Else } : System.Array.Empty<Block>();

    /// <summary>Every value an instruction defines: itself, or a region's results and every value inside it.</summary>
    public static IEnumerable<int> Defined(Instr instr)
    {
        if (instr is not IfInstr region)
        {
            yield return instr.Id;
            yield break;
        }
        foreach (Phi phi in region.Phis) yield return phi.Id;
        foreach (Instr inner in Blocks(instr).SelectMany(b => b.Instrs))
        {
            foreach (int id in Defined(inner)) yield return id;
        }
    }

    /// <summary>Instructions in a block, counting a region as one plus its results and its blocks' instructions.</summary>
    public static int Size(Block block) => block.Instrs.Sum(Size);

    public static int Size(Instr instr) => instr is IfInstr r ? 1 + r.Phis.Count + Blocks(r).Sum(Size) : 1;
}

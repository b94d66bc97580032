using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Differentiation;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Optimization;

/// <summary>
/// Removes every instruction whose value reaches neither the returned value nor a gradient output, and every
/// if/else region none of whose phis is used. One backward pass suffices: in SSA form over nested regions every
/// use comes after its definition, so uses are marked before their definitions are visited.
/// </summary>
internal static class DeadCodeElimination
{
    public static Block Run(Block block, IEnumerable<int> roots)
    {
        var live = new HashSet<int>(roots);
        return Sweep(block, live);
    }

    /// <summary>
    /// Both sweeps of a gradient, the backward one first: what it reads of the forward sweep is live there, with
    /// the returned value; every output is a root.
    /// </summary>
    public static GradientIr Run(GradientIr gradient)
    {
        var live = new HashSet<int>(gradient.Outputs.Select(o => o.Value)) { gradient.Return };
        Block backward = Sweep(gradient.Backward, live);
        return gradient with { Forward = Sweep(gradient.Forward, live), Backward = backward };
    }

    private static Block Sweep(Block block, HashSet<int> live)
    {
        var kept = new List<Instr>();
        for (int k = block.Instrs.Count - 1; k >= 0; k--)
        {
            Instr instr = block.Instrs[k];
            if (instr is IfInstr region)
            {
                var phis = region.Phis.Where(p => live.Contains(p.Id)).ToList();
                if (phis.Count == 0) continue;
                foreach (Phi phi in phis)
                {
                    live.Add(phi.Then);
                    live.Add(phi.Else);
                }
                Block then = Sweep(region.Then, live), @else = Sweep(region.Else, live);
                live.Add(region.Cond);
                kept.Add(region with { Then = then, Else = @else, Phis = phis.ToEquatableArray() });
                continue;
            }
            if (!live.Contains(instr.Id)) continue;
            kept.Add(instr);
            foreach (int operand in IrWalk.Operands(instr)) live.Add(operand);
        }
        kept.Reverse();
        return new Block(kept.ToEquatableArray());
    }
}

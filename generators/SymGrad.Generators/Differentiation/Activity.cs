using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Differentiation;

/// <summary>
/// Which values depend on a differentiable parameter. Only these get adjoints: constants, ints, [NoDerivative]
/// inputs and everything computed from them alone cost nothing in the backward sweep. Computed as a fixed point
/// over the walk, so it does not assume that every use follows its definition (a loop-carried value will not).
/// </summary>
internal static class Activity
{
    public static HashSet<int> Of(MethodIr ir)
    {
        var active = new HashSet<int>();
        var values = IrWalk.Values(ir.Body).ToList();
        var results = Results(ir.Body).ToList();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (Instr instr in values)
            {
                if (!active.Contains(instr.Id) && IsActive(instr, ir, active)) changed |= active.Add(instr.Id);
            }
            foreach (Phi phi in results)
            {
                if (!active.Contains(phi.Id) && phi.Type == ValType.Double && (active.Contains(phi.Then) || active.Contains(phi.Else)))
                {
                    changed |= active.Add(phi.Id);
                }
            }
        }
        return active;
    }

    /// <summary>A double that is a differentiable input or computed from an active value.</summary>
    private static bool IsActive(Instr instr, MethodIr ir, HashSet<int> active) => instr switch
    {
        ParamInstr p => p.Type == ValType.Double && ir.Params[p.Param].IsDifferentiable,
        LoadInstr l => ir.Params[l.Param].IsDifferentiable,
        CompareInstr => false, // a bool: control, not a derivative
        _ => instr.Type == ValType.Double && IrWalk.Operands(instr).Any(active.Contains),
    };

    /// <summary>The results of every region in the block, at any depth.</summary>
    private static IEnumerable<Phi> Results(Block block)
    {
        foreach (Region region in block.Nodes.OfType<Region>())
        {
            foreach (Phi phi in region.Results) yield return phi;
            foreach (Phi inner in IrWalk.Blocks(region).SelectMany(Results)) yield return inner;
        }
    }
}

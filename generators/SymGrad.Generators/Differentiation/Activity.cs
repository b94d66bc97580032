using System.Collections.Generic;
using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Differentiation;

/// <summary>
/// Which values depend on a differentiable parameter. Only these get adjoints: constants, ints, [NoDerivative]
/// inputs and everything computed from them alone cost nothing in the backward sweep.
/// </summary>
internal static class Activity
{
    public static HashSet<int> Of(MethodIr ir)
    {
        var active = new HashSet<int>();
        Walk(ir.Body, ir, active);
        return active;
    }

    private static void Walk(Block block, MethodIr ir, HashSet<int> active)
    {
        foreach (Instr instr in block.Instrs)
        {
            bool isActive = instr switch
            {
                ParamInstr p => p.Type == ValType.Double && ir.Params[p.Param].IsDifferentiable,
                LoadInstr l => ir.Params[l.Param].IsDifferentiable,
                UnaryInstr u => u.Type == ValType.Double && active.Contains(u.A),
                BinaryInstr b => b.Type == ValType.Double && (active.Contains(b.A) || active.Contains(b.B)),
                SelectInstr s => s.Type == ValType.Double && (active.Contains(s.A) || active.Contains(s.B)),
                _ => false,
            };
            if (isActive) active.Add(instr.Id);
            if (instr is IfInstr region)
            {
                Walk(region.Then, ir, active);
                Walk(region.Else, ir, active);
                foreach (Phi phi in region.Phis)
                {
                    if (phi.Type == ValType.Double && (active.Contains(phi.Then) || active.Contains(phi.Else))) active.Add(phi.Id);
                }
            }
        }
    }
}

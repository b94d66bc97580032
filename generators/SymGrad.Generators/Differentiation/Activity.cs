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
        // The vector output is what is differentiated: active even where only constants are written to it, so that
        // every generated method binds it the same way (its tangent and adjoint are the caller's tR and dR).
        var active = new HashSet<int>(IrWalk.All(ir.Body).OfType<NewArray>().Where(a => a.Source is { Kind: ArraySourceKind.Output }).Select(a => a.Array));
        var values = IrWalk.Values(ir.Body).ToList();
        var results = Results(ir.Body).ToList();
        // A local array is active when an active value is written into it; its elements are then active when read.
        var writes = IrWalk.All(ir.Body).Select(n => n switch { StoreLocal s => (s.Array, s.Value), AddToLocal a => (a.Array, a.Value), _ => (-1, -1) })
            .Where(w => w.Item1 >= 0).ToList();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach ((int array, int value) in writes)
            {
                if (!active.Contains(array) && active.Contains(value)) changed |= active.Add(array);
            }
            foreach (Instr instr in values)
            {
                if (!active.Contains(instr.Id) && IsActive(instr, ir, active)) changed |= active.Add(instr.Id);
            }
            foreach ((int id, ValType type, int a, int b) in results)
            {
                if (!active.Contains(id) && type == ValType.Double && (active.Contains(a) || active.Contains(b)))
                {
                    changed |= active.Add(id);
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
        UnaryInstr u when Ir.Rules.OpRules.Of(u.Op).NoDerivative => false, // Floor, Round, StopGradient: a constant to the derivative
        TapePop pop => pop.Type == ValType.Double && active.Contains(pop.Of), // the forward value it restores
        LoadLocal l => active.Contains(l.Array),
        _ => instr.Type == ValType.Double && IrWalk.Operands(instr).Any(active.Contains),
    };

    /// <summary>
    /// Every value a region defines from two others, at any depth: a phi (from its two sides), a loop variable at an
    /// iteration's start (from its value before the loop and its next value), and after the loop (from the same two).
    /// </summary>
    private static IEnumerable<(int Id, ValType Type, int A, int B)> Results(Block block)
    {
        foreach (Region region in block.Nodes.OfType<Region>())
        {
            switch (region)
            {
                case IfInstr r:
                    foreach (Phi phi in r.Phis) yield return (phi.Id, phi.Type, phi.Then, phi.Else);
                    break;
                case LoopRegion l:
                    foreach (LoopVar v in l.Vars)
                    {
                        yield return (v.Id, v.Type, v.Init, v.Next);
                        yield return (v.Result, v.Type, v.Init, v.Next);
                    }
                    break;
            }
            foreach (var inner in IrWalk.Blocks(region).SelectMany(Results)) yield return inner;
        }
    }
}

using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Differentiation;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Optimization;

/// <summary>
/// Removes every value that reaches neither the returned value, a gradient output nor an effect, and every region
/// none of whose results is used and that holds no effect. Liveness is a closure over the use-def graph (a worklist), so it does not depend on the
/// order of definitions and uses (a loop-carried value is used before its definition in the loop's body).
/// </summary>
internal static class DeadCodeElimination
{
    public static Block Run(Block block, IEnumerable<int> roots) => Sweep(block, Live(new[] { block }, roots));

    /// <summary>Both sweeps of a gradient: the returned value and every output are the roots.</summary>
    public static GradientIr Run(GradientIr gradient)
    {
        HashSet<int> live = Live(new[] { gradient.Forward, gradient.Backward }, gradient.Outputs.Select(o => o.Value).Append(gradient.Return));
        return gradient with { Forward = Sweep(gradient.Forward, live), Backward = Sweep(gradient.Backward, live) };
    }

    /// <summary>The values the roots read, transitively; a region's result also reads the region's own operands (its condition).</summary>
    private static HashSet<int> Live(IEnumerable<Block> blocks, IEnumerable<int> roots)
    {
        var reads = new Dictionary<int, IEnumerable<int>>();
        var work = new Stack<int>(roots);
        foreach (Block block in blocks) Index(block, reads, work, System.Array.Empty<int>());
        var live = new HashSet<int>();
        while (work.Count > 0)
        {
            int id = work.Pop();
            if (!live.Add(id) || !reads.TryGetValue(id, out IEnumerable<int>? operands)) continue;
            foreach (int operand in operands) work.Push(operand);
        }
        return live;
    }

    /// <summary>
    /// Records what each value reads; what an effect, or a region holding one, reads is a root. A value made inside
    /// regions also reads their conditions (<paramref name="guards"/>): the tape may keep a value of a branch for the
    /// backward sweep though no phi of the branch is live, and the branch must then still run.
    /// </summary>
    private static void Index(Block block, Dictionary<int, IEnumerable<int>> reads, Stack<int> roots, int[] guards)
    {
        foreach (Node node in block.Nodes)
        {
            switch (node)
            {
                case Instr instr:
                    reads[instr.Id] = guards.Length == 0 ? IrWalk.Operands(instr) : IrWalk.Operands(instr).Concat(guards).ToList();
                    if (IrWalk.IsPinned(instr)) roots.Push(instr.Id);
                    continue;
                case Effect effect:
                    foreach (int operand in IrWalk.Operands(effect)) roots.Push(operand);
                    continue;
                case LoopRegion loop:
                    // A variable's value after the loop, or at an iteration's start, needs its value before the
                    // loop and its next one, and the loop to run: its condition.
                    foreach (LoopVar v in loop.Vars)
                    {
                        reads[v.Result] = new[] { v.Id, loop.Cond };
                        reads[v.Id] = new[] { v.Init, v.Next, loop.Cond };
                    }
                    if (IrWalk.HasEffects(loop) || HasPinned(loop)) roots.Push(loop.Cond);
                    break;
                case IfInstr region:
                    foreach (Phi phi in region.Phis) reads[phi.Id] = new[] { phi.Then, phi.Else, region.Cond };
                    if (IrWalk.HasEffects(region)) roots.Push(region.Cond);
                    break;
            }
            int[] inside = node switch
            {
                IfInstr region => guards.Append(region.Cond).ToArray(),
                LoopRegion loop => guards.Append(loop.Cond).ToArray(),
                _ => guards,
            };
            foreach (Block inner in IrWalk.Blocks(node)) Index(inner, reads, roots, inside);
        }
    }

    /// <summary>Whether a region holds a value that must stay (a tape pop).</summary>
    private static bool HasPinned(Node node) => IrWalk.Blocks(node).Any(b => b.Nodes.Any(n => IrWalk.IsPinned(n) || HasPinned(n)));

    private static Block Sweep(Block block, HashSet<int> live)
    {
        var kept = new List<Node>();
        foreach (Node node in block.Nodes)
        {
            switch (node)
            {
                case Instr instr when live.Contains(instr.Id) || IrWalk.IsPinned(instr):
                case Effect:
                    kept.Add(node);
                    break;
                case IfInstr region when region.Phis.Any(p => live.Contains(p.Id)) || IrWalk.HasEffects(region) || IrWalk.Defined(region).Any(live.Contains):
                    kept.Add(region with
                    {
                        Then = Sweep(region.Then, live), Else = Sweep(region.Else, live),
                        Phis = region.Phis.Where(p => live.Contains(p.Id)).ToEquatableArray(),
                    });
                    break;
                case LoopRegion loop when loop.Vars.Any(v => live.Contains(v.Result)) || IrWalk.HasEffects(loop) || HasPinned(loop):
                    kept.Add(loop with
                    {
                        Header = Sweep(loop.Header, live), Body = Sweep(loop.Body, live),
                        Vars = loop.Vars.Where(v => live.Contains(v.Id) || live.Contains(v.Result)).ToEquatableArray(),
                    });
                    break;
            }
        }
        return new Block(kept.ToEquatableArray());
    }
}

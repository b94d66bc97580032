using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Ir;

/// <summary>
/// Renames the values a program reads: every operand found in <c>map</c> is replaced by its image, in every kind
/// of node and at any depth. Definitions keep their ids. This is how the backward sweep of a loop reads the copies
/// it restores (popped from the tape, or recomputed) instead of the forward iteration's values.
/// </summary>
internal static class IrRewrite
{
    public static Block Substitute(Block block, IReadOnlyDictionary<int, int> map) =>
        map.Count == 0 ? block : new Block(block.Nodes.Select(n => Substitute(n, map)).ToEquatableArray());

    public static Node Substitute(Node node, IReadOnlyDictionary<int, int> map)
    {
        int S(int id) => id >= 0 && map.TryGetValue(id, out int image) ? image : id;
        return node switch
        {
            UnaryInstr u => u with { A = S(u.A) },
            BinaryInstr b => b with { A = S(b.A), B = S(b.B) },
            CompareInstr c => c with { A = S(c.A), B = S(c.B) },
            SelectInstr s => s with { Cond = S(s.Cond), A = S(s.A), B = S(s.B) },
            LoadInstr l => l with { Index0 = S(l.Index0), Index1 = S(l.Index1) },
            CallInstr c => c with { Args = c.Args.Select(S).ToEquatableArray() },
            AddToAdjoint a => a with { Index0 = S(a.Index0), Index1 = S(a.Index1), Value = S(a.Value) },
            TapePush t => t with { Value = S(t.Value) },
            SideCall c => c with { Args = c.Args.Select(S).ToEquatableArray() },
            NewArray n => n with { Length0 = S(n.Length0), Length1 = S(n.Length1) },
            LoadLocal l => l with { Index0 = S(l.Index0), Index1 = S(l.Index1) },
            StoreLocal st => st with { Index0 = S(st.Index0), Index1 = S(st.Index1), Value = S(st.Value) },
            AddToLocal a => a with { Index0 = S(a.Index0), Index1 = S(a.Index1), Value = S(a.Value) },
            IfInstr r => r with
            {
                Cond = S(r.Cond), Then = Substitute(r.Then, map), Else = Substitute(r.Else, map),
                Phis = r.Phis.Select(p => p with { Then = S(p.Then), Else = S(p.Else) }).ToEquatableArray(),
            },
            LoopRegion l => l with
            {
                Cond = S(l.Cond), Header = Substitute(l.Header, map), Body = Substitute(l.Body, map),
                Vars = l.Vars.Select(v => v with { Init = S(v.Init), Next = S(v.Next) }).ToEquatableArray(),
            },
            _ => node, // leaves: constants, parameters, lengths, pops
        };
    }
}

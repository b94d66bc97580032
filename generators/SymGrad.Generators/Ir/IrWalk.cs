using System.Collections.Generic;
using System.Linq;

namespace SymGrad.Generators.Ir;

/// <summary>
/// Structural facts about nodes that every pass needs, in one place: what a node reads, what it defines, which
/// blocks it holds, how large it is, and a pre-order walk. A new kind of region is taught here (and in the passes'
/// region-specific rules: how it is differentiated, emitted, and which of its results are live), and everything
/// written against these follows.
/// </summary>
internal static class IrWalk
{
    /// <summary>The values a node reads directly: a value's operands; a region's condition and what its results take.</summary>
    public static IEnumerable<int> Operands(Node node) => node switch
    {
        UnaryInstr u => new[] { u.A },
        BinaryInstr b => new[] { b.A, b.B },
        CompareInstr c => new[] { c.A, c.B },
        SelectInstr s => new[] { s.Cond, s.A, s.B },
        LoadInstr l => l.Index1 < 0 ? new[] { l.Index0 } : new[] { l.Index0, l.Index1 },
        CallInstr c => c.Args,
        AddToAdjoint a => new[] { a.Index0, a.Index1, a.Value }.Where(v => v >= 0),
        IfInstr r => new[] { r.Cond }.Concat(r.Phis.SelectMany(p => new[] { p.Then, p.Else })),
        LoopRegion l => new[] { l.Cond }.Concat(l.Vars.SelectMany(v => new[] { v.Init, v.Next })),
        TapePush t => new[] { t.Value },
        SideCall c => c.Args,
        NewArray n => new[] { n.Length0, n.Length1 }.Where(v => v >= 0),
        LoadLocal l => new[] { l.Index0, l.Index1 }.Where(v => v >= 0),
        StoreLocal s => new[] { s.Index0, s.Index1, s.Value }.Where(v => v >= 0),
        AddToLocal a => new[] { a.Index0, a.Index1, a.Value }.Where(v => v >= 0),
        _ => System.Array.Empty<int>(),
    };

    /// <summary>The blocks inside a node (none for a value).</summary>
    public static IEnumerable<Block> Blocks(Node node) => node switch
    {
        IfInstr r => new[] { r.Then, r.Else },
        LoopRegion l => new[] { l.Header, l.Body },
        _ => System.Array.Empty<Block>(),
    };

    /// <summary>Every value a node defines: a value itself; a region's results and every value inside it; nothing for an effect.</summary>
    public static IEnumerable<int> Defined(Node node)
    {
        if (node is Instr instr)
        {
            yield return instr.Id;
            yield break;
        }
        if (node is Effect) yield break;
        foreach ((int id, _) in ((Region)node).Results) yield return id;
        if (node is LoopRegion loop)
        {
            foreach (LoopVar v in loop.Vars) yield return v.Id;
        }
        foreach (Node inner in Blocks(node).SelectMany(b => b.Nodes))
        {
            foreach (int id in Defined(inner)) yield return id;
        }
    }

    /// <summary>Every value (not region) in a block and the blocks inside it, in order: definitions before uses.</summary>
    public static IEnumerable<Instr> Values(Block block)
    {
        foreach (Node node in block.Nodes)
        {
            if (node is Instr instr)
            {
                yield return instr;
                continue;
            }
            foreach (Instr inner in Blocks(node).SelectMany(Values)) yield return inner;
        }
    }

    /// <summary>Whether a node is or holds an effect (a region with an effect inside must run even if none of its results is used).</summary>
    public static bool HasEffects(Node node) => node is Effect || Blocks(node).Any(b => b.Nodes.Any(HasEffects));

    /// <summary>Nodes in a block, counting a region as one plus its results and its blocks' nodes.</summary>
    public static int Size(Block block) => block.Nodes.Sum(Size);

    public static int Size(Node node) => node is Region r ? 1 + r.Results.Count() + Blocks(r).Sum(Size) : 1;

    /// <summary>Whether a value must stay where it is whatever reads it (it changes state: a tape pop).</summary>
    public static bool IsPinned(Node node) => node is TapePop;

    /// <summary>Whether a value reads memory that may change (a local array's element): it is computed where it stands.</summary>
    public static bool ReadsMemory(Node node) => node is LoadLocal or TapePop;

    /// <summary>Every node of a block and the blocks inside it, in order.</summary>
    public static IEnumerable<Node> All(Block block)
    {
        foreach (Node node in block.Nodes)
        {
            yield return node;
            foreach (Node inner in Blocks(node).SelectMany(All)) yield return inner;
        }
    }

    /// <summary>
    /// The values a block (and everything inside it) reads but does not define: what a region needs from the code
    /// around it.
    /// </summary>
    public static HashSet<int> FreeValues(Block block)
    {
        var defined = new HashSet<int>();
        var read = new HashSet<int>();
        void Walk(Block b)
        {
            foreach (Node node in b.Nodes)
            {
                foreach (int id in Defined(node)) defined.Add(id);
                foreach (int operand in Operands(node)) read.Add(operand);
                foreach (Block inner in Blocks(node)) Walk(inner);
            }
        }
        Walk(block);
        read.ExceptWith(defined);
        read.Remove(-1);
        return read;
    }
}

using System.Collections.Generic;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// Where each value of a program is defined and used: by block, for C#'s scoping (a value read outside the block
/// that defines it is <see cref="Hoisted"/>: declared before its outermost region), and by top-level item (an
/// outermost node, an output write, or the method itself), for splitting the program into parts.
/// </summary>
internal sealed class UseAnalysis
{
    /// <summary>The item that stands for the method itself, which reads the returned value after every part.</summary>
    public const int MethodItem = int.MaxValue;

    private readonly List<int> _parentBlock = new();
    private readonly Dictionary<Block, int> _blockIds = new(ReferenceComparer<Block>.Instance);
    private readonly List<(int Id, int Block)> _pendingUses = new();
    private int _currentItem;

    /// <param name="outputs">The values written to outputs after the body, one item each.</param>
    public UseAnalysis(Block body, IReadOnlyList<int> outputs, int result)
    {
        Index(body, -1);
        for (int k = 0; k < outputs.Count; k++)
        {
            _currentItem = body.Nodes.Count + k;
            Use(outputs[k], 0);
        }
        _currentItem = MethodItem;
        Use(result, 0);
        // Uses seen before their definitions (the roots; values the backward sweep reads from a forward region).
        foreach ((int id, int block) in _pendingUses)
        {
            if (DefBlock.TryGetValue(id, out int defBlock) && defBlock != 0 && !IsWithin(block, defBlock)) Hoisted.Add(id);
        }
        foreach ((int array, int block) in _arrayUses)
        {
            if (_arrayBlock.TryGetValue(array, out int made) && made != 0 && !IsWithin(block, made)) HoistedArrays.Add(array);
        }
    }

    private readonly Dictionary<int, int> _arrayBlock = new();
    private readonly List<(int Array, int Block)> _arrayUses = new();

    /// <summary>
    /// Local arrays made in a region and used outside it: a forward branch's array that the backward sweep of that
    /// branch (another region) reads or adds to. They are declared before their outermost region, as hoisted values are.
    /// </summary>
    public HashSet<int> HoistedArrays { get; } = new();

    private void UseArray(int array, int blockId)
    {
        if (array >= 0) _arrayUses.Add((array, blockId));
    }

    private static int ArrayOf(Effect effect) => effect switch
    {
        StoreLocal s => s.Array,
        AddToLocal a => a.Array,
        _ => -1,
    };

    public Dictionary<int, Instr> Defs { get; } = new();

    public Dictionary<int, Phi> Phis { get; } = new();

    /// <summary>The loop variable each id stands for: its value at an iteration's start or after the loop (one local).</summary>
    public Dictionary<int, LoopVar> LoopVars { get; } = new();

    /// <summary>The block each value is defined in (0: the outermost).</summary>
    public Dictionary<int, int> DefBlock { get; } = new();

    /// <summary>The top-level item each value is defined in.</summary>
    public Dictionary<int, int> DefItem { get; } = new();

    public Dictionary<int, int> UseCount { get; } = new();

    public Dictionary<int, int> FirstUseBlock { get; } = new();

    /// <summary>The top-level items that read each value, in order.</summary>
    public Dictionary<int, List<int>> UseItems { get; } = new();

    /// <summary>Values read outside the block that defines them.</summary>
    public HashSet<int> Hoisted { get; } = new();

    public ValType TypeOf(int id) => Phis.TryGetValue(id, out Phi? p) ? p.Type : LoopVars.TryGetValue(id, out LoopVar? v) ? v.Type : Defs[id].Type;

    private void Index(Block block, int parent)
    {
        int blockId = _parentBlock.Count;
        _parentBlock.Add(parent);
        _blockIds[block] = blockId;
        for (int k = 0; k < block.Nodes.Count; k++)
        {
            Node node = block.Nodes[k];
            if (parent < 0) _currentItem = k;
            switch (node)
            {
                case Effect effect:
                    foreach (int operand in IrWalk.Operands(effect)) Use(operand, blockId);
                    if (effect is NewArray made) _arrayBlock[made.Array] = blockId;
                    else UseArray(ArrayOf(effect), blockId);
                    break;
                case IfInstr region:
                    Use(region.Cond, blockId);
                    Index(region.Then, blockId);
                    Index(region.Else, blockId);
                    foreach (Phi phi in region.Phis)
                    {
                        Phis[phi.Id] = phi;
                        DefBlock[phi.Id] = blockId;
                        DefItem[phi.Id] = _currentItem;
                        Use(phi.Then, _blockIds[region.Then]);
                        Use(phi.Else, _blockIds[region.Else]);
                    }
                    break;
                case LoopRegion loop:
                    foreach (LoopVar v in loop.Vars)
                    {
                        Use(v.Init, blockId);
                        foreach (int id in new[] { v.Id, v.Result })
                        {
                            LoopVars[id] = v;
                            DefBlock[id] = blockId;
                            DefItem[id] = _currentItem;
                        }
                    }
                    Index(loop.Header, blockId);
                    Use(loop.Cond, _blockIds[loop.Header]);
                    Index(loop.Body, blockId);
                    foreach (LoopVar v in loop.Vars) Use(v.Next, _blockIds[loop.Body]);
                    break;
                case Instr instr:
                    if (instr is LoadLocal load) UseArray(load.Array, blockId);
                    Defs[instr.Id] = instr;
                    DefBlock[instr.Id] = blockId;
                    DefItem[instr.Id] = _currentItem;
                    foreach (int operand in IrWalk.Operands(instr)) Use(operand, blockId);
                    break;
                default:
                    throw new System.InvalidOperationException($"the emitter does not know the region {node.GetType().Name}");
            }
        }
    }

    private void Use(int id, int blockId)
    {
        UseCount[id] = UseCount.TryGetValue(id, out int n) ? n + 1 : 1;
        if (!UseItems.TryGetValue(id, out List<int>? items)) UseItems[id] = items = new List<int>(1);
        items.Add(_currentItem);
        if (!FirstUseBlock.ContainsKey(id)) FirstUseBlock[id] = blockId;
        if (DefBlock.TryGetValue(id, out int defBlock) && defBlock != 0 && !IsWithin(blockId, defBlock)) Hoisted.Add(id);
        else if (!DefBlock.ContainsKey(id)) _pendingUses.Add((id, blockId));
    }

    private bool IsWithin(int block, int ancestor)
    {
        for (int b = block; b >= 0; b = _parentBlock[b])
        {
            if (b == ancestor) return true;
        }
        return false;
    }
}

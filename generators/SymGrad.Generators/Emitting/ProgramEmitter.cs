using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Ir.Rules;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// Turns an IR program into C# statements, the way a person would write them: a value used once in the same
/// block is written inline into its use, a value used several times becomes a local named after the source
/// variable it was assigned to, and a phi becomes a local assigned in each branch. A value made inside a branch
/// and read after it (the backward sweep reads the forward sweep's) is declared before the outermost region, so
/// C#'s scoping and definite assignment hold. The typing and the look of each operation are left to subclasses:
/// the gradient on doubles, the tape twin on <c>Value</c>.
/// </summary>
internal abstract class ProgramEmitter
{
    private const int InlineLimit = 12; // operations in one inlined expression, for readability

    /// <summary>
    /// Statements per part when a method is split. The JIT stops optimising a method past 60,000 bytes of IL,
    /// 20,000 IL instructions or 2,000 locals, and tracks only 1,024 locals: 600 statements of this shape stay well
    /// inside all four.
    /// </summary>
    public const int PartStatements = 600;

    /// <summary>IR instructions per part; about two of them make one emitted statement once single uses are inlined.</summary>
    private const int PartInstructions = 2 * PartStatements;

    /// <summary>A final assignment of a value to an output (an adjoint element), emitted after the body.</summary>
    internal sealed record OutputWrite(string Target, int Value);

    private readonly IReadOnlyList<OutputWrite> _outputs;
    private readonly Dictionary<int, int> _defItem = new();
    private readonly Dictionary<int, List<int>> _useItems = new();
    private readonly Dictionary<int, int> _frameSlot = new();
    private int[] _itemPart = System.Array.Empty<int>();
    private int _currentItem;
    private bool _splitting;

    private readonly Dictionary<int, Instr> _defs = new();
    private readonly Dictionary<int, Phi> _phis = new();
    private readonly Dictionary<int, int> _defBlock = new();
    private readonly Dictionary<int, int> _useCount = new();
    private readonly Dictionary<int, int> _firstUseBlock = new();
    private readonly List<int> _parentBlock = new();
    private readonly Dictionary<Block, int> _blockIds = new(ReferenceComparer<Block>.Instance);
    private readonly HashSet<int> _inline = new();
    private readonly HashSet<int> _hoisted = new();
    private readonly Dictionary<int, string> _names = new();
    private readonly Dictionary<int, int> _size = new();
    private readonly HashSet<string> _usedNames;
    private readonly Dictionary<string, int> _nextSuffix = new();
    private readonly IReadOnlyList<string> _sourceLines;
    private int _lastOrigin = -2;

    /// <summary>A part of the program (a sweep) and the comment that heads it, if any.</summary>
    internal sealed record Section(Block Block, string? Heading);

    private readonly List<(int FirstItem, string? Heading)> _sections = new();
    private int _headed = -1;

    /// <param name="sections">The program: consecutive blocks of one scope (later ones read earlier ones' values).</param>
    /// <param name="allowSplit">Whether a program too large for one optimised method may be split into parts.</param>
    protected ProgramEmitter(IReadOnlyList<Section> sections, int result, IReadOnlyList<OutputWrite> outputs, IEnumerable<string> reservedNames,
                             IReadOnlyList<string> sourceLines, bool allowSplit)
    {
        var items = new List<Node>();
        foreach (Section section in sections)
        {
            _sections.Add((items.Count, section.Heading));
            items.AddRange(section.Block.Nodes);
        }
        Block body = new(items.ToEquatableArray());
        Body = body;
        _outputs = outputs;
        _usedNames = new HashSet<string>(reservedNames);
        _usedNames.Add("frame");
        _sourceLines = sourceLines;
        _splitting = allowSplit && IrWalk.Size(body) > 4 * PartStatements;
        Index(body, -1);
        for (int k = 0; k < outputs.Count; k++)
        {
            _currentItem = body.Nodes.Count + k;
            Use(outputs[k].Value, 0);
        }
        _currentItem = int.MaxValue; // the returned value is read by the method itself, after every part
        Use(result, 0);
        if (_splitting) AssignParts();
        Decide(body);
        if (_splitting) AssignFrameSlots();
        NameSourceVariables(body);
    }

    /// <summary>True when the program is emitted as several part methods sharing a frame of values.</summary>
    public bool IsSplit => _splitting;

    /// <summary>The number of part methods, when split.</summary>
    public int PartCount { get; private set; }

    /// <summary>The number of doubles the parts exchange through the frame, when split.</summary>
    public int FrameSize => _frameSlot.Count;

    protected Block Body { get; }

    protected Instr Def(int id) => _defs[id];

    protected bool IsPhi(int id) => _phis.ContainsKey(id);

    protected ValType TypeOf(int id) => _phis.TryGetValue(id, out Phi? p) ? p.Type : _defs[id].Type;

    protected abstract string TypeName(int id);

    protected abstract string DefaultValue(int id);

    /// <summary>The C# text of an instruction and its precedence (see <see cref="Prec"/>).</summary>
    protected abstract (string Text, int Precedence) Render(Instr instr);

    /// <summary>The C# statement of an effect (a write to memory).</summary>
    protected virtual string RenderEffect(Effect effect) =>
        throw new System.InvalidOperationException($"this program cannot write {effect.GetType().Name}");

    /// <summary>Leaves (literals, parameters, elements, lengths) read the same in every emitter; null for other instructions.</summary>
    protected (string Text, int Precedence)? RenderLeaf(Instr instr, MethodIr ir)
    {
        switch (instr)
        {
            case ConstInstr c:
                string literal = Literals.Format(c.Value, c.Type);
                return (literal, literal.StartsWith("-") ? Prec.Unary : Prec.Primary);
            case ParamInstr p:
                return (ir.Params[p.Param].Name, Prec.Primary);
            case LoadInstr l:
                return ($"{ir.Params[l.Param].Name}[{Operand(l.Index0, Prec.Conditional)}{(l.Index1 >= 0 ? ", " + Operand(l.Index1, Prec.Conditional) : "")}]", Prec.Primary);
            case LengthInstr n:
                string name = ir.Params[n.Param].Name;
                return (ir.Params[n.Param].Kind == ParamKind.Array2D ? $"{name}.GetLength({n.Dimension})" : $"{name}.Length", Prec.Primary);
            default:
                return null;
        }
    }

    /// <summary>An operand as text: a literal, a name, or its whole expression when it is inlined.</summary>
    protected string Operand(int id, int minimum)
    {
        (string text, int prec) = ExpressionOf(id);
        return prec < minimum ? "(" + text + ")" : text;
    }

    /// <summary>A binary expression; the right operand binds tighter (C#'s operators associate to the left).</summary>
    protected (string, int) BinaryText(int a, string op, int b, int prec) =>
        (Operand(a, prec) + " " + op + " " + Operand(b, prec + 1), prec);

    private (string Text, int Precedence) ExpressionOf(int id)
    {
        if (_inline.Contains(id) && _defs.TryGetValue(id, out Instr? instr)) return Render(instr);
        if (_frameSlot.ContainsKey(id) && TypeOf(id) != ValType.Double) return (NameOf(id), TypeOf(id) == ValType.Int ? Prec.Unary : Prec.Equality);
        return (NameOf(id), Prec.Primary);
    }

    /// <summary>The statement that stores <paramref name="value"/> into <paramref name="id"/>'s local, or its frame slot.</summary>
    private string Assignment(int id, string value, bool declare)
    {
        if (_frameSlot.TryGetValue(id, out int slot))
        {
            return TypeOf(id) switch
            {
                ValType.Int => $"frame[{slot}] = {value};",
                ValType.Bool => $"frame[{slot}] = ({value}) ? 1.0 : 0.0;",
                _ => $"frame[{slot}] = {value};",
            };
        }
        return declare ? $"{TypeName(id)} {NameOf(id)} = {value};" : $"{NameOf(id)} = {value};";
    }

    protected string NameOf(int id)
    {
        if (_frameSlot.TryGetValue(id, out int slot))
        {
            return TypeOf(id) switch
            {
                ValType.Int => $"(int)frame[{slot}]",
                ValType.Bool => $"frame[{slot}] != 0.0",
                _ => $"frame[{slot}]",
            };
        }
        return LocalName(id);
    }

    /// <summary>The name of a value's local (also the stem of its adjoint's name), whether or not it lives in the frame.</summary>
    private string LocalName(int id)
    {
        if (_names.TryGetValue(id, out string? name)) return name;
        string wanted = _defs.TryGetValue(id, out Instr? def) && def.AdjointOf >= 0 && (_defs.ContainsKey(def.AdjointOf) || _phis.ContainsKey(def.AdjointOf))
            ? "d" + LocalName(def.AdjointOf).TrimStart('@')
            : Sanitize(_phis.TryGetValue(id, out Phi? phi) ? phi.Name : def?.Name ?? TemporaryName(def));
        name = wanted;
        _nextSuffix.TryGetValue(wanted, out int n);
        if (n < 2) n = 2;
        while (!_usedNames.Add(name)) name = wanted + "_" + n++;
        _nextSuffix[wanted] = n; // the next free suffix: naming stays linear however many versions a variable has
        _names[id] = name;
        return name;
    }

    /// <summary>A value the source never named is named after what it computes: <c>cos</c>, <c>inv</c>, <c>cond</c>.</summary>
    private string? TemporaryName(Instr? def) => def switch
    {
        BinaryInstr { Op: Op.Div } b when _defs.TryGetValue(b.A, out Instr? n) && n is ConstInstr { Value: 1.0 } => "inv",
        UnaryInstr u => OpRules.Of(u.Op).Temporary,
        BinaryInstr b => OpRules.Of(b.Op).Temporary,
        CompareInstr => "cond",
        _ => null,
    };

    /// <summary>Source names go first, so a name the user chose is never pushed aside by a temporary.</summary>
    private void NameSourceVariables(Block block)
    {
        foreach (Node node in block.Nodes)
        {
            if (node is IfInstr region)
            {
                // A region's results first: the variable as the source sees it after the if keeps the plain name.
                foreach (Phi phi in region.Phis.Where(p => p.Name is not null)) LocalName(phi.Id);
                NameSourceVariables(region.Then);
                NameSourceVariables(region.Else);
            }
            else if (node is Instr { Name: not null, AdjointOf: < 0 } instr && !_inline.Contains(instr.Id))
            {
                LocalName(instr.Id);
            }
        }
    }

    private static string Sanitize(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "t";
        name = name!.TrimStart('@');
        return Parsing.MethodParser.Identifier(name);
    }

    // ---- emission -------------------------------------------------------------------------------------------

    /// <summary>The whole program in one method: the body, then the output writes under <paramref name="outputsHeading"/>.</summary>
    public void EmitBody(CodeWriter w, string? outputsHeading = null)
    {
        EmitItems(w, 0, Body.Nodes.Count + _outputs.Count, outputsHeading);
    }

    /// <summary>Part <paramref name="part"/> of a split program: its items, reading and writing shared values in <c>frame</c>.</summary>
    public void EmitPart(CodeWriter w, int part)
    {
        int first = System.Array.IndexOf(_itemPart, part), last = System.Array.LastIndexOf(_itemPart, part);
        if (first >= 0) EmitItems(w, first, last + 1, null);
    }

    private void EmitItems(CodeWriter w, int from, int to, string? outputsHeading)
    {
        for (int k = from; k < to; k++)
        {
            if (k >= Body.Nodes.Count)
            {
                if (k == Body.Nodes.Count && outputsHeading is not null)
                {
                    if (_emittedAny) w.Line();
                    w.Line(outputsHeading);
                }
                OutputWrite output = _outputs[k - Body.Nodes.Count];
                w.Line($"{output.Target} = {Operand(output.Value, Prec.Conditional)};");
                continue;
            }
            Node node = Body.Nodes[k];
            if (!IsInline(node)) Heading(w, k);
            foreach (int id in IrWalk.Defined(node).Where(i => _hoisted.Contains(i) && !_frameSlot.ContainsKey(i)))
            {
                w.Line($"{TypeName(id)} {NameOf(id)} = {DefaultValue(id)}; // set below, read after its branch");
            }
            EmitNode(w, node);
        }
    }

    /// <summary>Heads the section of item <paramref name="k"/> with its comment, before its first statement.</summary>
    private void Heading(CodeWriter w, int k)
    {
        int section = _sections.FindLastIndex(s => s.FirstItem <= k);
        if (section <= _headed) return;
        _headed = section;
        if (_sections[section].Heading is not { } heading) return;
        if (_emittedAny) w.Line();
        w.Line(heading);
    }

    private void EmitBlock(CodeWriter w, Block block)
    {
        foreach (Node node in block.Nodes) EmitNode(w, node);
    }

    private bool _emittedAny;

    /// <summary>Whether a node is written into its uses rather than as a statement (regions never are).</summary>
    private bool IsInline(Node node) => node is Instr instr && _inline.Contains(instr.Id);

    private void EmitNode(CodeWriter w, Node node)
    {
        if (!IsInline(node)) _emittedAny = true;
        switch (node)
        {
            case IfInstr region:
                EmitIf(w, region);
                return;
            case Region other:
                throw new System.InvalidOperationException($"the emitter does not know the region {other.GetType().Name}");
            case Effect effect:
                Comment(w, effect.Origin);
                w.Line(RenderEffect(effect));
                return;
        }
        var instr = (Instr)node;
        if (_inline.Contains(instr.Id)) return;
        Comment(w, instr.Origin);
        w.Line(Assignment(instr.Id, Render(instr).Text, declare: !_hoisted.Contains(instr.Id)));
    }

    private void EmitIf(CodeWriter w, IfInstr region)
    {
        Comment(w, region.Origin);
        foreach (Phi phi in region.Phis.Where(p => !_hoisted.Contains(p.Id) && !_frameSlot.ContainsKey(p.Id)))
        {
            w.Line($"{TypeName(phi.Id)} {NameOf(phi.Id)};");
        }
        w.Open($"if ({Operand(region.Cond, Prec.Conditional)})");
        EmitBranch(w, region.Then, region.Phis.Select(p => (p.Id, p.Then)));
        bool emptyElse = region.Else.Nodes.All(IsInline) && region.Phis.Count == 0;
        if (emptyElse)
        {
            w.Close();
        }
        else
        {
            w.Close();
            w.Open("else");
            EmitBranch(w, region.Else, region.Phis.Select(p => (p.Id, p.Else)));
            w.Close();
        }
        _lastOrigin = -2;
    }

    private void EmitBranch(CodeWriter w, Block block, IEnumerable<(int Phi, int Value)> assignments)
    {
        _lastOrigin = -2;
        EmitBlock(w, block);
        foreach ((int phi, int value) in assignments) w.Line(Assignment(phi, Operand(value, Prec.Conditional), declare: false));
    }

    private void Comment(CodeWriter w, int origin)
    {
        if (origin == _lastOrigin || origin < 0 || origin >= _sourceLines.Count) return;
        _lastOrigin = origin;
        w.Line("// " + _sourceLines[origin]);
    }

    // ---- analysis -------------------------------------------------------------------------------------------

    private void Index(Block block, int parent)
    {
        int blockId = _parentBlock.Count;
        _parentBlock.Add(parent);
        _blockIds[block] = blockId;
        for (int k = 0; k < block.Nodes.Count; k++)
        {
            Node node = block.Nodes[k];
            if (parent < 0) _currentItem = k;
            if (node is Region && node is not IfInstr) throw new System.InvalidOperationException($"the emitter does not know the region {node.GetType().Name}");
            if (node is Effect effect)
            {
                foreach (int operand in IrWalk.Operands(effect)) Use(operand, blockId);
                continue;
            }
            if (node is IfInstr region)
            {
                Use(region.Cond, blockId);
                Index(region.Then, blockId);
                Index(region.Else, blockId);
                foreach (Phi phi in region.Phis)
                {
                    _phis[phi.Id] = phi;
                    _defBlock[phi.Id] = blockId;
                    _defItem[phi.Id] = _currentItem;
                    Use(phi.Then, _blockIds[region.Then]);
                    Use(phi.Else, _blockIds[region.Else]);
                }
                continue;
            }
            var instr = (Instr)node;
            _defs[instr.Id] = instr;
            _defBlock[instr.Id] = blockId;
            _defItem[instr.Id] = _currentItem;
            foreach (int operand in IrWalk.Operands(instr)) Use(operand, blockId);
        }
    }

    private void Use(int id, int blockId)
    {
        _useCount[id] = _useCount.TryGetValue(id, out int n) ? n + 1 : 1;
        if (!_useItems.TryGetValue(id, out List<int>? items)) _useItems[id] = items = new List<int>(1);
        items.Add(_currentItem);
        if (!_firstUseBlock.ContainsKey(id)) _firstUseBlock[id] = blockId;
        if (_defBlock.TryGetValue(id, out int defBlock) && defBlock != 0 && !IsWithin(blockId, defBlock)) _hoisted.Add(id);
        else if (!_defBlock.ContainsKey(id)) _pendingUses.Add((id, blockId));
    }

    private readonly List<(int Id, int Block)> _pendingUses = new();

    private bool IsWithin(int block, int ancestor)
    {
        for (int b = block; b >= 0; b = _parentBlock[b])
        {
            if (b == ancestor) return true;
        }
        return false;
    }

    private void Decide(Block body)
    {
        // Uses seen before their definitions (phis used by the backward sweep are defined earlier; roots).
        foreach ((int id, int block) in _pendingUses)
        {
            if (_defBlock.TryGetValue(id, out int defBlock) && defBlock != 0 && !IsWithin(block, defBlock)) _hoisted.Add(id);
        }
        DecideBlock(body);
    }

    private void DecideBlock(Block block)
    {
        foreach (Node node in block.Nodes)
        {
            if (node is IfInstr region)
            {
                DecideBlock(region.Then);
                DecideBlock(region.Else);
                continue;
            }
            if (node is not Instr instr) continue;
            bool leaf = instr is ConstInstr or ParamInstr or LoadInstr or LengthInstr;
            int uses = _useCount.TryGetValue(instr.Id, out int n) ? n : 0;
            int size = 1 + IrWalk.Operands(instr).Sum(o => _inline.Contains(o) && _size.TryGetValue(o, out int s) ? s : 0);
            bool sameBlock = _firstUseBlock.TryGetValue(instr.Id, out int useBlock) && useBlock == _defBlock[instr.Id]
                // A split program inlines only within a part: an expression never reaches into another part.
                && (!_splitting || (_useItems.TryGetValue(instr.Id, out List<int>? useItems) && useItems[0] != int.MaxValue
                                    && _itemPart[useItems[0]] == _itemPart[_defItem[instr.Id]]));
            if (leaf || (uses == 1 && sameBlock && !_hoisted.Contains(instr.Id) && size <= InlineLimit))
            {
                _inline.Add(instr.Id);
                _size[instr.Id] = leaf ? 0 : size;
            }
        }
    }

    /// <summary>
    /// Cuts the outermost items into parts of about <see cref="PartInstructions"/> instructions (before inlining, so
    /// that inlining can stay within a part).
    /// </summary>
    private void AssignParts()
    {
        int items = Body.Nodes.Count + _outputs.Count;
        _itemPart = new int[items];
        int part = 0, count = 0;
        for (int k = 0; k < items; k++)
        {
            int size = k < Body.Nodes.Count ? IrWalk.Size(Body.Nodes[k]) : 1;
            if (count > 0 && count + size > PartInstructions)
            {
                part++;
                count = 0;
            }
            _itemPart[k] = part;
            count += size;
        }
        PartCount = part + 1;
    }

    /// <summary>Gives a frame slot to every value read in a part other than its own, or by the method after the parts.</summary>
    private void AssignFrameSlots()
    {
        foreach (KeyValuePair<int, List<int>> uses in _useItems)
        {
            int id = uses.Key;
            if (_inline.Contains(id) || !_defItem.TryGetValue(id, out int defItem)) continue;
            int defPart = _itemPart[defItem];
            if (uses.Value.Any(u => u == int.MaxValue || _itemPart[u] != defPart)) _frameSlot[id] = _frameSlot.Count;
        }
    }
}

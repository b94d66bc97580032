using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Optimization;

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

    private readonly Dictionary<int, Instr> _defs = new();
    private readonly Dictionary<int, Phi> _phis = new();
    private readonly Dictionary<int, int> _defBlock = new();
    private readonly Dictionary<int, int> _useCount = new();
    private readonly Dictionary<int, int> _firstUseBlock = new();
    private readonly List<int> _parentBlock = new();
    private readonly Dictionary<Block, int> _blockIds = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<int> _inline = new();
    private readonly HashSet<int> _hoisted = new();
    private readonly Dictionary<int, string> _names = new();
    private readonly Dictionary<int, int> _size = new();
    private readonly HashSet<string> _usedNames;
    private readonly Dictionary<string, int> _nextSuffix = new();
    private readonly IReadOnlyList<string> _sourceLines;
    private int _lastOrigin = -2;

    protected ProgramEmitter(Block body, IEnumerable<int> roots, IEnumerable<string> reservedNames, IReadOnlyList<string> sourceLines)
    {
        Body = body;
        _usedNames = new HashSet<string>(reservedNames);
        _sourceLines = sourceLines;
        Index(body, -1);
        foreach (int root in roots) Use(root, 0);
        Decide(body);
    }

    protected Block Body { get; }

    protected Instr Def(int id) => _defs[id];

    protected bool IsPhi(int id) => _phis.ContainsKey(id);

    protected ValType TypeOf(int id) => _phis.TryGetValue(id, out Phi? p) ? p.Type : _defs[id].Type;

    /// <summary>Called before each statement of the outermost block; subclasses write section comments.</summary>
    protected virtual void BeforeTopLevel(CodeWriter w, Instr instr)
    {
    }

    protected abstract string TypeName(int id);

    protected abstract string DefaultValue(int id);

    /// <summary>The C# text of an instruction and its precedence (see <see cref="Prec"/>).</summary>
    protected abstract (string Text, int Precedence) Render(Instr instr);

    /// <summary>Precedences of C# expressions, lowest first.</summary>
    protected static class Prec
    {
        public const int Conditional = 10, Or = 20, And = 30, Equality = 40, Relational = 50, Additive = 60,
            Multiplicative = 70, Unary = 80, Primary = 90;
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
        return (NameOf(id), Prec.Primary);
    }

    protected string NameOf(int id)
    {
        if (_names.TryGetValue(id, out string? name)) return name;
        string wanted = _defs.TryGetValue(id, out Instr? def) && def.AdjointOf >= 0 && (_defs.ContainsKey(def.AdjointOf) || _phis.ContainsKey(def.AdjointOf))
            ? "d" + NameOf(def.AdjointOf).TrimStart('@')
            : Sanitize(_phis.TryGetValue(id, out Phi? phi) ? phi.Name : def?.Name);
        name = wanted;
        _nextSuffix.TryGetValue(wanted, out int n);
        if (n < 2) n = 2;
        while (!_usedNames.Add(name)) name = wanted + "_" + n++;
        _nextSuffix[wanted] = n; // the next free suffix: naming stays linear however many versions a variable has
        _names[id] = name;
        return name;
    }

    private static string Sanitize(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "t";
        name = name!.TrimStart('@');
        return Parsing.MethodParser.Identifier(name);
    }

    // ---- emission -------------------------------------------------------------------------------------------

    public void EmitBody(CodeWriter w) => EmitBlock(w, Body, topLevel: true);

    private void EmitBlock(CodeWriter w, Block block, bool topLevel)
    {
        foreach (Instr instr in block.Instrs)
        {
            if (topLevel)
            {
                BeforeTopLevel(w, instr);
                foreach (int id in DefinedWithin(instr).Where(_hoisted.Contains))
                {
                    w.Line($"{TypeName(id)} {NameOf(id)} = {DefaultValue(id)}; // set below, read after its branch");
                }
            }
            if (instr is IfInstr region)
            {
                EmitIf(w, region);
                continue;
            }
            if (_inline.Contains(instr.Id)) continue;
            Comment(w, instr.Origin);
            string value = Render(instr).Text;
            w.Line(_hoisted.Contains(instr.Id) ? $"{NameOf(instr.Id)} = {value};" : $"{TypeName(instr.Id)} {NameOf(instr.Id)} = {value};");
        }
    }

    private void EmitIf(CodeWriter w, IfInstr region)
    {
        Comment(w, region.Origin);
        foreach (Phi phi in region.Phis.Where(p => !_hoisted.Contains(p.Id)))
        {
            w.Line($"{TypeName(phi.Id)} {NameOf(phi.Id)};");
        }
        w.Open($"if ({Operand(region.Cond, Prec.Conditional)})");
        EmitBranch(w, region.Then, region.Phis.Select(p => (p.Id, p.Then)));
        bool emptyElse = region.Else.Instrs.All(i => _inline.Contains(i.Id) && i is not IfInstr) && region.Phis.Count == 0;
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
        EmitBlock(w, block, topLevel: false);
        foreach ((int phi, int value) in assignments) w.Line($"{NameOf(phi)} = {Operand(value, Prec.Conditional)};");
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
        foreach (Instr instr in block.Instrs)
        {
            if (instr is IfInstr region)
            {
                Use(region.Cond, blockId);
                Index(region.Then, blockId);
                Index(region.Else, blockId);
                foreach (Phi phi in region.Phis)
                {
                    _phis[phi.Id] = phi;
                    _defBlock[phi.Id] = blockId;
                    Use(phi.Then, _blockIds[region.Then]);
                    Use(phi.Else, _blockIds[region.Else]);
                }
                continue;
            }
            _defs[instr.Id] = instr;
            _defBlock[instr.Id] = blockId;
            foreach (int operand in DeadCodeElimination.Operands(instr)) Use(operand, blockId);
        }
    }

    private void Use(int id, int blockId)
    {
        _useCount[id] = _useCount.TryGetValue(id, out int n) ? n + 1 : 1;
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
        foreach (Instr instr in block.Instrs)
        {
            if (instr is IfInstr region)
            {
                DecideBlock(region.Then);
                DecideBlock(region.Else);
                continue;
            }
            bool leaf = instr is ConstInstr or ParamInstr or LoadInstr or LengthInstr;
            int uses = _useCount.TryGetValue(instr.Id, out int n) ? n : 0;
            int size = 1 + DeadCodeElimination.Operands(instr).Sum(o => _inline.Contains(o) && _size.TryGetValue(o, out int s) ? s : 0);
            bool sameBlock = _firstUseBlock.TryGetValue(instr.Id, out int useBlock) && useBlock == _defBlock[instr.Id];
            if (leaf || (uses == 1 && sameBlock && !_hoisted.Contains(instr.Id) && size <= InlineLimit))
            {
                _inline.Add(instr.Id);
                _size[instr.Id] = leaf ? 0 : size;
            }
        }
    }

    private static IEnumerable<int> DefinedWithin(Instr instr)
    {
        if (instr is not IfInstr region)
        {
            yield return instr.Id;
            yield break;
        }
        foreach (Phi phi in region.Phis) yield return phi.Id;
        foreach (Instr inner in region.Then.Instrs.Concat(region.Else.Instrs))
        {
            foreach (int id in DefinedWithin(inner)) yield return id;
        }
    }

    private sealed class ReferenceEqualityComparer : IEqualityComparer<Block>
    {
        public static readonly ReferenceEqualityComparer Instance = new();
        public bool Equals(Block? x, Block? y) => ReferenceEquals(x, y);
        public int GetHashCode(Block obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}

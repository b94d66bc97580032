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
    /// <summary>A final assignment of a value to an output (an adjoint element), emitted after the body.</summary>
    internal sealed record OutputWrite(string Target, int Value);

    /// <summary>A part of the program (a sweep) and the comment that heads it, if any.</summary>
    internal sealed record Section(Block Block, string? Heading);

    private readonly IReadOnlyList<OutputWrite> _outputs;
    private readonly UseAnalysis _uses;
    private readonly PartPlan? _parts;
    private readonly HashSet<int> _inline;
    private readonly Naming _naming;
    private readonly Dictionary<int, int> _frameSlot;
    private readonly IReadOnlyList<string> _sourceLines;
    private readonly List<(int FirstItem, string? Heading)> _sections = new();
    private int _headed = -1;
    private int _lastOrigin = -2;
    private bool _emittedAny;
    /// <param name="sections">The program: consecutive blocks of one scope (later ones read earlier ones' values).</param>
    /// <param name="allowSplit">Whether a program too large for one optimised method may be split into parts.</param>
    /// <param name="readElementsOnce">Whether an element read several times is read once into a local (plain doubles: a
    /// checked, computed index at every read; a <c>Value</c> element is a reference, as cheap to read again).</param>
    /// <param name="parameters">The method's parameter names.</param>
    /// <param name="reservedNames">Names locals may not take, besides the parameters' (the adjoints').</param>
    /// <param name="boundArrays">The parameters a vector output's tangent and seed arrays are bound to, by kind.</param>
    protected ProgramEmitter(IReadOnlyList<Section> sections, int result, IReadOnlyList<OutputWrite> outputs, IReadOnlyList<string> parameters,
                             IEnumerable<string> reservedNames, IReadOnlyList<string> sourceLines, bool allowSplit, bool readElementsOnce,
                             IReadOnlyDictionary<ArraySourceKind, string>? boundArrays = null)
    {
        var items = new List<Node>();
        foreach (Section section in sections)
        {
            _sections.Add((items.Count, section.Heading));
            items.AddRange(section.Block.Nodes);
        }
        Body = new Block(items.ToEquatableArray());
        _outputs = outputs;
        _sourceLines = sourceLines;
        _uses = new UseAnalysis(Body, outputs.Select(o => o.Value).ToList(), result);
        _parts = PartPlan.For(Body, outputs.Count, allowSplit);
        _inline = Inlining.Decide(Body, _uses, _parts, readElementsOnce);
        _parts?.AssignFrameSlots(_uses, _inline);
        _frameSlot = _parts?.FrameSlots ?? new Dictionary<int, int>();
        _naming = new Naming(parameters, parameters.Select(p => p.TrimStart('@')).Concat(reservedNames).Append("frame").Append("tape"), _uses);
        _boundNames = boundArrays ?? new Dictionary<ArraySourceKind, string>();
        foreach (NewArray array in IrWalk.All(Body).OfType<NewArray>())
        {
            _arrays[array.Array] = array;
            // The vector output and its tangent are the method's own parameters: their elements are written in place.
            _arrayNames[array.Array] = array.Source switch
            {
                { Kind: ArraySourceKind.Output } s => parameters[s.Param],
                { Kind: ArraySourceKind.OutputTangent } => _boundNames[ArraySourceKind.OutputTangent],
                _ => _naming.Reserve(array.Name),
            };
        }
        _naming.NameSourceVariables(Body, _inline);
    }

    private readonly Dictionary<int, NewArray> _arrays = new();
    private readonly IReadOnlyDictionary<ArraySourceKind, string> _boundNames;

    /// <summary>The parameter a vector output's array is bound to (<see cref="ArraySource"/>): its tangent <c>tR</c> or its seed <c>dR</c>.</summary>
    protected string BoundName(ArraySourceKind kind) => _boundNames[kind];
    private readonly Dictionary<int, string> _arrayNames = new();

    /// <summary>Takes a unique name for a local the emitter adds (not a value's).</summary>
    protected string ReserveName(string wanted) => _naming.Reserve(wanted);

    protected UseAnalysis Uses => _uses;

    /// <summary>The local of a local array.</summary>
    protected string ArrayName(int array) => _arrayNames[array];

    /// <summary>Whether a local array is declared before its region (<see cref="UseAnalysis.HoistedArrays"/>) and only assigned where it is made.</summary>
    protected bool IsHoistedArray(int array) => _uses.HoistedArrays.Contains(array);

    /// <summary>The declaration of a hoisted local array, before its region, holding no array yet.</summary>
    protected virtual string HoistedArrayDeclaration(string name) => $"{Real.Span} {name} = default;";

    /// <summary>The type the program computes in: the method's own (the tape twin: double, the <c>Value</c> engine's).</summary>
    protected virtual RealType Real => RealType.Double;

    /// <summary>Whether a local array is two-dimensional.</summary>
    protected bool IsTwoDimensional(int array) => _arrays[array].Length1 >= 0;

    /// <summary>
    /// An element of a local array: <c>h[i]</c>, or <c>h[i * m + j]</c> for a two-dimensional one (its elements are
    /// one block, row after row).
    /// </summary>
    protected string Element(int array, int index0, int index1)
    {
        string name = ArrayName(array);
        if (index1 < 0) return $"{name}[{Operand(index0, Prec.Conditional)}]";
        return $"{name}[{Operand(index0, Prec.Multiplicative)} * {Operand(_arrays[array].Length1, Prec.Multiplicative + 1)} + {Operand(index1, Prec.Additive + 1)}]";
    }

    /// <summary>The number of elements of a local array, as text.</summary>
    protected string ElementCount(NewArray array) => array.Length1 < 0
        ? Operand(array.Length0, Prec.Conditional)
        : Operand(array.Length0, Prec.Multiplicative) + " * " + Operand(array.Length1, Prec.Multiplicative + 1);

    /// <summary>Statements a program puts just before a counted loop's <c>for</c> statement (the plain programs take the rows it indexes).</summary>
    protected virtual void BeforeCountedLoop(CodeWriter w, LoopRegion loop, LoopVar index)
    {
    }

    /// <summary>Called after a counted loop's <c>for</c> statement closes (what <see cref="BeforeCountedLoop"/> declared goes out of use).</summary>
    protected virtual void AfterCountedLoop(LoopRegion loop)
    {
    }

    /// <summary>Statements a program puts at the start and the end of a loop's body (the plain programs release the arrays an iteration made).</summary>
    protected virtual void LoopBodyStart(CodeWriter w, LoopRegion loop)
    {
    }

    protected virtual void LoopBodyEnd(CodeWriter w, LoopRegion loop)
    {
    }

    /// <summary>True when the program is emitted as several part methods sharing a frame of values.</summary>
    public bool IsSplit => _parts is not null;

    /// <summary>The number of part methods, when split.</summary>
    public int PartCount => _parts?.PartCount ?? 1;

    /// <summary>The number of doubles the parts exchange through the frame, when split.</summary>
    public int FrameSize => _frameSlot.Count;

    protected Block Body { get; }

    protected Instr Def(int id) => _uses.Defs[id];

    protected bool IsPhi(int id) => _uses.Phis.ContainsKey(id);

    protected ValType TypeOf(int id) => _uses.TypeOf(id);

    protected abstract string TypeName(int id);

    protected abstract string DefaultValue(int id);

    /// <summary>The C# text of an instruction and its precedence (see <see cref="Prec"/>).</summary>
    protected abstract (string Text, int Precedence) Render(Instr instr);

    /// <summary>The C# statement of an effect (a write to memory).</summary>
    protected virtual string RenderEffect(Effect effect) => effect is SideCall call
        ? RenderSideCall(call)
        : throw new System.InvalidOperationException($"this program cannot write {effect.GetType().Name}");

    /// <summary>A kept side-effect call: its text with each hole replaced by its value.</summary>
    private string RenderSideCall(SideCall call)
    {
        string text = call.Template;
        for (int k = 0; k < call.Args.Count; k++)
        {
            // In an interpolation hole the first ':' starts the format clause, and global:: has two: parenthesise (a
            // conditional's ':' is parenthesised already, by its precedence).
            string argument = SideCallArgument(call.Args[k], Prec.Or);
            if (argument.Contains("::")) argument = "(" + argument + ")";
            text = text.Replace(SideCall.Hole(k), argument)
                .Replace(SideCall.Hole(k, tight: true), SideCallArgument(call.Args[k], Prec.Multiplicative));
        }
        return text + ";";
    }

    /// <summary>A value passed to a side-effect call (an argument, a hole of an interpolated string, an operand of a string +): its plain number.</summary>
    protected virtual string SideCallArgument(int id, int minimum) => Operand(id, minimum);

    /// <summary>Leaves (literals, parameters, elements, lengths) read the same in every emitter; null for other instructions.</summary>
    /// <summary><c>global::T.F(a, b)</c>, and <c>.Item1</c> for one partial of a rule that returns a tuple.</summary>
    protected static string CallText(CallInstr call, System.Func<int, string> argument) =>
        $"{call.Target}({string.Join(", ", call.Args.Select(argument))})" + (call.Item >= 0 ? $".Item{call.Item + 1}" : "");

    protected (string Text, int Precedence)? RenderLeaf(Instr instr, MethodIr ir)
    {
        switch (instr)
        {
            case ConstInstr c:
                string literal = Real.Literal(c.Value, c.Type);
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
        if (_inline.Contains(id) && _uses.Defs.TryGetValue(id, out Instr? instr)) return Render(instr);
        if (_frameSlot.ContainsKey(id) && TypeOf(id) != ValType.Double) return (NameOf(id), TypeOf(id) == ValType.Int ? Prec.Unary : Prec.Equality);
        if (_frameSlot.ContainsKey(id)) return (NameOf(id), Real.FromDoublePrecedence(Prec.Primary));
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
                _ => Real.FromDouble($"frame[{slot}]"),
            };
        }
        return _naming.Local(id);
    }

    // ---- emission -------------------------------------------------------------------------------------------

    /// <summary>The whole program in one method: the body, then the output writes under <paramref name="outputsHeading"/>.</summary>
    public void EmitBody(CodeWriter w, string? outputsHeading = null)
    {
        EmitItems(w, 0, Body.Nodes.Count + _outputs.Count, outputsHeading);
    }

    /// <summary>
    /// Sections <paramref name="from"/> up to <paramref name="to"/> (exclusive) of the program, with the outputs after
    /// the last section: a Jacobian writes its forward sweep once and its backward sweep in a loop over the rows.
    /// </summary>
    public void EmitSections(CodeWriter w, int from, int to, string? outputsHeading = null)
    {
        int end = to < _sections.Count ? _sections[to].FirstItem : Body.Nodes.Count + _outputs.Count;
        EmitItems(w, _sections[from].FirstItem, end, outputsHeading);
    }

    /// <summary>Part <paramref name="part"/> of a split program: its items, reading and writing shared values in <c>frame</c>.</summary>
    public void EmitPart(CodeWriter w, int part)
    {
        if (_parts?.Items(part) is (int from, int to)) EmitItems(w, from, to, null);
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
            var declared = new HashSet<string>();
            foreach (int id in IrWalk.Defined(node).Where(i => _uses.Hoisted.Contains(i) && !_frameSlot.ContainsKey(i) && !_inline.Contains(i)))
            {
                if (!declared.Add(NameOf(id))) continue; // a loop variable's two ids are one local
                w.Line($"{TypeName(id)} {NameOf(id)} = {DefaultValue(id)}; // set below, read after its branch");
            }
            foreach (NewArray made in IrWalk.Blocks(node).SelectMany(IrWalk.All).OfType<NewArray>().Where(a => _uses.HoistedArrays.Contains(a.Array)))
            {
                w.Line($"{HoistedArrayDeclaration(ArrayName(made.Array))} // made below, used after its branch");
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
        Dictionary<int, List<CallInstr>> tuples = RuleTuples(block);
        for (int k = 0; k < block.Nodes.Count; k++)
        {
            if (tuples.TryGetValue(k, out List<CallInstr>? partials)) EmitRuleTuple(w, partials);
            int run = TapeRun(block, k);
            if (run >= 2)
            {
                EmitTapeRun(w, block, k, run);
                k += run - 1;
                continue;
            }
            EmitNode(w, block.Nodes[k]);
        }
    }

    // ---- a rule's partials, from one call ----------------------------------------------------------------------
    //
    // A [DerivativeOf] rule of n arguments returns its n partials as one tuple; each partial is an instruction of its
    // own (its own adjoint or tangent term), so written apart they would call the rule n times. Partials of one
    // call site (same rule, same arguments, same block) are read from one tuple local instead, declared where the
    // first of them stands. (Not in a split gradient, whose parts could hold the partials apart.)

    private readonly Dictionary<int, string> _ruleTupleItem = new();

    /// <summary>The groups of two or more partials of one rule call in <paramref name="block"/>, by the index of their first.</summary>
    private Dictionary<int, List<CallInstr>> RuleTuples(Block block)
    {
        var groups = new Dictionary<int, List<CallInstr>>();
        if (IsSplit) return groups;
        var first = new Dictionary<string, int>();
        for (int k = 0; k < block.Nodes.Count; k++)
        {
            if (block.Nodes[k] is not CallInstr { Item: >= 0 } partial) continue;
            string key = partial.Target + "(" + string.Join(",", partial.Args) + ")";
            if (!first.TryGetValue(key, out int at))
            {
                first[key] = k;
                groups[k] = new List<CallInstr>();
                at = k;
            }
            groups[at].Add(partial);
        }
        foreach (int k in groups.Where(g => g.Value.Count < 2).Select(g => g.Key).ToList()) groups.Remove(k);
        return groups;
    }

    private void EmitRuleTuple(CodeWriter w, List<CallInstr> partials)
    {
        CallInstr call = partials[0];
        string function = call.Label.StartsWith("d", System.StringComparison.Ordinal) && call.Label.Length > 1 ? call.Label.Substring(1) : call.Label;
        string name = ReserveName(char.ToLowerInvariant(function[0]) + function.Substring(1) + "Partials");
        Comment(w, call.Origin);
        w.Line($"var {name} = {call.Target}({string.Join(", ", call.Args.Select(a => Operand(a, Prec.Conditional)))}); // the rule's partials, computed once");
        foreach (CallInstr partial in partials) _ruleTupleItem[partial.Id] = $"{name}.Item{partial.Item + 1}";
        _emittedAny = true;
    }

    /// <summary>A partial read from its call site's tuple local, or null when it has none.</summary>
    protected string? RuleTupleItem(int id) => _ruleTupleItem.TryGetValue(id, out string? item) ? item : null;

    /// <summary>How many pushes, or how many pops (written as statements), follow one another from <paramref name="start"/>.</summary>
    private int TapeRun(Block block, int start)
    {
        Node first = block.Nodes[start];
        if (first is not TapePush && (first is not TapePop || IsInline(first))) return 0;
        int end = start + 1;
        while (end < block.Nodes.Count && block.Nodes[end].GetType() == first.GetType() && !IsInline(block.Nodes[end])) end++;
        return end - start;
    }

    /// <summary>
    /// Several values saved, or restored, at once: one reservation on the tape (one capacity check and one count
    /// update) and plain stores, instead of a push or a pop each. The tape's order is the same as one at a time:
    /// the k-th push of a run lands in slot k, and the k-th pop of a run of n reads slot n - 1 - k.
    /// </summary>
    private void EmitTapeRun(CodeWriter w, Block block, int start, int count)
    {
        _emittedAny = true;
        Comment(w, block.Nodes[start].Origin);
        if (block.Nodes[start] is TapePush)
        {
            string saved = ReserveName("saved");
            w.Line($"global::System.Span<double> {saved} = tape.Reserve({count}); // for the backward sweep");
            for (int k = 0; k < count; k++)
            {
                int value = ((TapePush)block.Nodes[start + k]).Value;
                string text = TypeOf(value) == ValType.Bool ? $"{Operand(value, Prec.Conditional + 1)} ? 1.0 : 0.0" : Operand(value, Prec.Conditional);
                w.Line($"{saved}[{k}] = {text};");
            }
            return;
        }
        string restored = ReserveName("restored");
        w.Line($"global::System.ReadOnlySpan<double> {restored} = tape.Take({count});");
        for (int k = 0; k < count; k++)
        {
            var pop = (TapePop)block.Nodes[start + k];
            string slot = $"{restored}[{count - 1 - k}]";
            string value = pop.Type switch { ValType.Int => "(int)" + slot, ValType.Bool => slot + " != 0.0", _ => Real.FromDouble(slot) };
            w.Line(Assignment(pop.Id, value, declare: !_uses.Hoisted.Contains(pop.Id)));
        }
    }

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
            case LoopRegion loop:
                EmitLoop(w, loop);
                return;
            case Region other:
                throw new System.InvalidOperationException($"the emitter does not know the region {other.GetType().Name}");
            case Effect effect:
                string statement = RenderEffect(effect);
                if (statement.Length == 0) return; // nothing to write: the vector output is the caller's span
                Comment(w, effect.Origin);
                w.Line(statement);
                return;
        }
        var instr = (Instr)node;
        if (_inline.Contains(instr.Id)) return;
        Comment(w, instr.Origin);
        w.Line(Assignment(instr.Id, Render(instr).Text, declare: !_uses.Hoisted.Contains(instr.Id)));
    }

    private void EmitIf(CodeWriter w, IfInstr region)
    {
        Comment(w, region.Origin);
        foreach (Phi phi in region.Phis.Where(p => !_uses.Hoisted.Contains(p.Id) && !_frameSlot.ContainsKey(p.Id)))
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

    /// <summary>
    /// A loop as a person writes it: each carried variable a local declared before it, a <c>for</c> statement when an
    /// int variable steps by a constant and the condition is one expression, a <c>while</c> otherwise; the body, then
    /// each variable's next value (<c>s += x;</c>).
    /// </summary>
    private void EmitLoop(CodeWriter w, LoopRegion loop)
    {
        Comment(w, loop.Origin);
        bool headerInline = loop.Header.Nodes.All(IsInline);
        LoopVar? driver = headerInline ? loop.Vars.FirstOrDefault(v => StepOf(v) is not null) : null;
        // The index lives in the for statement itself when nothing after the loop reads it.
        bool driverInFor = driver is not null && !_uses.UseCount.ContainsKey(driver.Result) && !_uses.Hoisted.Contains(driver.Id) && !_uses.Hoisted.Contains(driver.Result);
        foreach (LoopVar v in loop.Vars)
        {
            if (v == driver && driverInFor) continue;
            // A variable read after its branch (the backward sweep reads its value after the loop) is declared before it.
            bool hoisted = _uses.Hoisted.Contains(v.Result) || _uses.Hoisted.Contains(v.Id);
            if (v == driver) { if (!hoisted) w.Line($"{TypeName(v.Id)} {NameOf(v.Id)};"); }
            else w.Line(hoisted ? $"{NameOf(v.Id)} = {Operand(v.Init, Prec.Conditional)};" : $"{TypeName(v.Id)} {NameOf(v.Id)} = {Operand(v.Init, Prec.Conditional)};");
        }
        if (driver is not null) BeforeCountedLoop(w, loop, driver);
        if (driver is not null)
        {
            string init = (driverInFor ? TypeName(driver.Id) + " " : "") + $"{NameOf(driver.Id)} = {Operand(driver.Init, Prec.Conditional)}";
            w.Open($"for ({init}; {Operand(loop.Cond, Prec.Conditional)}; {StepOf(driver)})");
        }
        else if (headerInline)
        {
            w.Open($"while ({Operand(loop.Cond, Prec.Conditional)})");
        }
        else
        {
            w.Open("while (true)");
            _lastOrigin = -2;
            EmitBlock(w, loop.Header);
            w.Line($"if (!{Operand(loop.Cond, Prec.Unary)}) break;");
        }
        _lastOrigin = -2;
        LoopBodyStart(w, loop);
        EmitBlock(w, loop.Body);
        LoopBodyEnd(w, loop);
        EmitNextValues(w, loop.Vars.Where(v => v != driver && v.Next != v.Id).ToList());
        w.Close();
        if (driver is not null) AfterCountedLoop(loop);
        _lastOrigin = -2;
    }

    /// <summary><c>i++</c>, <c>i--</c>, <c>i += 2</c> for an int variable whose next value is itself plus a constant; else null.</summary>
    private string? StepOf(LoopVar v)
    {
        if (v.Type != ValType.Int || !_uses.Defs.TryGetValue(v.Next, out Instr? next)) return null;
        if (next is not BinaryInstr { Op: Op.Add or Op.Sub } b || b.A != v.Id || !_uses.Defs.TryGetValue(b.B, out Instr? c) || c is not ConstInstr k) return null;
        double step = b.Op == Op.Add ? k.Value : -k.Value;
        string name = NameOf(v.Id);
        return step switch
        {
            1 => name + "++",
            -1 => name + "--",
            > 0 => $"{name} += {Literals.Format(step, ValType.Int)}",
            _ => $"{name} -= {Literals.Format(-step, ValType.Int)}",
        };
    }

    /// <summary>
    /// The carried variables' next values, assigned at the end of the body. An assignment that would read a variable
    /// already given its next value (a swap) goes through temporaries.
    /// </summary>
    private void EmitNextValues(CodeWriter w, IReadOnlyList<LoopVar> vars)
    {
        var assigned = new HashSet<int>();
        bool hazard = false;
        foreach (LoopVar v in vars)
        {
            if (Reads(v.Next, assigned)) hazard = true;
            assigned.Add(v.Id);
        }
        if (!hazard)
        {
            foreach (LoopVar v in vars) w.Line(NextValue(v));
            return;
        }
        foreach (LoopVar v in vars) w.Line($"{TypeName(v.Id)} {NameOf(v.Id)}Next = {Operand(v.Next, Prec.Conditional)};");
        foreach (LoopVar v in vars) w.Line($"{NameOf(v.Id)} = {NameOf(v.Id)}Next;");
    }

    /// <summary><c>s += x;</c> for a next value that adds to the variable itself (as the source wrote it), else <c>s = next;</c>.</summary>
    private string NextValue(LoopVar v)
    {
        string name = NameOf(v.Id);
        if (_inline.Contains(v.Next) && _uses.Defs.TryGetValue(v.Next, out Instr? next) && next is BinaryInstr { Op: Op.Add or Op.Sub or Op.Mul } b && b.A == v.Id && b.B != v.Id)
        {
            string op = b.Op switch { Op.Add => "+=", Op.Sub => "-=", _ => "*=" };
            return $"{name} {op} {Operand(b.B, Prec.Conditional)};";
        }
        return $"{name} = {Operand(v.Next, Prec.Conditional)};";
    }

    /// <summary>Whether the text of value <paramref name="id"/> reads one of <paramref name="vars"/>.</summary>
    private bool Reads(int id, HashSet<int> vars)
    {
        if (vars.Contains(id)) return true;
        return _inline.Contains(id) && _uses.Defs.TryGetValue(id, out Instr? def) && IrWalk.Operands(def).Any(o => Reads(o, vars));
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
}

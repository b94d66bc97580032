using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Ir.Rules;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// A program on plain doubles, ints and bools (a gradient, a JVP, an HVP): every leaf and operation spelled as C#,
/// as the rule table says. Only the tape twin spells values otherwise (on <c>Value</c>).
/// </summary>
internal abstract class PlainEmitter : ProgramEmitter
{
    /// <param name="program">The program's parameters (the method's, then any tangents) and source lines.</param>
    protected PlainEmitter(MethodIr program, IReadOnlyList<Section> sections, int result, IReadOnlyList<OutputWrite> outputs,
                           IEnumerable<string> reservedNames, bool allowSplit, IReadOnlyDictionary<ArraySourceKind, string>? boundArrays = null)
        : base(sections, result, outputs, program.Params.Select(p => p.Name).ToList(), reservedNames, program.SourceLines, allowSplit, readElementsOnce: true, boundArrays)
    {
        Program = program;
    }

    protected MethodIr Program { get; }

    protected override RealType Real => RealType.Of(Program.Real);

    protected override string TypeName(int id) => TypeOf(id) switch { ValType.Int => "int", ValType.Bool => "bool", _ => Real.Name };

    protected override string DefaultValue(int id) => TypeOf(id) switch { ValType.Int => "0", ValType.Bool => "false", _ => Real.Zero };

    protected override (string Text, int Precedence) Render(Instr instr) =>
        (instr is LoadInstr { Index1: >= 0 } load && _views.ContainsKey(Program.Params[load.Param].Name) && !InHeader(load.Id)
            ? (ViewElement(Program.Params[load.Param].Name, load.Param, load.Index0, load.Index1), Prec.Primary)
            : RenderLeaf(instr, Program)) ?? instr switch
    {
        UnaryInstr u => Spell(Real.Spell(OpRules.Of(u.Op).CSharp), u.A, -1),
        BinaryInstr b => Spell(Real.Spell(OpRules.Of(b.Op).CSharp), b.A, b.B),
        CompareInstr c => Spell(Real.Spell(OpRules.Of(c.Op).CSharp), c.A, c.B),
        LoadLocal l => (Element(l.Array, l.Index0, l.Index1), Prec.Primary),
        CallInstr c => (RuleTupleItem(c.Id) ?? CallText(c, a => Operand(a, Prec.Conditional)), Prec.Primary),
        TapePop p => (p.Type switch { ValType.Int => "(int)tape.Pop()", ValType.Bool => "tape.Pop() != 0.0", _ => Real.FromDouble("tape.Pop()") }, p.Type switch { ValType.Int => Prec.Unary, ValType.Bool => Prec.Equality, _ => Real.FromDoublePrecedence(Prec.Primary) }),
        SelectInstr s => ($"{Operand(s.Cond, Prec.Conditional + 1)} ? {Operand(s.A, Prec.Conditional + 1)} : {Operand(s.B, Prec.Conditional)}", Prec.Conditional),
        _ => throw new System.InvalidOperationException($"no C# spelling for {instr}"),
    };

    // ---- two-dimensional arrays as flat spans -------------------------------------------------------------------

    private readonly Dictionary<string, (string Span, string Rows, string Columns)> _views = new();
    private HashSet<int>? _headerValues;
    private Dictionary<int, LoopRegion>? _loopOf;

    /// <summary>The two-dimensional arrays (parameters, and the outputs <paramref name="targets"/> names) the program indexes.</summary>
    private IEnumerable<string> ViewedArrays(IEnumerable<(Effect Effect, string Target)> targets) =>
        IrWalk.All(Body).OfType<LoadInstr>().Where(l => l.Index1 >= 0 && Program.Params[l.Param].Kind == ParamKind.Array2D)
            .Select(l => Program.Params[l.Param].Name).Concat(targets.Select(t => t.Target)).Distinct();

    /// <summary>
    /// Each two-dimensional array the program indexes is read through a flat span of its elements (row after row),
    /// its row and column counts in locals: a <c>double[,]</c> access reloads both lengths and lower bounds from the
    /// array and checks both indices every time, which dominates a dense inner loop, and unrolled code too (the
    /// seed's H·v spent most of its time there). Each index is still checked
    /// against its own dimension, exactly where C# would throw, unless the loop it comes from is bounded by that very
    /// dimension (<c>for (int k = 0; k &lt; w.GetLength(1); k++)</c>, or that loop run backwards).
    /// </summary>
    protected void EmitViews(CodeWriter w, IEnumerable<(Effect Effect, string Target)> targets)
    {
        var names = ViewedArrays(targets).ToList();
        if (names.Count == 0) return;
        w.Line("// Two-dimensional arrays, as flat spans of their rows.");
        foreach (string name in names)
        {
            string bare = name.TrimStart('@');
            // A split gradient declares them again in each part, under the same names.
            if (!_views.TryGetValue(name, out var view)) _views[name] = view = (ReserveName(bare + "Flat"), ReserveName(bare + "Rows"), ReserveName(bare + "Columns"));
            (string span, string rows, string columns) = view;
            w.Line($"{Real.Span} {span} = global::SymGrad.GradientTape.Flat({name});");
            w.Line($"int {rows} = {name}.GetLength(0), {columns} = {name}.GetLength(1);");
        }
        w.Line();
    }

    protected bool HasView(string name) => _views.ContainsKey(name);

    private bool InHeader(int id)
    {
        _headerValues ??= new HashSet<int>(IrWalk.All(Body).OfType<LoopRegion>().SelectMany(l => IrWalk.Values(l.Header)).Select(v => v.Id));
        return _headerValues.Contains(id);
    }

    /// <summary>
    /// <c>wFlat[j * wColumns + k]</c>, each index checked unless its loop is bounded by its dimension of parameter
    /// <paramref name="shapeOf"/>; or <c>wRow[k]</c> in a loop over k that took row j before it started.
    /// </summary>
    protected string ViewElement(string name, int shapeOf, int index0, int index1)
    {
        if (_rows.TryGetValue((name, index0), out string? row)) return $"{row}[{Operand(index1, Prec.Conditional)}]";
        (string span, string rows, string columns) = _views[name];
        string j = Bounded(index1, shapeOf, 1) ? Operand(index1, Prec.Additive + 1) : $"global::SymGrad.GradientTape.Within({Operand(index1, Prec.Conditional)}, {columns})";
        if (Uses.Defs.TryGetValue(index0, out Instr? first) && first is ConstInstr { Value: 0 } && Bounded(index0, shapeOf, 0)) return $"{span}[{j}]";
        string i = Bounded(index0, shapeOf, 0) ? Operand(index0, Prec.Multiplicative) : $"global::SymGrad.GradientTape.Within({Operand(index0, Prec.Conditional)}, {rows})";
        string offset = i == "1" ? columns : $"{i} * {columns}"; // w[1, 0] is wFlat[wColumns], not wFlat[1 * wColumns + 0]
        return j == "0" ? $"{span}[{offset}]" : $"{span}[{offset} + {j}]";
    }

    /// <summary>
    /// Whether an index is the counter of a loop that keeps it inside dimension <paramref name="dimension"/> of
    /// parameter <paramref name="param"/>: counting up from a constant at least 0 while below its length, or down
    /// from its length minus one while at least a constant at least 0. Not in the loop's condition itself, which
    /// runs before the test. Or a constant inside the extent the argument checks guarantee.
    /// </summary>
    private bool Bounded(int index, int param, int dimension)
    {
        // A constant index inside the extent the argument checks made sure of.
        if (Uses.Defs.TryGetValue(index, out Instr? constant) && constant is ConstInstr k)
        {
            return k.Value >= 0 && k.Value < (dimension == 0 ? Program.Params[param].MinLength0 : Program.Params[param].MinLength1);
        }
        _loopOf ??= IrWalk.All(Body).OfType<LoopRegion>().SelectMany(l => l.Vars.Select(v => (v.Id, l))).ToDictionary(x => x.Id, x => x.l);
        if (!_loopOf.TryGetValue(index, out LoopRegion? loop)) return false;
        LoopVar v = loop.Vars.First(x => x.Id == index);
        bool IsLength(int id) => Uses.Defs.TryGetValue(id, out Instr? d) && d is LengthInstr n && n.Param == param && n.Dimension == dimension;
        bool IsConstAtLeastZero(int id) => Uses.Defs.TryGetValue(id, out Instr? d) && d is ConstInstr { Value: >= 0 };
        if (!Uses.Defs.TryGetValue(v.Next, out Instr? next) || next is not BinaryInstr { Op: Op.Add or Op.Sub } step || step.A != v.Id
            || !Uses.Defs.TryGetValue(step.B, out Instr? c) || c is not ConstInstr { Value: 1 }) return false;
        if (!Uses.Defs.TryGetValue(loop.Cond, out Instr? cond) || cond is not CompareInstr compare || compare.A != v.Id) return false;
        return step.Op == Op.Add
            ? IsConstAtLeastZero(v.Init) && compare.Op == Op.Lt && IsLength(compare.B)
            : compare.Op == Op.Ge && IsConstAtLeastZero(compare.B)
              && Uses.Defs.TryGetValue(v.Init, out Instr? init) && init is BinaryInstr { Op: Op.Sub } last && IsLength(last.A)
              && Uses.Defs.TryGetValue(last.B, out Instr? one) && one is ConstInstr { Value: 1 };
    }

    // ---- rows of two-dimensional arrays, taken once per loop --------------------------------------------------

    /// <summary>The rows taken before the loops being emitted, by view and row index.</summary>
    private readonly Dictionary<(string Name, int Index0), string> _rows = new();

    /// <summary>The rows each open loop took, given back when it closes (its row variables are out of scope after it).</summary>
    private readonly Dictionary<LoopRegion, List<(string Name, int Index0)>> _rowsTaken = new(ReferenceComparer<LoopRegion>.Instance);

    /// <summary>
    /// A loop that reads or writes <c>w[j, c]</c> with j fixed through the loop takes row j once, before it starts:
    /// <c>wRow = Row(wFlat, j, wRows, wColumns)</c>, then <c>wRow[c]</c> (c the loop's index, or any column: the
    /// LSTM's gate offsets <c>w[l, i + b]</c>). The row index is checked once instead of at every element, and the
    /// column by the row's own bounds check, which is what keeps a dense inner loop as lean as a hand-written one. A row that does not exist is empty, so the loop still throws
    /// <see cref="System.IndexOutOfRangeException"/> at its first access, as C# would, and not if it runs no iteration.
    /// </summary>
    protected override void BeforeCountedLoop(CodeWriter w, LoopRegion loop, LoopVar index)
    {
        if (_views.Count == 0) return;
        var inside = new HashSet<int>(IrWalk.Defined(loop).Concat(IrWalk.Blocks(loop).SelectMany(IrWalk.Values).Select(v => v.Id)));
        var taken = new List<(string Name, int Index0)>();
        foreach ((string name, int index0, _) in ViewAccesses(loop.Body).Distinct().ToList())
        {
            if (inside.Contains(index0) || _rows.ContainsKey((name, index0))) continue;
            (string span, string rows, string columns) = _views[name];
            string row = ReserveName(name.TrimStart('@') + "Row");
            w.Line($"{Real.Span} {row} = global::SymGrad.GradientTape.Row({span}, {Operand(index0, Prec.Conditional)}, {rows}, {columns});");
            _rows[(name, index0)] = row;
            taken.Add((name, index0));
        }
        if (taken.Count > 0) _rowsTaken[loop] = taken;
    }

    protected override void AfterCountedLoop(LoopRegion loop)
    {
        if (!_rowsTaken.TryGetValue(loop, out var taken)) return;
        foreach (var key in taken) _rows.Remove(key);
        _rowsTaken.Remove(loop);
    }

    /// <summary>The view elements a loop body touches itself (in its branches too, not in its inner loops).</summary>
    private IEnumerable<(string Name, int Index0, int Index1)> ViewAccesses(Block block)
    {
        foreach (Node node in block.Nodes)
        {
            if (node is LoadInstr { Index1: >= 0 } load && _views.ContainsKey(Program.Params[load.Param].Name) && !InHeader(load.Id))
            {
                yield return (Program.Params[load.Param].Name, load.Index0, load.Index1);
            }
            else if (node is Effect effect && ViewTarget(effect) is { } target)
            {
                yield return (target.Name, target.Index0, target.Index1);
            }
            else if (node is IfInstr region)
            {
                foreach (var access in ViewAccesses(region.Then).Concat(ViewAccesses(region.Else))) yield return access;
            }
        }
    }

    /// <summary>The view element an effect writes (an adjoint accumulated into a two-dimensional output), if any.</summary>
    protected virtual (string Name, int Index0, int Index1)? ViewTarget(Effect effect) => null;

    /// <summary>The statement of an effect every plain program may hold: a push on the tape.</summary>
    protected override string RenderEffect(Effect effect) => effect switch
    {
        TapePush t when TypeOf(t.Value) == ValType.Bool => $"tape.Push({Operand(t.Value, Prec.Conditional + 1)} ? 1.0 : 0.0); // for the backward sweep",
        TapePush t => $"tape.Push({Operand(t.Value, Prec.Conditional)}); // for the backward sweep",
        NewArray { Source.Kind: ArraySourceKind.Output } => "", // the caller's span, written in place
        NewArray { Source.Kind: ArraySourceKind.OutputTangent } a => $"global::SymGrad.GradientTape.Zero({ArrayName(a.Array)}); // the tangent of every result the method does not write is zero",
        NewArray { Source.Kind: ArraySourceKind.OutputSeed } a =>
            $"{Real.Span} {ArrayName(a.Array)} = tape.{Real.Allocate}({ElementCount(a)}); {BoundName(ArraySourceKind.OutputSeed)}.CopyTo({ArrayName(a.Array)}); // the backward sweep starts from the seed",
        NewArray a => $"{(IsHoistedArray(a.Array) ? "" : Real.Span + " ")}{ArrayName(a.Array)} = tape.{Real.Allocate}({ElementCount(a)});",
        StoreLocal st => $"{Element(st.Array, st.Index0, st.Index1)} = {Operand(st.Value, Prec.Conditional)};",
        AddToLocal add => $"{Element(add.Array, add.Index0, add.Index1)} += {Operand(add.Value, Prec.Conditional)};",
        _ => base.RenderEffect(effect),
    };

    /// <summary>Whether the program uses the tape (its loops keep values for their backward sweeps).</summary>
    protected static bool UsesTape(Block block) =>
        block.Nodes.Any(n => n is TapePush or TapePop or NewArray { Source: null or { Kind: ArraySourceKind.OutputSeed } } || IrWalk.Blocks(n).Any(UsesTape));

    private int _marks;

    /// <summary>The arrays an iteration makes are the iteration's: their memory is taken back at its end.</summary>
    protected override void LoopBodyStart(CodeWriter w, LoopRegion loop)
    {
        if (!MakesArrays(loop.Body)) return;
        w.Line($"int mark{++_marks} = tape.Mark; // the arrays this iteration makes are released at its end");
    }

    protected override void LoopBodyEnd(CodeWriter w, LoopRegion loop)
    {
        if (!MakesArrays(loop.Body)) return;
        w.Line($"tape.Release(mark{_marks--});");
    }

    /// <summary>Whether a block makes an array itself (not in an inner loop, whose iterations release their own).</summary>
    private static bool MakesArrays(Block block) => block.Nodes.Any(n => n is NewArray || (n is IfInstr r && (MakesArrays(r.Then) || MakesArrays(r.Else))));

    /// <summary>
    /// For a program with loops: compile it optimised at once. A loop method otherwise starts unoptimised and is
    /// replaced only in the middle of a long-running loop (on-stack replacement), which never catches up fully.
    /// </summary>
    internal static void EmitOptimization(CodeWriter w, IEnumerable<Block> blocks)
    {
        if (blocks.Any(b => IrWalk.All(b).Any(n => n is LoopRegion)))
        {
            w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        }
    }

    /// <summary>The line that takes a tape of the thread's, when the program uses one; whether it does.</summary>
    internal static bool EmitTape(CodeWriter w, IEnumerable<Block> blocks)
    {
        if (!blocks.Any(UsesTape)) return false;
        w.Line("// Local arrays, and what the loops' backward sweeps cannot recompute, live on a tape rented from this thread's pool (and returned at the end).");
        w.Line("global::SymGrad.GradientTape tape = global::SymGrad.GradientTape.Rent();");
        w.Line();
        return true;
    }

    /// <summary>
    /// The line that gives the tape back, at the method's end. Until then the tape is this call's alone: user code it
    /// calls (a rule, a logging call) may run other gradients on the thread, which take other tapes.
    /// </summary>
    internal static void EmitTapeReturn(CodeWriter w, bool usesTape)
    {
        if (usesTape) w.Line("global::SymGrad.GradientTape.Return(tape);");
    }

    private (string, int) Spell(Spelling spelling, int a, int b) =>
        (spelling.Render((k, min) => Operand(k == 0 ? a : b, min)), spelling.Precedence);
}

using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Ir.Rules;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// A program on plain doubles, ints and bools (a gradient, a JVP, an HVP): every leaf and operation spelled as C#,
/// as the rule table says. Only the tape twin spells values otherwise (on <c>Value</c>).
/// </summary>
internal abstract class PlainEmitter : ProgramEmitter
{
    /// <param name="program">The program's parameters (the method's, then any tangents) and source lines.</param>
    protected PlainEmitter(MethodIr program, IReadOnlyList<Section> sections, int result, IReadOnlyList<OutputWrite> outputs,
                           IEnumerable<string> reservedNames, bool allowSplit)
        : base(sections, result, outputs, program.Params.Select(p => p.Name).ToList(), reservedNames, program.SourceLines, allowSplit)
    {
        Program = program;
    }

    protected MethodIr Program { get; }

    protected override string TypeName(int id) => TypeOf(id) switch { ValType.Int => "int", ValType.Bool => "bool", _ => "double" };

    protected override string DefaultValue(int id) => TypeOf(id) switch { ValType.Int => "0", ValType.Bool => "false", _ => "0.0" };

    protected override (string Text, int Precedence) Render(Instr instr) => RenderLeaf(instr, Program) ?? instr switch
    {
        UnaryInstr u => Spell(OpRules.Of(u.Op).CSharp, u.A, -1),
        BinaryInstr b => Spell(OpRules.Of(b.Op).CSharp, b.A, b.B),
        CompareInstr c => Spell(OpRules.Of(c.Op).CSharp, c.A, c.B),
        LoadLocal l => (Element(l.Array, l.Index0, l.Index1), Prec.Primary),
        TapePop p => (p.Type switch { ValType.Int => "(int)tape.Pop()", ValType.Bool => "tape.Pop() != 0.0", _ => "tape.Pop()" }, p.Type switch { ValType.Int => Prec.Unary, ValType.Bool => Prec.Equality, _ => Prec.Primary }),
        SelectInstr s => ($"{Operand(s.Cond, Prec.Conditional + 1)} ? {Operand(s.A, Prec.Conditional + 1)} : {Operand(s.B, Prec.Conditional)}", Prec.Conditional),
        _ => throw new System.InvalidOperationException($"no C# spelling for {instr}"),
    };

    /// <summary>The statement of an effect every plain program may hold: a push on the tape.</summary>
    protected override string RenderEffect(Effect effect) => effect switch
    {
        TapePush t when TypeOf(t.Value) == ValType.Bool => $"tape.Push({Operand(t.Value, Prec.Conditional + 1)} ? 1.0 : 0.0); // for the backward sweep",
        TapePush t => $"tape.Push({Operand(t.Value, Prec.Conditional)}); // for the backward sweep",
        NewArray a => $"global::System.Span<double> {ArrayName(a.Array)} = tape.Allocate({ElementCount(a)});",
        StoreLocal st => $"{Element(st.Array, st.Index0, st.Index1)} = {Operand(st.Value, Prec.Conditional)};",
        AddToLocal add => $"{Element(add.Array, add.Index0, add.Index1)} += {Operand(add.Value, Prec.Conditional)};",
        _ => base.RenderEffect(effect),
    };

    /// <summary>Whether the program uses the tape (its loops keep values for their backward sweeps).</summary>
    protected static bool UsesTape(Block block) => block.Nodes.Any(n => n is TapePush or TapePop or NewArray || IrWalk.Blocks(n).Any(UsesTape));

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

    /// <summary>The line that takes the thread's tape, when the program uses one.</summary>
    internal static void EmitTape(CodeWriter w, IEnumerable<Block> blocks)
    {
        if (!blocks.Any(UsesTape)) return;
        w.Line("// Local arrays, and what the loops' backward sweeps cannot recompute, live on this thread's tape.");
        w.Line("global::SymGrad.GradientTape tape = global::SymGrad.GradientTape.Rent();");
        w.Line();
    }

    private (string, int) Spell(Spelling spelling, int a, int b) =>
        (spelling.Render((k, min) => Operand(k == 0 ? a : b, min)), spelling.Precedence);
}

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
        TapePop p => (p.Type switch { ValType.Int => "(int)tape.Pop()", ValType.Bool => "tape.Pop() != 0.0", _ => "tape.Pop()" }, p.Type switch { ValType.Int => Prec.Unary, ValType.Bool => Prec.Equality, _ => Prec.Primary }),
        SelectInstr s => ($"{Operand(s.Cond, Prec.Conditional + 1)} ? {Operand(s.A, Prec.Conditional + 1)} : {Operand(s.B, Prec.Conditional)}", Prec.Conditional),
        _ => throw new System.InvalidOperationException($"no C# spelling for {instr}"),
    };

    /// <summary>The statement of an effect every plain program may hold: a push on the tape.</summary>
    protected override string RenderEffect(Effect effect) => effect switch
    {
        TapePush t when TypeOf(t.Value) == ValType.Bool => $"tape.Push({Operand(t.Value, Prec.Conditional + 1)} ? 1.0 : 0.0); // for the backward sweep",
        TapePush t => $"tape.Push({Operand(t.Value, Prec.Conditional)}); // for the backward sweep",
        _ => base.RenderEffect(effect),
    };

    /// <summary>Whether the program uses the tape (its loops keep values for their backward sweeps).</summary>
    protected static bool UsesTape(Block block) => block.Nodes.Any(n => n is TapePush or TapePop || IrWalk.Blocks(n).Any(UsesTape));

    /// <summary>The line that takes the thread's tape, when the program uses one.</summary>
    internal static void EmitTape(CodeWriter w, IEnumerable<Block> blocks)
    {
        if (!blocks.Any(UsesTape)) return;
        w.Line("// The loops keep what their backward sweeps cannot recompute on this thread's tape.");
        w.Line("global::SymGrad.GradientTape tape = global::SymGrad.GradientTape.Rent();");
        w.Line();
    }

    private (string, int) Spell(Spelling spelling, int a, int b) =>
        (spelling.Render((k, min) => Operand(k == 0 ? a : b, min)), spelling.Precedence);
}

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
        SelectInstr s => ($"{Operand(s.Cond, Prec.Conditional + 1)} ? {Operand(s.A, Prec.Conditional + 1)} : {Operand(s.B, Prec.Conditional)}", Prec.Conditional),
        _ => throw new System.InvalidOperationException($"no C# spelling for {instr}"),
    };

    private (string, int) Spell(Spelling spelling, int a, int b) =>
        (spelling.Render((k, min) => Operand(k == 0 ? a : b, min)), spelling.Precedence);
}

using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Differentiation;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Ir.Rules;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// Writes <c>{Name}Jvp</c>: argument checks, then the method's body with each active value's tangent beside it,
/// then the tangent of the result into <c>derivative</c>. Never split into parts: a JVP is about twice its method.
/// </summary>
internal sealed class JvpEmitter : ProgramEmitter
{
    private readonly MethodIr _program;

    private JvpEmitter(JvpIr jvp, MethodIr program)
        : base(new[] { new Section(jvp.Body, "// Forward sweep: each value, then its tangent (its derivative along the tangents).") },
               jvp.Return, new[] { new OutputWrite("derivative", jvp.Derivative) }, program.Params.Select(p => p.Name).ToList(),
               new[] { "derivative" }, jvp.Primal.SourceLines, allowSplit: false)
    {
        _program = program;
    }

    public static void Emit(CodeWriter w, MethodSpec spec, JvpIr jvp)
    {
        MethodIr ir = jvp.Primal;
        var program = ir with { Params = jvp.AllParams };
        var emitter = new JvpEmitter(jvp, program);
        var tangents = new Dictionary<int, string>();
        for (int k = 0; k < jvp.Tangents.Count; k++) tangents[jvp.TangentOf[k]] = jvp.Tangents[k].Name;

        string cref = spec.Name + "(" + string.Join(", ", ir.Params.Select(p => GradientEmitter.CrefType(p.Kind))) + ")";
        w.Line("/// <summary>");
        w.Line($"/// Computes <see cref=\"{cref}\"/> and its directional derivative along the tangents, by forward-mode");
        w.Line("/// differentiation: one sweep, no tape, no allocation.");
        w.Line("/// </summary>");
        foreach (ParamSpec p in ir.Params) w.Line($"/// <param name=\"{p.Name.TrimStart('@')}\">As for <c>{spec.Name}</c>.</param>");
        foreach (KeyValuePair<int, string> t in tangents)
        {
            w.Line($"/// <param name=\"{t.Value}\">The direction's component along <paramref name=\"{ir.Params[t.Key].Name.TrimStart('@')}\"/>, of its shape.</param>");
        }
        w.Line("/// <param name=\"derivative\">Receives the derivative of the result along the tangents: the gradient dotted with them.</param>");
        w.Line($"/// <returns>The value of <see cref=\"{cref}\"/>.</returns>");
        w.Line(Emitter.GeneratedCodeAttribute);
        var parameters = ir.Params.Select(p => GradientEmitter.ParamType(p.Kind) + " " + p.Name)
            .Concat(jvp.Tangents.Select(t => GradientEmitter.ParamType(t.Kind) + " " + t.Name))
            .Append("out double derivative");
        w.Open($"{spec.Accessibility} static double {spec.Name}Jvp({string.Join(", ", parameters)})");
        ArgumentChecks.Emit(w, ir, tangents, "tangent");
        emitter.EmitBody(w, "// The directional derivative.");
        w.Line($"return {emitter.Operand(jvp.Return, Prec.Conditional)};");
        w.Close();
    }

    protected override string TypeName(int id) => PlainTypeName(id);

    protected override string DefaultValue(int id) => PlainDefaultValue(id);

    protected override (string Text, int Precedence) Render(Instr instr) => RenderLeaf(instr, _program) ?? RenderPlain(instr);
}

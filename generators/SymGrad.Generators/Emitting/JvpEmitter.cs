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
internal sealed class JvpEmitter : PlainEmitter
{
    private JvpEmitter(JvpIr jvp, MethodIr program)
        : base(program, new[] { new Section(jvp.Body, "// Forward sweep: each value, then its tangent (its derivative along the tangents).") },
               jvp.Return, new[] { new OutputWrite("derivative", jvp.Derivative) }, new[] { "derivative" }, allowSplit: false)
    {
    }

    public static void Emit(CodeWriter w, MethodSpec spec, JvpIr jvp)
    {
        MethodIr ir = jvp.Primal;
        var program = ir with { Params = jvp.AllParams };
        var emitter = new JvpEmitter(jvp, program);
        var tangents = new Dictionary<int, string>();
        for (int k = 0; k < jvp.Tangents.Count; k++) tangents[jvp.TangentOf[k]] = jvp.Tangents[k].Name;

        string cref = XmlDocs.Cref(spec, ir);
        w.Line("/// <summary>");
        w.Line($"/// Computes <see cref=\"{cref}\"/> and its directional derivative along the tangents, by forward-mode");
        w.Line("/// differentiation: one sweep, no tape, no allocation.");
        w.Line("/// </summary>");
        XmlDocs.MethodParameters(w, spec, ir);
        XmlDocs.Derived(w, tangents, ir, p => $"The direction's component along {p}, of its shape.");
        w.Line("/// <param name=\"derivative\">Receives the derivative of the result along the tangents: the gradient dotted with them.</param>");
        XmlDocs.Returns(w, cref);
        w.Line(Emitter.GeneratedCodeAttribute);
        var parameters = ir.Params.Select(p => GradientEmitter.ParamType(p.Kind) + " " + p.Name)
            .Concat(jvp.Tangents.Select(t => GradientEmitter.ParamType(t.Kind) + " " + t.Name))
            .Append("out double derivative");
        EmitOptimization(w, new[] { jvp.Body });
        w.Open($"{spec.Accessibility} static double {spec.Name}Jvp({string.Join(", ", parameters)})");
        ArgumentChecks.Emit(w, ir, tangents, "tangent");
        EmitTape(w, new[] { jvp.Body });
        emitter.EmitViews(w, System.Array.Empty<(Effect, string)>());
        emitter.EmitBody(w, "// The directional derivative.");
        w.Line($"return {emitter.Operand(jvp.Return, Prec.Conditional)};");
        w.Close();
    }
}

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
    private JvpEmitter(JvpIr jvp, MethodIr program, string? outputTangent)
        : base(program, new[] { new Section(jvp.Body, "// Forward sweep: each value, then its tangent (its derivative along the tangents).") },
               jvp.Return, outputTangent is null ? new[] { new OutputWrite("derivative", jvp.Derivative) } : System.Array.Empty<OutputWrite>(),
               // A struct parameter's name and its tangent's are the signature's, not the IR's: reserved too.
               new[] { outputTangent ?? "derivative" }.Concat(program.Params.Where(p => p.Struct is { Leaf: 0 }).Select(p => p.Struct!.Param.TrimStart('@'))).ToArray(), allowSplit: false,
               outputTangent is null ? null : new Dictionary<ArraySourceKind, string> { [ArraySourceKind.OutputTangent] = outputTangent })
    {
    }

    public static void Emit(CodeWriter w, MethodSpec spec, JvpIr jvp)
    {
        MethodIr ir = jvp.Primal;
        RealType real = RealType.Of(ir.Real);
        var program = ir with { Params = jvp.AllParams };
        // A vector output r: its tangent tR (the Jacobian times the tangents) is written in place, as r is.
        int output = ir.Params.ToList().FindIndex(p => p.IsOutput);
        string? tR = output < 0 ? null : Naming.DerivedParameter("t", ir.Params[output], program.Params.Select(p => p.Name.TrimStart('@')).ToList());
        var emitter = new JvpEmitter(jvp, program, tR);
        var tangents = new Dictionary<int, string>();
        for (int k = 0; k < jvp.Tangents.Count; k++) tangents[jvp.TangentOf[k]] = jvp.Tangents[k].Name;

        string cref = XmlDocs.Cref(spec, ir);
        w.Line("/// <summary>");
        if (tR is null)
        {
            w.Line($"/// Computes <see cref=\"{cref}\"/> and its directional derivative along the tangents, by forward-mode");
            w.Line("/// differentiation: one sweep, no tape, no allocation.");
        }
        else
        {
            w.Line($"/// Computes <see cref=\"{cref}\"/> and the Jacobian-vector product <c>J·t</c> along the tangents, by forward-mode");
            w.Line("/// differentiation: one sweep, no tape, no allocation.");
        }
        w.Line("/// </summary>");
        var inputs = ir.Params.Where(p => !p.IsOutput).ToList();
        foreach (string name in StructInputs.Names(inputs)) w.Line($"/// <param name=\"{name.TrimStart('@')}\">As for <c>{spec.Name}</c>.</param>");
        for (int k = 0; k < jvp.Tangents.Count; k++)
        {
            ParamSpec t = jvp.Tangents[k];
            if (t.Struct is { Leaf: > 0 }) continue;
            string along = ir.Params[jvp.TangentOf[k]].Struct?.Param ?? ir.Params[jvp.TangentOf[k]].Name;
            w.Line($"/// <param name=\"{(t.Struct?.Param ?? t.Name).TrimStart('@')}\">The direction's component along <paramref name=\"{along.TrimStart('@')}\"/>, of its shape{(t.Struct is null ? "" : " (a struct of its type)")}.</param>");
        }
        if (tR is null)
        {
            w.Line("/// <param name=\"derivative\">Receives the derivative of the result along the tangents: the gradient dotted with them.</param>");
            XmlDocs.Returns(w, cref);
        }
        else
        {
            string r = ir.Params[output].Name.TrimStart('@');
            w.Line($"/// <param name=\"{r}\">As for <c>{spec.Name}</c>: receives the results.</param>");
            w.Line($"/// <param name=\"{tR}\">Receives the derivative of each element of <paramref name=\"{r}\"/> along the tangents (of its length).</param>");
        }
        w.Line(Emitter.GeneratedCodeAttribute);
        var parameters = StructInputs.Parameters(inputs, real)
            .Concat(StructInputs.Parameters(jvp.Tangents, real))
            .Concat(tR is null
                ? new[] { $"out {real.Name} derivative" }
                : new[] { GradientEmitter.ParamType(ir.Params[output].Kind, real) + " " + ir.Params[output].Name, real.Span + " " + tR });
        EmitOptimization(w, new[] { jvp.Body });
        w.Open($"{spec.Accessibility} static {(tR is null ? real.Name : "void")} {spec.Name}Jvp({string.Join(", ", parameters)})");
        var shaped = new List<IReadOnlyDictionary<int, string>> { tangents };
        if (tR is not null) shaped.Add(new Dictionary<int, string> { [output] = tR });
        StructInputs.EmitLocals(w, program, real, new Dictionary<int, string>());
        ArgumentChecks.Emit(w, ir, shaped, "tangent");
        bool usesTape = EmitTape(w, new[] { jvp.Body });
        emitter.EmitViews(w, System.Array.Empty<(Effect, string)>());
        emitter.EmitBody(w, tR is null ? "// The directional derivative." : null);
        EmitTapeReturn(w, usesTape);
        if (tR is null) w.Line($"return {emitter.Operand(jvp.Return, Prec.Conditional)};");
        w.Close();
    }
}

using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Differentiation;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Ir.Rules;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// Writes <c>{Name}Hvp</c>: the value, the gradient and the Hessian-vector product H·t in one call, by forward mode
/// over the gradient program (each value of both sweeps with its tangent). Never split into parts.
/// </summary>
internal sealed class HvpEmitter : PlainEmitter
{
    private readonly Dictionary<int, string> _adjoints, _outputs;

    private HvpEmitter(JvpIr hvp, MethodIr program, IReadOnlyList<OutputWrite> outputs, Dictionary<int, string> adjoints, Dictionary<int, string> products)
        : base(program, new[] { new Section(hvp.Body, "// Forward and backward sweeps, each value followed by its tangent.") },
               hvp.Return, outputs, adjoints.Values.Concat(products.Values), allowSplit: false)
    {
        _adjoints = adjoints;
        _outputs = products;
    }

    /// <summary><c>dV[i] += g;</c> and <c>hvV[i] += tg;</c>: the backward sweep and its tangent adding to memory.</summary>
    protected override (string Name, int Index0, int Index1)? ViewTarget(Effect effect) =>
        effect is AddToAdjoint { Index1: >= 0 } add && HasView((add.OfTangent ? _outputs : _adjoints)[add.Param]) ? ((add.OfTangent ? _outputs : _adjoints)[add.Param], add.Index0, add.Index1) : null;

    protected override string RenderEffect(Effect effect)
    {
        if (effect is not AddToAdjoint add) return base.RenderEffect(effect);
        string target = (add.OfTangent ? _outputs : _adjoints)[add.Param];
        if (add.Index1 >= 0 && HasView(target)) return $"{ViewElement(target, add.Param, add.Index0, add.Index1)} += {Operand(add.Value, Prec.Conditional)};";
        if (add.Index0 >= 0) target += $"[{Operand(add.Index0, Prec.Conditional)}{(add.Index1 >= 0 ? ", " + Operand(add.Index1, Prec.Conditional) : "")}]";
        return $"{target} += {Operand(add.Value, Prec.Conditional)};";
    }

    /// <summary>The output of H·t for a parameter: <c>hv</c> and its PascalCase name (<c>hvX</c>).</summary>
    public static string OutputName(ParamSpec p, IReadOnlyCollection<string> taken) => Naming.DerivedParameter("hv", p, taken);

    public static void Emit(CodeWriter w, MethodSpec spec, GradientIr gradient, JvpIr hvp)
    {
        MethodIr ir = gradient.Primal;
        RealType real = RealType.Of(ir.Real);
        var taken = ir.Params.Select(p => p.Name.TrimStart('@')).Concat(hvp.Tangents.Select(t => t.Name)).ToList();
        var adjoints = new Dictionary<int, string>();
        var outputs = new Dictionary<int, string>();
        var tangents = new Dictionary<int, string>();
        for (int k = 0; k < hvp.Tangents.Count; k++) tangents[hvp.TangentOf[k]] = hvp.Tangents[k].Name;
        foreach (int p in hvp.TangentOf)
        {
            adjoints[p] = Naming.AdjointParameter(ir.Params[p], taken);
            taken.Add(adjoints[p]);
        }
        foreach (int p in hvp.TangentOf)
        {
            outputs[p] = OutputName(ir.Params[p], taken);
            taken.Add(outputs[p]);
        }
        // The tangent of each gradient output, in the order of gradient.Outputs (ForwardMode's OutputTangents).
        var tangentOf = new Dictionary<int, int>();
        for (int k = 0; k < gradient.Outputs.Count; k++) tangentOf[gradient.Outputs[k].Value] = hvp.OutputTangents[k];
        var writes = GradientEmitter.OutputWrites(gradient, adjoints, v => v).Concat(GradientEmitter.OutputWrites(gradient, outputs, v => tangentOf[v])).ToList();
        var emitter = new HvpEmitter(hvp, ir with { Params = hvp.AllParams }, writes, adjoints, outputs);

        string cref = XmlDocs.Cref(spec, ir);
        w.Line("/// <summary>");
        w.Line($"/// Computes <see cref=\"{cref}\"/>, its gradient and its Hessian times the tangents, by forward-mode");
        w.Line("/// differentiation of the gradient (forward over reverse). Gradient and product are written, overwriting the outputs.");
        w.Line("/// </summary>");
        XmlDocs.MethodParameters(w, spec, ir);
        XmlDocs.Derived(w, tangents, ir, p => $"The vector's component along {p}, of its shape.");
        XmlDocs.Derived(w, adjoints, ir, p => $"Receives the derivative of the result with respect to {p}.");
        XmlDocs.Derived(w, outputs, ir, p => $"Receives the rows of the Hessian for {p}, times the tangents.");
        XmlDocs.Returns(w, cref);
        w.Line(Emitter.GeneratedCodeAttribute);
        var parameters = ir.Params.Select(p => GradientEmitter.ParamType(p.Kind, real) + " " + p.Name)
            .Concat(hvp.Tangents.Select(t => GradientEmitter.ParamType(t.Kind, real) + " " + t.Name))
            .Concat(adjoints.Select(a => GradientEmitter.AdjointType(ir.Params[a.Key].Kind, real) + " " + a.Value))
            .Concat(outputs.Select(o => GradientEmitter.AdjointType(ir.Params[o.Key].Kind, real) + " " + o.Value));
        EmitOptimization(w, new[] { hvp.Body });
        w.Open($"{spec.Accessibility} static {real.Name} {spec.Name}Hvp({string.Join(", ", parameters)})");
        ArgumentChecks.Emit(w, ir, new IReadOnlyDictionary<int, string>[] { tangents, adjoints, outputs }, "tangent and output");
        GradientEmitter.EmitClears(w, ir, adjoints.Concat(outputs).ToList(), new HashSet<int>(gradient.Accumulated));
        bool usesTape = EmitTape(w, new[] { hvp.Body });
        emitter.EmitViews(w, IrWalk.All(hvp.Body).OfType<AddToAdjoint>()
            .Where(a => a.Index1 >= 0 && ir.Params[a.Param].Kind == ParamKind.Array2D).Select(a => ((Effect)a, (a.OfTangent ? outputs : adjoints)[a.Param])));
        emitter.EmitBody(w, "// The gradient and the Hessian-vector product.");
        EmitTapeReturn(w, usesTape);
        w.Line($"return {emitter.Operand(hvp.Return, Prec.Conditional)};");
        w.Close();
    }
}

using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Model;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Ir.Rules;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// Writes <c>{Name}Tape</c>: the method's lowered body on the <c>Value</c> engine, the reference every generated
/// gradient is checked against. Values that depend on a differentiable parameter are <c>Value</c>s; everything
/// else stays a plain double, so constants and [NoDerivative] inputs add no nodes to the graph.
/// </summary>
internal sealed class TapeEmitter : ProgramEmitter
{
    private const string ValueType = "global::SymGrad.Value";
    private readonly MethodIr _ir;
    private readonly HashSet<int> _active;

    private TapeEmitter(MethodIr ir, Block body, HashSet<int> active)
        : base(new[] { new Section(body, null) }, ir.Return, System.Array.Empty<OutputWrite>(), ir.Params.Select(p => p.Name).ToList(), System.Array.Empty<string>(), ir.SourceLines, allowSplit: false, readElementsOnce: false)
    {
        _ir = ir;
        _active = active;
    }

    public static void Emit(CodeWriter w, MethodSpec spec, Block body, HashSet<int> active)
    {
        MethodIr ir = spec.Ir;
        var emitter = new TapeEmitter(ir, body, active);
        w.Line("/// <summary>");
        string cref = XmlDocs.Cref(spec, ir);
        w.Line($"/// <see cref=\"{cref}\"/> on the <see cref=\"global::SymGrad.Value\"/> tape engine: call");
        w.Line(spec.HasVectorOutput
            ? "/// <see cref=\"global::SymGrad.Value.Backward\"/> on an element of the output to get its gradient (a row of the Jacobian) the reference way."
            : "/// <see cref=\"global::SymGrad.Value.Backward\"/> on the result to get the gradient the reference way, or draw its graph.");
        w.Line("/// </summary>");
        w.Line(Emitter.GeneratedCodeAttribute);
        // A differentiated field is a Value argument (its leaf, to read the gradient from), first like the IR's; the
        // other fields are read where they are.
        var fields = ir.Params.Where(p => p.IsField && p.IsDifferentiable).ToList();
        string parameters = string.Join(", ", fields.Concat(FieldInputs.Own(ir)).Select(p => TapeType(p, RealType.Of(ir.Real)) + " " + p.Name));
        bool vector = spec.HasVectorOutput;
        w.Open($"{spec.Accessibility}{(spec.IsInstance ? "" : " static")} {(vector ? "void" : ValueType)} {spec.Name}Tape({parameters})");
        // A constant field of a model object (a [NoDerivative] layer's weights) has no name of its own here: read it into one.
        foreach (ParamSpec p in ir.Params.Where(p => p.FieldPath is not null && !p.IsDifferentiable))
        {
            w.Line($"{GradientEmitter.ParamType(p.Kind, RealType.Of(ir.Real))} {p.Name} = this.{p.FieldPath};");
        }
        emitter.EmitBody(w);
        if (!vector) w.Line($"return {emitter.Operand(ir.Return, Prec.Conditional)};");
        w.Close();
    }

    private static string TapeType(ParamSpec p, RealType real)
    {
        // The vector output holds Values: the caller calls Backward on the element it wants the gradient of.
        if (p.IsOutput) return p.Kind == ParamKind.Array ? ValueType + "[]" : "global::System.Span<" + ValueType + ">";
        if (!p.IsDifferentiable) return GradientEmitter.ParamType(p.Kind, real);
        return p.Kind switch
        {
            ParamKind.Double => ValueType,
            ParamKind.Array => ValueType + "[]",
            ParamKind.Array2D => ValueType + "[,]",
            ParamKind.ReadOnlySpan => "global::System.ReadOnlySpan<" + ValueType + ">",
            _ => "global::System.Span<" + ValueType + ">",
        };
    }

    private bool Active(int id) => _active.Contains(id);

    /// <summary>A local array: of <c>Value</c>s (zeros) when active, of doubles otherwise; its elements written in place.</summary>
    protected override string RenderEffect(Effect effect) => effect switch
    {
        NewArray { Source.Kind: ArraySourceKind.Output } => "", // the caller's span of Values, written in place
        NewArray a when Active(a.Array) =>
            $"{ValueType}[] {ArrayName(a.Array)} = new {ValueType}[{ElementCount(a)}]; global::System.Array.Fill({ArrayName(a.Array)}, ({ValueType})0.0);",
        NewArray a => $"double[] {ArrayName(a.Array)} = new double[{ElementCount(a)}];",
        StoreLocal st => $"{Element(st.Array, st.Index0, st.Index1)} = {Operand(st.Value, Prec.Conditional)};",
        _ => base.RenderEffect(effect),
    };

    protected override string TypeName(int id) =>
        Active(id) ? ValueType : TypeOf(id) switch { ValType.Int => "int", ValType.Bool => "bool", _ => "double" };

    protected override string DefaultValue(int id) =>
        Active(id) ? "null!" : TypeOf(id) switch { ValType.Int => "0", ValType.Bool => "false", _ => "0.0" };

    /// <summary>A side-effect call sees numbers, never the tape: an active value's data.</summary>
    protected override string SideCallArgument(int id, int minimum) => DataOf(id, minimum);

    /// <summary>A double operand of a comparison: a <c>Value</c>'s data, or the plain double.</summary>
    private string DataOf(int id, int minimum) => Active(id) ? Operand(id, Prec.Primary) + ".Data" : Operand(id, minimum);

    /// <summary>
    /// An active value is an operation on <c>Value</c>s (the rule's tape spelling); any other is the plain C#
    /// operation, reading the data of active operands (a comparison, <c>IsNaN</c> or an int conversion of a Value).
    /// </summary>
    protected override (string Text, int Precedence) Render(Instr instr)
    {
        if (RenderLeaf(instr, _ir) is { } leaf) return leaf;
        if (instr is LoadLocal l) return (Element(l.Array, l.Index0, l.Index1), Prec.Primary);
        if (instr is CallInstr call)
        {
            // The tape runs in double; a float method's kept call (MathF.FusedMultiplyAdd, a user's float function)
            // takes its double arguments back as the floats they are.
            string Argument(int a) => _ir.Real == Ir.Real.Single && TypeOf(a) == ValType.Double ? "(float)" + DataOf(a, Prec.Unary) : DataOf(a, Prec.Conditional);
            string onData = CallText(call, Argument);
            if (!Active(instr.Id)) return (onData, Prec.Primary);
            // A user's rule: one node whose local derivatives are the rule's values (inactive arguments as constants). A
            // Value has at most two children, so past two arguments the nodes chain: each link holds the node before
            // (derivative 1) and one more argument. The same value, the same partials.
            var operands = call.Args.Select((a, k) => $"{(Active(a) ? Operand(a, Prec.Conditional) : $"new {ValueType}({Operand(a, Prec.Conditional)})")}, "
                + CallText(Differentiation.ReverseMode.RulePartial(call, k), Argument)).ToList();
            string node = $"{ValueType}.Rule({onData}, \"{call.Label}\", {string.Join(", ", operands.Take(2))})";
            for (int k = 2; k < operands.Count; k++) node = $"{ValueType}.Rule({onData}, \"{call.Label}\", {node}, 1.0, {operands[k]})";
            return (node, Prec.Primary);
        }
        (Op op, int a, int b) = instr switch
        {
            UnaryInstr u => (u.Op, u.A, -1),
            BinaryInstr bin => (bin.Op, bin.A, bin.B),
            CompareInstr c => (c.Op, c.A, c.B),
            _ => throw new System.InvalidOperationException($"the tape cannot spell {instr}"),
        };
        OpRule rule = OpRules.Of(op);
        if (!Active(instr.Id)) return (rule.CSharp.Render((k, min) => DataOf(k == 0 ? a : b, min)), rule.CSharp.Precedence);
        Spelling tape = rule.Tape ?? throw new System.InvalidOperationException($"the operation {op} has no tape spelling but its result is active");
        return (tape.Render((k, min) => Operand(k == 0 ? a : b, min)), tape.Precedence);
    }
}

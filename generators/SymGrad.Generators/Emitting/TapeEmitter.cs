using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Differentiation;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Optimization;
using SymGrad.Generators.Parsing;

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
        : base(body, ir.Return, System.Array.Empty<OutputWrite>(), ir.Params.Select(p => p.Name.TrimStart('@')), ir.SourceLines, allowSplit: false)
    {
        _ir = ir;
        _active = active;
    }

    public static void Emit(CodeWriter w, MethodSpec spec)
    {
        MethodIr ir = spec.Ir;
        var emitter = new TapeEmitter(ir, DeadCodeElimination.Run(ir.Body, new[] { ir.Return }), Activity.Of(ir));
        w.Line("/// <summary>");
        string cref = spec.Name + "(" + string.Join(", ", ir.Params.Select(p => GradientEmitter.CrefType(p.Kind))) + ")";
        w.Line($"/// <see cref=\"{cref}\"/> on the <see cref=\"global::SymGrad.Value\"/> tape engine: call");
        w.Line("/// <see cref=\"global::SymGrad.Value.Backward\"/> on the result to get the gradient the reference way, or draw its graph.");
        w.Line("/// </summary>");
        w.Line(Emitter.GeneratedCodeAttribute);
        string parameters = string.Join(", ", ir.Params.Select(p => TapeType(p) + " " + p.Name));
        w.Open($"{spec.Accessibility} static {ValueType} {spec.Name}Tape({parameters})");
        emitter.EmitBody(w);
        w.Line($"return {emitter.Operand(ir.Return, Prec.Conditional)};");
        w.Close();
    }

    private static string TapeType(ParamSpec p)
    {
        if (!p.IsDifferentiable) return GradientEmitter.ParamType(p.Kind);
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

    protected override string TypeName(int id) =>
        Active(id) ? ValueType : TypeOf(id) switch { ValType.Int => "int", ValType.Bool => "bool", _ => "double" };

    protected override string DefaultValue(int id) =>
        Active(id) ? "null!" : TypeOf(id) switch { ValType.Int => "0", ValType.Bool => "false", _ => "0.0" };

    /// <summary>A double operand of a comparison: a <c>Value</c>'s data, or the plain double.</summary>
    private string DataOf(int id, int minimum) => Active(id) ? Operand(id, Prec.Primary) + ".Data" : Operand(id, minimum);

    protected override (string Text, int Precedence) Render(Instr instr)
    {
        if (RenderLeaf(instr, _ir) is { } leaf) return leaf;
        switch (instr)
        {
            case CompareInstr c when OperationText.Infix(c.Op) is (string symbol, int prec):
                return (DataOf(c.A, prec) + " " + symbol + " " + DataOf(c.B, prec + 1), prec);
            case UnaryInstr u when !Active(u.Id):
                return PlainUnary(u);
            case UnaryInstr u:
                return u.Op == Op.Neg
                    ? ("-" + Operand(u.A, Prec.Unary + 1), Prec.Unary)
                    : ($"{OperationText.ValueFunction(u.Op)}({Operand(u.A, Prec.Conditional)})", Prec.Primary);
            case BinaryInstr b when OperationText.Infix(b.Op) is (string symbol, int prec):
                if (Active(b.Id) && !Active(b.A) && !Active(b.B)) return (ValueType + "(...)", Prec.Primary);
                return BinaryText(b.A, symbol, b.B, prec);
            case BinaryInstr b when Active(b.Id):
                string second = b.Op == Op.Pow && !Active(b.B) ? Operand(b.B, Prec.Conditional) : Operand(b.B, Prec.Conditional);
                return ($"{OperationText.ValueFunction(b.Op)}({Operand(b.A, Prec.Conditional)}, {second})", Prec.Primary);
            case BinaryInstr b:
                return ($"{OperationText.Function(b.Op)}({Operand(b.A, Prec.Conditional)}, {Operand(b.B, Prec.Conditional)})", Prec.Primary);
        }
        return ("default", Prec.Primary);
    }

    private (string, int) PlainUnary(UnaryInstr u) => u.Op switch
    {
        Op.Neg => ("-" + Operand(u.A, Prec.Unary + 1), Prec.Unary),
        Op.Not => ("!" + Operand(u.A, Prec.Unary + 1), Prec.Unary),
        Op.IntToDouble => ("(double)" + Operand(u.A, Prec.Unary + 1), Prec.Unary),
        Op.DoubleToInt => ("(int)" + DataOf(u.A, Prec.Unary + 1), Prec.Unary),
        Op.IsNaN => ($"double.IsNaN({DataOf(u.A, Prec.Conditional)})", Prec.Primary),
        Op.Relu => ($"{OperationText.Math}.Max(0.0, {Operand(u.A, Prec.Conditional)})", Prec.Primary),
        _ => ($"{OperationText.Function(u.Op)}({Operand(u.A, Prec.Conditional)})", Prec.Primary),
    };
}

using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Emitting;

/// <summary>The C# spelling of IR operators shared by both emitters.</summary>
internal static class OperationText
{
    public const string Math = "global::System.Math";
    public const string SymMath = "global::SymGrad.SymMath";

    public static (string Symbol, int Precedence)? Infix(Op op) => op switch
    {
        Op.Add => ("+", 60), Op.Sub => ("-", 60), Op.Mul => ("*", 70), Op.Div => ("/", 70), Op.Rem => ("%", 70),
        Op.And => ("&&", 30), Op.Or => ("||", 20),
        Op.Lt => ("<", 50), Op.Le => ("<=", 50), Op.Gt => (">", 50), Op.Ge => (">=", 50),
        Op.Eq => ("==", 40), Op.Ne => ("!=", 40),
        _ => null,
    };

    /// <summary>The function a unary or binary operator calls on doubles, e.g. <c>global::System.Math.Exp</c>.</summary>
    public static string Function(Op op) => op switch
    {
        Op.Exp => Math + ".Exp", Op.Log => Math + ".Log", Op.Sqrt => Math + ".Sqrt", Op.Tanh => Math + ".Tanh",
        Op.Sin => Math + ".Sin", Op.Cos => Math + ".Cos", Op.Tan => Math + ".Tan", Op.Atan => Math + ".Atan",
        Op.Abs => Math + ".Abs", Op.Pow => Math + ".Pow", Op.Max => Math + ".Max", Op.Min => Math + ".Min",
        Op.IsNaN => "double.IsNaN",
        Op.Relu => SymMath + ".Relu", Op.Sigmoid => SymMath + ".Sigmoid", Op.Softplus => SymMath + ".Softplus",
        _ => op.ToString(),
    };

    /// <summary>The same function on the tape: <c>global::SymGrad.ValueMath.Exp</c>.</summary>
    public static string ValueFunction(Op op) => "global::SymGrad.ValueMath." + op;
}

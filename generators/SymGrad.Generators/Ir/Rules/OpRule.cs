using System;

namespace SymGrad.Generators.Ir.Rules;

/// <summary>Precedences of C# expressions, lowest first: how tightly an operation's text binds.</summary>
internal static class Prec
{
    public const int Conditional = 10, Or = 20, And = 30, Equality = 40, Relational = 50, Additive = 60,
        Multiplicative = 70, Unary = 80, Primary = 90;
}

/// <summary>
/// How an operation reads in C#: a template with <c>{0}</c> and <c>{1}</c> for the operands, its precedence, and
/// the least precedence each operand may have without parentheses.
/// </summary>
internal sealed record Spelling(string Template, int Precedence, int First, int Second)
{
    /// <summary>A left-associative binary operator: the right operand binds tighter.</summary>
    public static Spelling Infix(string symbol, int precedence) => new("{0} " + symbol + " {1}", precedence, precedence, precedence + 1);

    public static Spelling Prefix(string symbol) => new(symbol + "{0}", Prec.Unary, Prec.Unary + 1, 0);

    public static Spelling Call(string function, int arity) =>
        new(function + (arity == 1 ? "({0})" : "({0}, {1})"), Prec.Primary, Prec.Conditional, Prec.Conditional);

    /// <summary>The text, given a function that renders operand k at a least precedence.</summary>
    public string Render(Func<int, int, string> operand)
    {
        string text = Template.Replace("{0}", operand(0, First));
        return Template.Contains("{1}") ? text.Replace("{1}", operand(1, Second)) : text;
    }
}

/// <summary>The type of an operation's result.</summary>
internal enum ResultType : byte { SameAsOperand, Double, Int, Bool }

/// <summary>
/// One operand's local derivative as the backward sweep uses it: the operand's adjoint gets the result's adjoint
/// g times <see cref="Factor"/> (or g itself when <see cref="Factor"/> is <see cref="None"/>), added or, when
/// <see cref="Subtract"/>, subtracted. Subtracting is how a negative local derivative reads (<c>dx - s * g</c>)
/// and gives the same bits as adding its negation.
/// </summary>
internal readonly record struct Partial(int Factor, bool Subtract)
{
    public const int None = -1;

    /// <summary>d result / d operand = 1.</summary>
    public static readonly Partial One = new(None, false);

    /// <summary>d result / d operand = -1.</summary>
    public static readonly Partial MinusOne = new(None, true);

    /// <summary>The operation does not depend on this operand (CopySign's sign source): nothing flows to it.</summary>
    public static readonly Partial Zero = new(-2, false);

    public bool IsZero => Factor == -2;

    public static Partial Times(int factor) => new(factor, false);

    public static Partial MinusTimes(int factor) => new(factor, true);
}

/// <summary>What a derivative rule sees: the builder to make IR with, the result, and the operands.</summary>
internal readonly record struct RuleSite(IrBuilder B, int Result, int A, int Second)
{
    public int Zero => B.Const(0.0);

    public int One => B.Const(1.0);

    public int Mul(int x, int y) => B.Binary(Op.Mul, x, y);

    public int OneMinus(int x) => B.Binary(Op.Sub, One, x);

    /// <summary>1.0 where the condition holds, else 0.0 (and 0.0 at NaN, since comparisons with NaN are false).</summary>
    public int Mask(int condition) => B.Select(condition, One, Zero);
}

/// <summary>
/// Everything an operation means, in one place (the "one table"): its arity and result type, its exact
/// constant folding, its C# spelling in the gradient and on the <c>Value</c> tape, the name of a temporary holding
/// it, and its local partial derivatives. A new operation is one entry in <see cref="OpRules"/>.
/// </summary>
internal sealed record OpRule(Op Op, int Arity, ResultType Result)
{
    /// <summary>Exact folding of constant operands (operand type, a, b): null when the result is not exact or not defined.</summary>
    public Func<ValType, double, double, double?>? Fold { get; init; }

    /// <summary>The operation on doubles, ints and bools.</summary>
    public Spelling CSharp { get; init; } = null!;

    /// <summary>The operation on <c>Value</c>s, for an active result on the tape (null: never active).</summary>
    public Spelling? Tape { get; init; }

    /// <summary>The method a source call names for this operation (<c>System.Math.Exp</c>), if any.</summary>
    public string? Source { get; init; }

    /// <summary>Whether the source method is taken with int arguments too (<c>Math.Abs</c>, <c>Max</c>, <c>Min</c>); else only with doubles.</summary>
    public bool SourceTakesInts { get; init; }

    /// <summary>The name of a temporary that holds the result, when the source gave it none (<c>cos</c>, <c>cond</c>).</summary>
    public string? Temporary { get; init; }

    /// <summary>
    /// The local derivative with respect to operand k (0 or 1), built with the tape's own formulas so that both
    /// overflow and propagate NaN in the same places. Null: the operation has no derivative, and an active use of
    /// it is an internal error, never a silent zero.
    /// </summary>
    public Func<RuleSite, int, Partial>? Partial { get; init; }

    /// <summary>
    /// The result is a double whose derivative is zero wherever it exists (<c>Math.Floor</c>, <c>Math.Round</c>,
    /// <c>SymMath.StopGradient</c>): it is never active, so nothing flows back through it, in the gradient and on
    /// the tape alike (the tape twin computes it on the operand's data, a constant to the tape).
    /// </summary>
    public bool NoDerivative { get; init; }

    public ValType TypeOf(ValType operand) => Result switch
    {
        ResultType.Double => ValType.Double,
        ResultType.Int => ValType.Int,
        ResultType.Bool => ValType.Bool,
        _ => operand,
    };
}

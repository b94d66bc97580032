using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SymGrad.Generators.Diagnostics;

namespace SymGrad.Generators.Parsing;

/// <summary>
/// The words of SG0005 and SG0011: each names the construct the user wrote and says what to write instead for that
/// kind of construct only (no catalogue of everything that is supported).
/// </summary>
internal sealed partial class BodyLowerer
{
    private const string SliceAdvice =
        "index the elements instead, with an offset that is constant after unrolling (for v[1..], read v[i + 1] in a loop with a constant bound)";

    private const string FromEndAdvice =
        "index from the start with a constant, e.g. v[N - 1] with a const N instead of v[^1]";

    private static LoweringException UnsupportedExpr(IOperation op, string what, string instead) =>
        new(DiagnosticDescriptors.UnsupportedExpression, op.Syntax.GetLocation(), what, instead);

    /// <summary>A range or index from the end, as in <c>v[1..]</c> or <c>v[^1]</c>, anywhere in <paramref name="op"/>.</summary>
    private static LoweringException? SliceOrFromEnd(IOperation op)
    {
        SyntaxNode syntax = op.Syntax;
        if (syntax is RangeExpressionSyntax || syntax.DescendantNodes().OfType<RangeExpressionSyntax>().Any()
            || op.DescendantsAndSelf().Any(d => d is IRangeOperation))
        {
            return UnsupportedExpr(op, $"The range (slice) '{Shorten(syntax.ToString())}'", SliceAdvice);
        }
        if (syntax.DescendantNodesAndSelf().Any(n => n is PrefixUnaryExpressionSyntax p && p.OperatorToken.Text == "^"))
        {
            return UnsupportedExpr(op, $"The index from the end '{Shorten(syntax.ToString())}'", FromEndAdvice);
        }
        return null;
    }

    /// <summary>SG0011 for an expression with no lowering: says what kind of expression it is and what to write instead.</summary>
    private static LoweringException UnsupportedExpression(IOperation op)
    {
        if (SliceOrFromEnd(op) is { } slice) return slice;
        string text = Shorten(op.Syntax.ToString());
        if (op.Type?.SpecialType == SpecialType.System_String || op is IInterpolatedStringOperation)
        {
            return UnsupportedExpr(op, $"The string expression '{text}'", "strings have no derivative; build them outside the [Differentiable] method");
        }
        return op switch
        {
            IAnonymousFunctionOperation or IDelegateCreationOperation =>
                UnsupportedExpr(op, $"The lambda or anonymous method '{text}'", "write the computation inline, or as a separate [Differentiable] static method and call it"),
            IConditionalAccessOperation or IConditionalAccessInstanceOperation =>
                UnsupportedExpr(op, $"The null-conditional access '{text}'", "the values of a [Differentiable] method are never null: use plain member access on double values"),
            ICoalesceOperation or ICoalesceAssignmentOperation =>
                UnsupportedExpr(op, $"The null-coalescing operator in '{text}'", "the values of a [Differentiable] method are never null: drop ?? (or use c ? a : b)"),
            IIsPatternOperation or ISwitchExpressionOperation or IIsTypeOperation =>
                UnsupportedExpr(op, $"The pattern or switch expression '{text}'", "write comparisons and c ? a : b, or an if/else chain"),
            IObjectCreationOperation or IAnonymousObjectCreationOperation or ITupleOperation =>
                UnsupportedExpr(op, $"Creating the object '{text}'", "use double, int and bool locals, or a local double array of constant size"),
            IInstanceReferenceOperation or IPropertyReferenceOperation or IEventReferenceOperation =>
                UnsupportedExpr(op, $"The member access '{text}'", "read only parameters, locals, const fields, array and span elements, and .Length of an array or span"),
            IThrowOperation =>
                UnsupportedExpr(op, $"The throw expression '{text}'", "validate the arguments before the call"),
            IAwaitOperation =>
                UnsupportedExpr(op, $"The await '{text}'", "await outside the [Differentiable] method and pass the result as a parameter"),
            _ when op.Type is { } type && TypeOf(type) is null && !IsArrayLike(type) =>
                UnsupportedExpr(op, $"The expression '{text}' of type '{type.ToDisplayString()}'", "compute with double, int and bool only; convert other values before the call and pass them as parameters"),
            _ => UnsupportedExpr(op, $"The expression '{text}'", "compute it before the call and pass it as a parameter ([NoDerivative] if no gradient is needed for it)"),
        };
    }

    /// <summary>What to write instead of an unsupported statement, for that statement only.</summary>
    private static string StatementAdvice(IOperation op) => op switch
    {
        IWhileLoopOperation or IForEachLoopOperation => "loop over the indices instead, e.g. for (int i = 0; i < x.Length; i++) { double v = x[i]; ... }",
        IBranchOperation b when b.Syntax is BreakStatementSyntax or ContinueStatementSyntax => "put the rest of the loop body under an if, and fold the exit test into the loop's condition (while (k < n && !done))",
        IBranchOperation or ILabeledOperation => "use if/else instead",
        ITryOperation or IThrowOperation => "validate the arguments before the call; the method itself must not throw",
        IUsingOperation or IUsingDeclarationOperation or ILockOperation => "do it outside the [Differentiable] method; the method computes a value from its parameters only",
        ILocalFunctionOperation => "move it out of the method as a [Differentiable] static method: calls between them are inlined",
        _ => "use locals, assignments, if/else, for and while loops, and return",
    };

    private static LoweringException UnsupportedBinary(IBinaryOperation binary, Ir.ValType type)
    {
        string op = OperatorToken(binary), text = Shorten(binary.Syntax.ToString());
        return binary.OperatorKind switch
        {
            BinaryOperatorKind.Remainder => UnsupportedExpr(binary, $"The operator '%' on {TypeName(type)} in '{text}'",
                "% has no useful derivative on double (it is supported on int): compute it before the call and pass the result as a [NoDerivative] parameter"),
            BinaryOperatorKind.And or BinaryOperatorKind.Or or BinaryOperatorKind.ExclusiveOr or BinaryOperatorKind.LeftShift
                or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift =>
                UnsupportedExpr(binary, $"The bitwise operator '{op}' on {TypeName(type)} in '{text}'",
                    "use && and || on bool; for int, compute it before the call and pass it as an int parameter"),
            _ => UnsupportedExpr(binary, $"The operator '{op}' in '{text}'", "write it with + - * / and comparisons"),
        };
    }

    private static LoweringException UnsupportedUnary(IUnaryOperation unary)
    {
        string text = Shorten(unary.Syntax.ToString());
        if (unary.OperatorKind == UnaryOperatorKind.Hat) return UnsupportedExpr(unary, $"The index from the end '{text}'", FromEndAdvice);
        if (unary.IsLifted) return UnsupportedExpr(unary, $"The nullable operation '{text}'", "use double, int and bool values, which are never null");
        if (unary.OperatorMethod is not null) return UnsupportedExpr(unary, $"The user-defined operator in '{text}'", "compute with double, int and bool values and their built-in operators");
        return UnsupportedExpr(unary, $"The operator in '{text}'", "use unary - and + on numbers and ! on bool");
    }

    private static LoweringException UnsupportedConversion(IConversionOperation conversion) =>
        UnsupportedExpr(conversion, $"The conversion '{Shorten(conversion.Syntax.ToString())}' to '{conversion.Type?.ToDisplayString()}'",
            "convert only between int and double: compute in double, and convert other types before the call");

    private static string TypeName(Ir.ValType type) => type switch
    {
        Ir.ValType.Double => "double",
        Ir.ValType.Int => "int",
        _ => "bool",
    };
}

using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Parsing;

/// <summary>
/// Statements kept for what they do, not for what they compute: a call of a static <c>void</c> method whose
/// arguments are numbers, bools and strings (<c>Console.WriteLine($"loss {s}")</c>, <c>Debug.Assert(n &gt; 0)</c>, a
/// user's log method) becomes a <see cref="SideCall"/>, made by the forward sweep of every generated method where the
/// method makes it and left out of every backward sweep: no value flows out of a <c>void</c> call, so it has no
/// derivative to take. A differentiated value passed to it is passed as the number it is. <c>string</c> locals,
/// assigned where they are declared, are text the calls read.
/// </summary>
internal sealed partial class BodyLowerer
{
    /// <summary>A piece of C# text with holes (<see cref="SideCall.Hole"/>) for IR values.</summary>
    private sealed record Text(string Template, IReadOnlyList<int> Values)
    {
        /// <summary>The string itself, when it is a constant (spliced into an interpolated string that reads it).</summary>
        public string? Constant { get; init; }

        public static Text Of(string template) => new(template, new int[0]);

        public static Text OfValue(int id, bool tight = false) => new(SideCall.Hole(0, tight), new[] { id });

        /// <summary>Whether the text is a string <c>+</c> (which needs parentheses as a right operand of another).</summary>
        public bool IsSum { get; init; }

        /// <summary>This text, then <paramref name="other"/>'s, its holes renumbered after these.</summary>
        public Text Then(Text other)
        {
            string template = other.Template;
            for (int k = other.Values.Count - 1; k >= 0; k--)
            {
                template = template.Replace(SideCall.Hole(k), SideCall.Hole(k + Values.Count))
                    .Replace(SideCall.Hole(k, tight: true), SideCall.Hole(k + Values.Count, tight: true));
            }
            return new Text(Template + template, Values.Concat(other.Values).ToList());
        }

        public Text Then(string text) => new(Template + text, Values);
    }

    /// <summary>The text each string local holds (assigned only where it is declared).</summary>
    private readonly Dictionary<ILocalSymbol, Text> _strings = new(SymbolEqualityComparer.Default);

    /// <summary>Whether <paramref name="call"/>, a statement, is a call kept only for its side effect.</summary>
    private static bool IsSideCall(IInvocationOperation call) =>
        call.TargetMethod is { ReturnsVoid: true, IsStatic: true, MethodKind: MethodKind.Ordinary } method && !IsDifferentiable(method);

    private void LowerSideCall(IInvocationOperation call, Env env)
    {
        IMethodSymbol method = call.TargetMethod;
        if (method.IsGenericMethod || method.Parameters.Any(p => p.RefKind != RefKind.None || p.IsParams))
        {
            throw UnsupportedExpr(call, $"The call '{Shorten(call.Syntax.ToString())}'",
                "SymGrad keeps calls of static void methods for their side effects when every argument is a number, a bool or a string passed by value; write such a call, or make it outside the method");
        }
        Text text = Text.Of(FullName(method) + "(");
        bool first = true;
        foreach (IArgumentOperation argument in call.Arguments.OrderBy(a => a.Parameter!.Ordinal))
        {
            if (!first) text = text.Then(", ");
            first = false;
            text = text.Then(Argument(argument.Value, argument.Parameter!.Type, env));
        }
        text = text.Then(")");
        _b.AddEffect(new SideCall(text.Template, text.Values.ToEquatableArray()));
    }

    /// <summary>An argument of a side-effect call: text for a string, a hole for a number or bool (boxed to object as C# does).</summary>
    private Text Argument(IOperation value, ITypeSymbol parameterType, Env env)
    {
        if (parameterType.SpecialType == SpecialType.System_String) return StringText(value, env);
        IOperation operand = value is IConversionOperation { IsImplicit: true } boxing && parameterType.SpecialType == SpecialType.System_Object ? boxing.Operand : value;
        if (TypeOf(parameterType) is null && parameterType.SpecialType != SpecialType.System_Object || TypeOf(operand.Type) is null)
        {
            throw UnsupportedExpr(value, $"The argument '{Shorten(value.Syntax.ToString())}' of type '{(operand.Type ?? parameterType).ToDisplayString()}'",
                "pass numbers, bools and strings to a call kept for its side effect");
        }
        return Text.OfValue(Scalar(operand, env));
    }

    private void DeclareString(IVariableDeclaratorOperation declarator, IOperation? init, Env env)
    {
        ILocalSymbol local = declarator.Symbol;
        if (init is null)
        {
            throw UnsupportedExpr(declarator, $"The string local '{local.Name}' without an initializer", "assign a string local where it is declared, once");
        }
        _strings[local] = StringText(init, env);
    }

    /// <summary>
    /// A string local and a delegate local are assigned where they are declared, once (their text and their lambda
    /// are bound at the declaration): SG0011 on any other assignment.
    /// </summary>
    private static void CheckNotReassigned(IAssignmentOperation assignment)
    {
        if (assignment.Target is not ILocalReferenceOperation { Local: var local }) return;
        string? what = local.Type.SpecialType == SpecialType.System_String ? "string" : local.Type.TypeKind == TypeKind.Delegate ? "delegate" : null;
        if (what is null) return;
        throw UnsupportedExpr(assignment, $"Assigning the {what} local '{local.Name}' again",
            what == "string" ? "declare one string local per text, assigned where it is declared" : "declare one local per lambda, each initialised where it is declared");
    }

    /// <summary>
    /// A string expression as C# text: a constant (a literal, a <c>const</c>), a string local, an interpolated string
    /// of numbers, bools and strings (its alignment and format kept), or a <c>+</c> of such.
    /// </summary>
    private Text StringText(IOperation op, Env env)
    {
        if (op.ConstantValue is { HasValue: true } constant)
        {
            return constant.Value is string s ? Text.Of(SymbolDisplay.FormatLiteral(s, quote: true)) with { Constant = s } : Text.Of("null");
        }
        switch (op)
        {
            case IConversionOperation { IsImplicit: true } conversion when conversion.Operand.Type?.SpecialType == SpecialType.System_String:
                return StringText(conversion.Operand, env);
            case ILocalReferenceOperation local when _strings.TryGetValue(local.Local, out Text? text):
                return text;
            case IInterpolatedStringOperation interpolated:
            {
                Text text = Text.Of("$\"");
                foreach (IInterpolatedStringContentOperation part in interpolated.Parts)
                {
                    if (part is IInterpolatedStringTextOperation literal)
                    {
                        text = text.Then(Escaped(literal.Text.ConstantValue.Value as string ?? ""));
                        continue;
                    }
                    var hole = (IInterpolationOperation)part;
                    bool isString = hole.Expression.Type?.SpecialType == SpecialType.System_String;
                    Text inside = isString ? StringText(hole.Expression, env) : Text.OfValue(Scalar(Unboxed(hole.Expression), env));
                    if (isString && inside.Constant is { } spliced && hole.Alignment is null && hole.FormatString is null)
                    {
                        text = text.Then(Escaped(spliced)); // a constant string is spliced into the text
                        continue;
                    }
                    if (isString) inside = Text.Of("(").Then(inside).Then(")");
                    text = text.Then("{").Then(inside);
                    if (hole.Alignment is { ConstantValue: { HasValue: true, Value: int alignment } }) text = text.Then("," + alignment);
                    if (hole.FormatString is { ConstantValue: { HasValue: true, Value: string format } }) text = text.Then(":" + Escaped(format));
                    text = text.Then("}");
                }
                return text.Then("\"");
            }
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation when op.Type?.SpecialType == SpecialType.System_String:
            {
                // Left-associative: the left operand needs no parentheses, a right one that is itself a sum does.
                Text right = Piece(concatenation.RightOperand, env);
                if (right.IsSum) right = Text.Of("(").Then(right).Then(")");
                return Piece(concatenation.LeftOperand, env).Then(" + ").Then(right) with { IsSum = true };
            }
        }
        throw UnsupportedExpr(op, $"The string expression '{Shorten(op.Syntax.ToString())}'",
            "use string literals, const strings, string locals and interpolated strings of numbers ($\"loss {s:F3}\"); strings have no derivative");
    }

    /// <summary>An operand of a string <c>+</c>: a string, or a number C# turns into one.</summary>
    private Text Piece(IOperation op, Env env)
    {
        IOperation operand = Unboxed(op);
        return operand.Type?.SpecialType == SpecialType.System_String ? StringText(operand, env) : Text.OfValue(Scalar(operand, env), tight: true);
    }

    private static IOperation Unboxed(IOperation op) =>
        op is IConversionOperation { IsImplicit: true, Type.SpecialType: SpecialType.System_Object } boxing ? boxing.Operand : op;

    /// <summary>Literal text of a regular interpolated string: C# escapes, and braces doubled.</summary>
    private static string Escaped(string text)
    {
        string quoted = SymbolDisplay.FormatLiteral(text, quote: true); // escapes the quotes too, which quote: false leaves
        return new StringBuilder(quoted, 1, quoted.Length - 2, quoted.Length).Replace("{", "{{").Replace("}", "}}").ToString();
    }
}

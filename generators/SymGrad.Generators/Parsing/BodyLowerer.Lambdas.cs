using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SymGrad.Generators.Parsing;

/// <summary>
/// Lambdas held in a delegate local (<c>Func&lt;double, double&gt; f = t =&gt; t * t;</c>) and called directly
/// (<c>f(x)</c>): each call is inlined as a local function's is, so no delegate exists at run time in any generated
/// method. The local must be assigned only where it is declared (<see cref="CheckNotReassigned"/>), and used only to be called.
/// </summary>
internal sealed partial class BodyLowerer
{
    /// <summary>The lambda each delegate local holds.</summary>
    private readonly Dictionary<ILocalSymbol, IAnonymousFunctionOperation> _lambdas = new(SymbolEqualityComparer.Default);

    private void DeclareLambda(IVariableDeclaratorOperation declarator, IOperation? init)
    {
        ILocalSymbol local = declarator.Symbol;
        IOperation? value = init;
        while (value is IConversionOperation or IDelegateCreationOperation)
        {
            value = value is IConversionOperation conversion ? conversion.Operand : ((IDelegateCreationOperation)value).Target;
        }
        if (value is not IAnonymousFunctionOperation lambda)
        {
            throw UnsupportedExpr(declarator, $"The delegate local '{local.Name}'" + (init is null ? " without an initializer" : $" = '{Shorten(init.Syntax.ToString())}'"),
                $"initialise it with a lambda where it is declared (Func<{RealName}, {RealName}> {local.Name} = t => ...) and call it; or write a local function");
        }
        if (!IsScalarResult(lambda.Symbol) && ShapeOf(lambda.Symbol.ReturnType) is null
            || lambda.Symbol.Parameters.Any(p => TypeOf(p.Type) is null && !IsArrayLike(p.Type) && !IsIntArrayLike(p.Type) && ShapeOf(p.Type) is null))
        {
            throw UnsupportedExpr(declarator, $"The lambda '{Shorten(lambda.Syntax.ToString())}' of type '{local.Type.ToDisplayString()}'",
                $"give it {RealName}, int, array and struct parameters and a {RealName}, int or struct result");
        }
        _lambdas[local] = lambda;
        _lambdaNames[lambda.Symbol] = local.Name;
    }

    /// <summary>The name of the local holding each lambda, for the source comments of its inlined body.</summary>
    private readonly Dictionary<IMethodSymbol, string> _lambdaNames = new(SymbolEqualityComparer.Default);

    /// <summary>A callee's name in source comments: a lambda is named after its local.</summary>
    private string CalleeName(IMethodSymbol callee) => callee.MethodKind switch
    {
        MethodKind.AnonymousFunction when _lambdaNames.TryGetValue(callee, out string? name) => name,
        // A struct's members by the names the source gives them: operator +, the getter of Norm, new P.
        MethodKind.UserDefinedOperator or MethodKind.Conversion => callee.ContainingType.Name + "." + OperatorText(callee.Name),
        MethodKind.PropertyGet => callee.ContainingType.Name + "." + ((IPropertySymbol)callee.AssociatedSymbol!).Name,
        MethodKind.Constructor => "new " + callee.ContainingType.Name,
        _ when !callee.IsStatic && callee.ContainingType.IsValueType => callee.ContainingType.Name + "." + callee.Name,
        _ => callee.Name,
    };

    private static string OperatorText(string name) => name switch
    {
        "op_Addition" => "operator +", "op_Subtraction" => "operator -", "op_Multiply" => "operator *", "op_Division" => "operator /",
        "op_UnaryNegation" => "operator -", "op_UnaryPlus" => "operator +", "op_Equality" => "operator ==", "op_Inequality" => "operator !=",
        _ => name,
    };

    /// <summary><c>f(x)</c> for a delegate local <c>f</c> holding a lambda: the lambda's body inlined.</summary>
    private int InlineLambda(IInvocationOperation call, Env env) => One(InlineLambdaLeaves(call, env), call);

    private int[] InlineLambdaLeaves(IInvocationOperation call, Env env)
    {
        if (call.Instance is not ILocalReferenceOperation { Local: var local } || !_lambdas.TryGetValue(local, out IAnonymousFunctionOperation? lambda))
        {
            throw UnsupportedExpr(call, $"The delegate call '{Shorten(call.Syntax.ToString())}'",
                "call a lambda held in a local declared in the method (Func<double, double> f = t => ...; f(x)), a local function, or a [Differentiable] method");
        }
        return InlineClosureLeaves(call, lambda.Symbol, lambda.Body, env, $"The lambda '{local.Name}'");
    }
}

using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Ir.Rules;

namespace SymGrad.Generators.Parsing;

internal sealed partial class BodyLowerer
{
    private int Call(IInvocationOperation call, Env env)
    {
        IMethodSymbol method = call.TargetMethod;
        IOperation Arg(int ordinal) => call.Arguments.First(a => a.Parameter?.Ordinal == ordinal).Value;

        string container = method.ContainingType?.ToDisplayString() ?? "";
        // A math function is the operation the rule table names for it (Math.Exp, SymMath.Relu, ...).
        if (OpRules.ForCall(container + "." + method.Name, method.Parameters.Length) is OpRule rule
            && method.Parameters.All(p => p.Type.SpecialType == SpecialType.System_Double || (rule.SourceTakesInts && p.Type.SpecialType == SpecialType.System_Int32)))
        {
            int a = Scalar(Arg(0), env);
            if (rule.Arity == 1) return _b.Unary(rule.Op, a);
            int b = Scalar(Arg(1), env);
            // Math.Max(0, z) and Math.Max(z, 0) are ReLU, with ReLU's derivative 0 at the kink.
            if (rule.Op == Op.Max && _b.TypeOf(a) == ValType.Double)
            {
                if (_b.TryGetConst(a, out double ca) && ca == 0 && !_b.TryGetConst(b, out _)) return _b.Unary(Op.Relu, b);
                if (_b.TryGetConst(b, out double cb) && cb == 0 && !_b.TryGetConst(a, out _)) return _b.Unary(Op.Relu, a);
            }
            return _b.Binary(rule.Op, a, b);
        }
        if (method.Name == "GetLength" && call.Instance is { } instance && IsArrayLike(instance.Type))
        {
            int dim = Scalar(Arg(0), env);
            if (_b.TryGetConst(dim, out double d) && d is 0 or 1) return Length(Array(instance, env), (int)d);
        }
        if (IsDifferentiable(method)) return Inline(call, method, env);
        throw new LoweringException(DiagnosticDescriptors.UnsupportedCall, CallLocation(call), method.ToDisplayString());
    }

    internal static bool IsDifferentiable(IMethodSymbol method) =>
        method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TypeNames.DifferentiableAttribute);

    /// <summary>
    /// Inlines a call to another [Differentiable] method: its body is lowered with its parameters bound to the
    /// argument values, so the caller's gradient flows through it with no call at run time.
    /// </summary>
    private int Inline(IInvocationOperation call, IMethodSymbol callee, Env env)
    {
        if (_callStack.Any(m => SymbolEqualityComparer.Default.Equals(m, callee.OriginalDefinition)))
        {
            string path = string.Join(" -> ", _callStack.Reverse().Select(m => m.Name).Concat(new[] { callee.Name }));
            throw new LoweringException(DiagnosticDescriptors.Recursion, CallLocation(call), _rootName, path);
        }
        if (!callee.IsStatic || callee.IsGenericMethod || callee.ReturnType.SpecialType != SpecialType.System_Double
            || callee.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_ct) is not MethodDeclarationSyntax declaration
            || (declaration.Body is null && declaration.ExpressionBody is null))
        {
            throw new LoweringException(DiagnosticDescriptors.UnsupportedCall, CallLocation(call), callee.ToDisplayString());
        }
        SemanticModel model = _compilation.GetSemanticModel(declaration.SyntaxTree);
        if (model.GetOperation(declaration, _ct) is not IMethodBodyOperation body)
        {
            throw new LoweringException(DiagnosticDescriptors.UnsupportedCall, CallLocation(call), callee.ToDisplayString());
        }

        var calleeEnv = new Env();
        foreach (IArgumentOperation argument in call.Arguments)
        {
            IParameterSymbol parameter = argument.Parameter!;
            if (parameter.RefKind != RefKind.None) throw new LoweringException(DiagnosticDescriptors.UnsupportedCall, CallLocation(call), callee.ToDisplayString());
            if (IsArrayLike(parameter.Type) || IsIntArrayLike(parameter.Type)) calleeEnv.Arrays[parameter] = Array(argument.Value, env);
            else calleeEnv.Scalars[parameter] = Scalar(argument.Value, env);
        }
        // Reported on the method itself (its name), not deep inside a callee.
        if (_b.Count > MaxInstructions) throw new LoweringException(DiagnosticDescriptors.MethodTooLarge, _callStack.Last().Locations.FirstOrDefault(), _rootName, MaxInstructions.ToString());
        int saved = _b.Origin;
        int depth = _loopDepth;
        _loopDepth = 0; // a return in the callee ends the callee, not the caller's loop
        try
        {
            return LowerMethodBody(callee.OriginalDefinition, body, calleeEnv);
        }

        catch (LoweringException inner) when (inner.Info.Id != DiagnosticDescriptors.Recursion.Id && inner.Info.Id != DiagnosticDescriptors.MethodTooLarge.Id)
        {
            throw new LoweringException(DiagnosticDescriptors.CalleeNotDifferentiable, CallLocation(call), callee.ToDisplayString(), inner.Info.Id);
        }
        finally
        {
            _loopDepth = depth;
            _b.Origin = saved;
        }
    }

    private static Location CallLocation(IInvocationOperation call) =>
        call.Syntax is InvocationExpressionSyntax invocation ? invocation.Expression.GetLocation() : call.Syntax.GetLocation();
}
